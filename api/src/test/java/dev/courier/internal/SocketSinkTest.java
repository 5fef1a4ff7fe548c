package dev.courier.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okio.Buffer;
import okio.BufferedSink;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SocketSinkTest {
  private static final int STALLING_BYTES = 64 * 1024 * 1024;

  private final IoWatchdog watchdog = new IoWatchdog("SocketSinkTest Watchdog",
      TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.MILLISECONDS.toNanos(50), System::nanoTime);
  private LoopbackPair pair;

  @AfterEach
  void closeSockets() throws Exception {
    if (pair != null) {
      pair.close();
    }
    awaitEnd(watchdog);
  }

  @Test
  void writeToAPeerThatNeverReadsEndsAfterItsTimeoutNamingThePeer() throws Exception {
    pair = LoopbackPair.open();
    SocketSink sink = new SocketSink(pair.client, pair.peerName, watchdog);
    sink.timeout().timeout(200, TimeUnit.MILLISECONDS);

    assertThatThrownBy(() -> sink.write(new Buffer().write(new byte[STALLING_BYTES]), STALLING_BYTES))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("timeout writing to " + pair.peerName);
    assertThat(pair.client.isClosed()).isTrue();
  }

  @Test
  void deadlineEndsAStalledWriteWithoutATimeout() throws Exception {
    pair = LoopbackPair.open();
    SocketSink sink = new SocketSink(pair.client, pair.peerName, watchdog);
    sink.timeout().deadline(200, TimeUnit.MILLISECONDS);

    assertThatThrownBy(() -> sink.write(new Buffer().write(new byte[STALLING_BYTES]), STALLING_BYTES))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining(pair.peerName);
  }

  @Test
  void passedDeadlineFailsBeforeWriting() throws Exception {
    pair = LoopbackPair.open();
    SocketSink sink = new SocketSink(pair.client, pair.peerName, watchdog);
    sink.timeout().deadlineNanoTime(System.nanoTime() - 1);

    assertThatThrownBy(() -> sink.write(new Buffer().writeUtf8("x"), 1))
        .isInstanceOf(InterruptedIOException.class);
    assertThat(pair.peer.getInputStream().available()).isZero();
  }

  @Test
  void zeroTimeoutWritesWithoutTheWatchdog() throws Exception {
    pair = LoopbackPair.open();
    BufferedSink sink = Okio.buffer(new SocketSink(pair.client, pair.peerName, watchdog));
    sink.timeout().timeout(0, TimeUnit.MILLISECONDS);

    sink.writeUtf8("hello").flush();

    assertThat(Okio.buffer(Okio.source(pair.peer)).readUtf8(5)).isEqualTo("hello");
    assertThat(watchdog.thread()).isNull();
  }

  @Test
  void closingTheSocketFailsABlockedWriteWithoutTimeout() throws Exception {
    pair = LoopbackPair.open();
    SocketSink sink = new SocketSink(pair.client, pair.peerName, watchdog);
    sink.timeout().timeout(0, TimeUnit.MILLISECONDS);
    // The writer blocks once the socket buffers fill; closing from another thread ends it.
    Thread writerThread = Thread.currentThread();
    Thread closer = new Thread(() -> {
      awaitBlocked(writerThread);
      closeQuietly();
    });
    closer.start();
    assertThatThrownBy(() -> sink.write(new Buffer().write(new byte[STALLING_BYTES]), STALLING_BYTES))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(SocketTimeoutException.class);
    closer.join();
  }

  @Test
  void watchdogThreadIsADaemonThatEndsWhenItsSinksAreQuiet() throws Exception {
    AtomicLong now = new AtomicLong(1_000);
    IoWatchdog fakeTime = new IoWatchdog("SocketSinkTest Quiet Watchdog", 500, 1_000_000, now::get);
    pair = LoopbackPair.open();
    BufferedSink sink = Okio.buffer(new SocketSink(pair.client, pair.peerName, fakeTime));
    sink.timeout().timeout(10, TimeUnit.SECONDS);

    sink.writeUtf8("hello").flush();
    Thread thread = fakeTime.thread();
    assertThat(thread).isNotNull();
    assertThat(thread.isDaemon()).isTrue();

    now.addAndGet(500); // Quiet long enough: the watchdog lets go of the sink, then ends.
    assertEnds(thread);
    assertThat(fakeTime.thread()).isNull();
    assertThat(pair.client.isClosed()).isFalse();

    // A later timed write starts a new watchdog thread.
    sink.writeUtf8("again").flush();
    Thread second = fakeTime.thread();
    assertThat(second).isNotNull().isNotSameAs(thread);
    assertThat(Okio.buffer(Okio.source(pair.peer)).readUtf8(10)).isEqualTo("helloagain");
    now.addAndGet(500);
    assertEnds(second);
  }

  @Test
  void watchdogEndsOnceItsSocketsAreClosed() throws Exception {
    AtomicLong now = new AtomicLong(1_000);
    IoWatchdog fakeTime = new IoWatchdog("SocketSinkTest Closed Watchdog", Long.MAX_VALUE,
        1_000_000, now::get);
    pair = LoopbackPair.open();
    BufferedSink sink = Okio.buffer(new SocketSink(pair.client, pair.peerName, fakeTime));
    sink.timeout().timeout(10, TimeUnit.SECONDS);
    sink.writeUtf8("hello").flush();
    Thread thread = fakeTime.thread();

    pair.client.close();
    assertEnds(thread);
    assertThat(fakeTime.thread()).isNull();
  }

  @Test
  void smallWritesAreGatheredIntoLargeSocketWritesUntilTheFlush() throws Exception {
    CountingSocket socket = new CountingSocket();
    LargeBufferPool pool = new LargeBufferPool(1);
    SocketSink sink = new SocketSink(socket, "example.com:80", watchdog, pool);
    sink.timeout().timeout(10, TimeUnit.SECONDS);
    Buffer expected = new Buffer();
    for (int i = 0; i < 25; i++) {
      byte[] chunk = new byte[8192];
      java.util.Arrays.fill(chunk, (byte) i);
      expected.write(chunk);
      sink.write(new Buffer().write(chunk), chunk.length);
    }
    // 200 KiB in 25 writes: three full socket writes so far, the rest waits for the flush.
    assertThat(socket.writes).containsExactly(65536, 65536, 65536);
    assertThat(pool.keptCount()).as("the gathering array went back").isEqualTo(1);

    sink.flush();
    assertThat(socket.writes).containsExactly(65536, 65536, 65536, 8192);
    assertThat(socket.flushes).isEqualTo(1);
    assertThat(socket.written.readByteString()).isEqualTo(expected.readByteString());
  }

  @Test
  void flushOfASmallWriteSendsItAsItIsWithoutBorrowing() throws Exception {
    CountingSocket socket = new CountingSocket();
    LargeBufferPool pool = new LargeBufferPool(1);
    BufferedSink sink = Okio.buffer(new SocketSink(socket, "example.com:80", watchdog, pool));

    sink.writeUtf8("GET / HTTP/1.1\r\n\r\n");
    assertThat(socket.writes).as("nothing before the flush").isEmpty();
    sink.flush();

    assertThat(socket.writes).containsExactly(18);
    assertThat(socket.written.readUtf8()).isEqualTo("GET / HTTP/1.1\r\n\r\n");
    assertThat(pool.keptCount()).as("nothing borrowed").isZero();
  }

  @Test
  void closeSendsWhatWaitsThenClosesTheSocket() throws Exception {
    CountingSocket socket = new CountingSocket();
    BufferedSink sink = Okio.buffer(new SocketSink(socket, "example.com:80", watchdog));

    sink.writeUtf8("bye");
    sink.close();

    assertThat(socket.written.readUtf8()).isEqualTo("bye");
    assertThat(socket.isClosed()).isTrue();
  }

  @Test
  void arrayWriteSendsThePendingBytesFirstThenTheArrayInChunksWithoutCopying() throws Exception {
    CountingSocket socket = new CountingSocket();
    LargeBufferPool pool = new LargeBufferPool(1);
    SocketSink sink = new SocketSink(socket, "example.com:80", watchdog, pool);
    sink.timeout().timeout(10, TimeUnit.SECONDS);
    byte[] array = new byte[150_000];
    for (int i = 0; i < array.length; i++) {
      array[i] = (byte) (i * 31);
    }

    sink.write(new Buffer().writeUtf8("PUT / HTTP/1.1\r\n\r\n"), 18);
    sink.write(array, 7, 140_000);

    assertThat(socket.writes).containsExactly(18, 65536, 65536, 140_000 - 2 * 65536);
    assertThat(socket.written.readUtf8(18)).isEqualTo("PUT / HTTP/1.1\r\n\r\n");
    assertThat(socket.written.readByteArray())
        .isEqualTo(java.util.Arrays.copyOfRange(array, 7, 7 + 140_000));
    assertThat(pool.keptCount()).as("nothing borrowed").isZero();
    assertThat(socket.flushes).as("no flush").isZero();
  }

  @Test
  void arrayWriteToAPeerThatNeverReadsEndsAfterItsTimeoutNamingThePeer() throws Exception {
    pair = LoopbackPair.open();
    SocketSink sink = new SocketSink(pair.client, pair.peerName, watchdog);
    sink.timeout().timeout(200, TimeUnit.MILLISECONDS);

    assertThatThrownBy(() -> sink.write(new byte[STALLING_BYTES], 0, STALLING_BYTES))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("timeout writing to " + pair.peerName);
    assertThat(pair.client.isClosed()).isTrue();
  }

  @Test
  void arrayWriteAfterThePassedDeadlineFailsBeforeWriting() throws Exception {
    pair = LoopbackPair.open();
    SocketSink sink = new SocketSink(pair.client, pair.peerName, watchdog);
    sink.write(new Buffer().writeUtf8("x"), 1);
    sink.timeout().deadlineNanoTime(System.nanoTime() - 1);

    assertThatThrownBy(() -> sink.write(new byte[8192], 0, 8192))
        .isInstanceOf(InterruptedIOException.class);
    assertThat(pair.peer.getInputStream().available()).as("not even the pending byte").isZero();
  }

  @Test
  void arrayWriteOutOfBoundsWritesNothing() throws Exception {
    CountingSocket socket = new CountingSocket();
    SocketSink sink = new SocketSink(socket, "example.com:80", watchdog);

    assertThatThrownBy(() -> sink.write(new byte[10], 4, 7))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> sink.write(new byte[10], -1, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    sink.write(new byte[10], 10, 0);
    assertThat(socket.writes).isEmpty();
  }

  /** A socket that records the writes made to its stream; it connects nowhere. */
  private static final class CountingSocket extends java.net.Socket {
    final java.util.List<Integer> writes = new java.util.ArrayList<>();
    final Buffer written = new Buffer();
    int flushes;
    boolean closed;

    @Override
    public java.io.OutputStream getOutputStream() {
      return new java.io.OutputStream() {
        @Override
        public void write(int b) {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          writes.add(len);
          written.write(b, off, len);
        }

        @Override
        public void flush() {
          flushes++;
        }

        @Override
        public void close() {
          closed = true;
        }
      };
    }

    @Override
    public boolean isClosed() {
      return closed;
    }
  }

  private void closeQuietly() {
    try {
      pair.client.close();
    } catch (IOException ignored) {
      // The test's assertion is on the writer.
    }
  }

  /** Waits for {@code thread} to block in a socket write, as its stack shows. */
  private static void awaitBlocked(Thread thread) {
    // Bounded, so a thread that never blocks fails its test instead of hanging it.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() - deadline < 0) {
      for (StackTraceElement frame : thread.getStackTrace()) {
        if ((frame.getClassName().endsWith("NioSocketImpl") && frame.getMethodName().equals("park"))
            || frame.getMethodName().equals("write0")) {
          return;
        }
      }
      Thread.onSpinWait();
    }
  }

  private static void awaitEnd(IoWatchdog watchdog) throws InterruptedException {
    Thread thread = watchdog.thread();
    if (thread != null) {
      assertEnds(thread);
    }
  }

  /** Fails if {@code thread} is still alive after a bound far beyond any watchdog look. */
  private static void assertEnds(Thread thread) throws InterruptedException {
    thread.join(10_000);
    assertThat(thread.isAlive()).as("%s still running", thread.getName()).isFalse();
  }
}
