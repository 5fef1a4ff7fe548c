package dev.courier.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SocketSourceTest {
  private LoopbackPair pair;

  @AfterEach
  void closeSockets() throws Exception {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void readFromASilentPeerEndsAfterItsTimeoutNamingThePeerAndClosesTheSocket() throws Exception {
    pair = LoopbackPair.open();
    BufferedSource source = Okio.buffer(new SocketSource(pair.client, pair.peerName));
    source.timeout().timeout(100, TimeUnit.MILLISECONDS);

    assertThatThrownBy(source::readByte)
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("timeout reading from " + pair.peerName);
    assertThat(pair.client.isClosed()).isTrue();
  }

  @Test
  void readTimeoutChangesBetweenExchanges() throws Exception {
    pair = LoopbackPair.open();
    BufferedSource source = Okio.buffer(new SocketSource(pair.client, pair.peerName));
    OutputStream peer = pair.peer.getOutputStream();

    source.timeout().timeout(5, TimeUnit.SECONDS);
    peer.write("first".getBytes(StandardCharsets.US_ASCII));
    assertThat(source.readUtf8(5)).isEqualTo("first");
    // The watchdog times the read; the socket's own timeout stays 0, so its reads stay blocking.
    assertThat(pair.client.getSoTimeout()).isZero();

    source.timeout().timeout(0, TimeUnit.MILLISECONDS);
    peer.write("second".getBytes(StandardCharsets.US_ASCII));
    assertThat(source.readUtf8(6)).isEqualTo("second");
    assertThat(pair.client.getSoTimeout()).isZero();

    source.timeout().timeout(50, TimeUnit.MILLISECONDS);
    assertThatThrownBy(source::readByte)
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining(pair.peerName);
  }

  @Test
  void zeroTimeoutWaitsForThePeer() throws Exception {
    pair = LoopbackPair.open();
    BufferedSource source = Okio.buffer(new SocketSource(pair.client, pair.peerName));
    pair.client.setSoTimeout(1); // Left over from elsewhere; the source replaces it.
    source.timeout().timeout(0, TimeUnit.MILLISECONDS);
    Thread reader = Thread.currentThread();
    Thread writer = new Thread(() -> {
      try {
        awaitReading(reader); // A 1 ms socket timeout would have ended the read by now.
        pair.peer.getOutputStream().write('x');
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    writer.start();

    assertThat(source.readByte()).isEqualTo((byte) 'x');
    assertThat(pair.client.getSoTimeout()).isZero();
    writer.join();
  }

  @Test
  void deadlineEndsARead() throws Exception {
    pair = LoopbackPair.open();
    BufferedSource source = Okio.buffer(new SocketSource(pair.client, pair.peerName));
    source.timeout().deadline(100, TimeUnit.MILLISECONDS);

    assertThatThrownBy(source::readByte)
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining(pair.peerName);
  }

  @Test
  void readThatTimesOutAfterQuickReadsStillEndsAndLaterReadsFail() throws Exception {
    pair = LoopbackPair.open();
    BufferedSource source = Okio.buffer(new SocketSource(pair.client, pair.peerName));
    OutputStream peer = pair.peer.getOutputStream();
    source.timeout().timeout(200, TimeUnit.MILLISECONDS);
    for (int i = 0; i < 3; i++) {
      peer.write('a');
      assertThat(source.readByte()).isEqualTo((byte) 'a');
    }

    assertThatThrownBy(source::readByte)
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("timeout reading from " + pair.peerName);
    assertThat(pair.client.isClosed()).isTrue();
    peer.write('b');
    assertThatThrownBy(source::readByte).isInstanceOf(IOException.class);
  }

  @Test
  void passedDeadlineFailsBeforeReading() throws Exception {
    pair = LoopbackPair.open();
    SocketSource source = new SocketSource(pair.client, pair.peerName);
    source.timeout().deadlineNanoTime(System.nanoTime() - 1);

    assertThatThrownBy(() -> source.read(new Buffer(), 1)).isInstanceOf(InterruptedIOException.class);
  }

  @Test
  void closingTheSocketUnblocksARead() throws Exception {
    pair = LoopbackPair.open();
    BufferedSource source = Okio.buffer(new SocketSource(pair.client, pair.peerName));
    Thread reader = Thread.currentThread();
    Thread closer = new Thread(() -> {
      awaitReading(reader);
      try {
        pair.client.close();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    closer.start();

    assertThatThrownBy(source::readByte)
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(SocketTimeoutException.class);
    closer.join();
  }

  @Test
  void readsLeaveUnreadBytesInTheSocketAndBufferNothingBeyondTheRead() throws Exception {
    pair = LoopbackPair.open();
    SocketSource source = new SocketSource(pair.client, pair.peerName);
    pair.peer.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
    Buffer buffer = new Buffer().writeUtf8("x");

    long read = 0;
    while (read < 3) {
      read += source.read(buffer, 3 - read);
    }
    assertThat(buffer.readUtf8()).isEqualTo("xabc");
    pair.peer.shutdownOutput();
    assertThat(source.read(buffer, 10)).isEqualTo(-1);
    assertThat(buffer.size()).isZero();
  }

  @Test
  void arrayReadFillsTheGivenRangeOnlyAndLeavesTheRestInTheSocket() throws Exception {
    pair = LoopbackPair.open();
    SocketSource source = new SocketSource(pair.client, pair.peerName);
    pair.peer.getOutputStream().write("abcdef".getBytes(StandardCharsets.US_ASCII));
    byte[] sink = "........".getBytes(StandardCharsets.US_ASCII);

    int read = 0;
    while (read < 4) {
      read += source.read(sink, 3 + read, 4 - read);
    }

    assertThat(new String(sink, StandardCharsets.US_ASCII)).isEqualTo("...abcd.");
    BufferedSource rest = Okio.buffer(source);
    assertThat(rest.readUtf8(2)).isEqualTo("ef");
    pair.peer.shutdownOutput();
    assertThat(source.read(sink, 0, sink.length)).isEqualTo(-1);
    assertThat(source.read(sink, 0, 0)).isZero();
  }

  @Test
  void arrayReadFromASilentPeerEndsAfterItsTimeoutNamingThePeerAndClosesTheSocket() throws Exception {
    pair = LoopbackPair.open();
    SocketSource source = new SocketSource(pair.client, pair.peerName);
    pair.client.setSoTimeout(60_000); // Left over from elsewhere; the watchdog times the read.
    source.timeout().timeout(100, TimeUnit.MILLISECONDS);

    assertThatThrownBy(() -> source.read(new byte[65536], 0, 65536))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("timeout reading from " + pair.peerName);
    assertThat(pair.client.isClosed()).isTrue();
    assertThatThrownBy(() -> source.read(new byte[10], 0, 10)).isInstanceOf(IOException.class);
  }

  @Test
  void arrayReadHonoursThePassedDeadlineAndTheArraysBounds() throws Exception {
    pair = LoopbackPair.open();
    SocketSource source = new SocketSource(pair.client, pair.peerName);

    assertThatThrownBy(() -> source.read(new byte[4], 2, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
    source.timeout().deadlineNanoTime(System.nanoTime() - 1);
    assertThatThrownBy(() -> source.read(new byte[4], 0, 4))
        .isInstanceOf(InterruptedIOException.class);
  }

  @Test
  void closingTheSocketUnblocksAnArrayRead() throws Exception {
    pair = LoopbackPair.open();
    SocketSource source = new SocketSource(pair.client, pair.peerName);
    Thread reader = Thread.currentThread();
    Thread closer = new Thread(() -> {
      awaitReading(reader);
      try {
        pair.client.close();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    closer.start();

    assertThatThrownBy(() -> source.read(new byte[8192], 0, 8192))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(SocketTimeoutException.class);
    closer.join();
  }

  /** Waits for {@code thread} to block in a socket read, as its stack shows. */
  @Test
  void readThatTheSocketEndsAfterTheWatchdogClosedItIsATimeout() throws Exception {
    SocketSource buffered = new SocketSource(new EndsWhenClosedSocket(), "example.com:443");
    buffered.timeout().timeout(100, TimeUnit.MILLISECONDS);
    assertThatThrownBy(() -> buffered.read(new Buffer(), 8192))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("timeout reading from example.com:443");

    SocketSource direct = new SocketSource(new EndsWhenClosedSocket(), "example.com:443");
    direct.timeout().timeout(100, TimeUnit.MILLISECONDS);
    assertThatThrownBy(() -> direct.read(new byte[65536], 0, 65536))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("timeout reading from example.com:443");
  }

  @Test
  void socketThatEndsWithoutATimeoutReportsTheEnd() throws Exception {
    EndsWhenClosedSocket socket = new EndsWhenClosedSocket();
    SocketSource source = new SocketSource(socket, "example.com:443");
    socket.close();

    assertThat(source.read(new Buffer(), 8192)).isEqualTo(-1L);
    assertThat(source.read(new byte[8192], 0, 8192)).isEqualTo(-1);
  }

  /**
   * A socket whose reads wait until it is closed and then report the end of the stream, as a TLS
   * socket closed by another thread may.
   */
  private static final class EndsWhenClosedSocket extends Socket {
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public InputStream getInputStream() {
      return new InputStream() {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          try {
            closed.await();
          } catch (InterruptedException e) {
            throw new InterruptedIOException();
          }
          return -1;
        }
      };
    }

    @Override
    public synchronized void close() {
      closed.countDown();
    }

    @Override
    public boolean isClosed() {
      return closed.getCount() == 0;
    }

    @Override
    public synchronized int getSoTimeout() {
      return 0;
    }
  }

  private static void awaitReading(Thread thread) {
    // Bounded, so a thread that never blocks fails its test instead of hanging it.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() - deadline < 0) {
      for (StackTraceElement frame : thread.getStackTrace()) {
        if ((frame.getClassName().endsWith("NioSocketImpl") && frame.getMethodName().equals("park"))
            || frame.getMethodName().equals("read0")) {
          return;
        }
      }
      Thread.onSpinWait();
    }
  }
}
