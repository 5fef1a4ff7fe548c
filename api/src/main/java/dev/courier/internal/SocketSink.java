package dev.courier.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import okio.Buffer;
import okio.Sink;
import okio.Timeout;

/**
 * Writes to a socket, gathering small writes into large ones and ending a write that outlasts
 * {@link #timeout()}: its timeout (per socket write of at most {@value #MAX_CHUNK} bytes, as
 * okio's socket sink) or its deadline.
 *
 * <p>Bytes written are held (okio's segments move in, nothing is copied) until {@link #flush()},
 * {@link #close()} or until {@value #MAX_CHUNK} bytes wait; then they go out in socket writes of
 * up to {@value #MAX_CHUNK} bytes, gathered into an array borrowed from {@link LargeBufferPool}
 * for the length of the write, so a bulk upload makes one system call (over TLS, one record of
 * 16 KiB instead of 8 KiB) where okio makes eight, and an idle connection holds no buffer.
 * Writes of at most one segment go out as they are, without borrowing. {@link #write(byte[], int,
 * int)} sends a caller's array as it is, after the pending bytes, without gathering.
 *
 * <p>A socket write cannot time out by itself, so a shared {@link IoWatchdog} closes the
 * socket of an overdue write; the write then fails with a {@link SocketTimeoutException} naming
 * the peer. A timeout of 0 and no deadline mean none. Closing the socket from another thread fails
 * a blocked write at once. Used by one writer at a time; {@link #timeout()} is set by that writer
 * between writes.
 */
public final class SocketSink implements Sink, ArrayWritable {
  private static final int MAX_CHUNK = LargeBufferPool.BUFFER_SIZE;
  /** Pending bytes up to this many go out as they lie, segment by segment. */
  private static final long SEGMENT_BYTES = 8192L;
  /** How long closing a TLS socket may wait to send its closing alert (see {@link #closeTls}). */
  static final long CLOSE_ALERT_MILLIS = 1000L;

  private final Socket socket;
  /** What a timeout closes: the socket, or the TCP socket under it if it is a TLS socket. */
  private final Socket closedOnTimeout;
  private final OutputStream out;
  private final String peer;
  private final LargeBufferPool pool;
  private final Timeout timeout = new Timeout();
  /** Bytes written but not yet sent; empty between flushes, so holding no segment. */
  private final Buffer pending = new Buffer();
  /** Times each socket write, the shared watchdog closing the socket of an overdue one. */
  private final WatchedOperation writes;
  /**
   * Held around each socket write and its timing, so that closing a TLS socket can tell whether a
   * write is in flight (see {@link #closeTls}); uncontended otherwise.
   */
  private final ReentrantLock socketWrites = new ReentrantLock();

  /**
   * Creates a sink writing to {@code socket}, whose timeouts name {@code peer} (such as {@code
   * example.com:443}).
   *
   * @throws IOException if the socket's stream cannot be had, as when it is closed
   */
  public SocketSink(Socket socket, String peer) throws IOException {
    this(socket, socket, peer, IoWatchdog.SHARED, LargeBufferPool.SHARED);
  }

  /**
   * Creates a sink writing to {@code socket}, a TLS socket layered over the TCP socket {@code
   * tcpSocket}, whose timeouts name {@code peer}. An overdue write closes {@code tcpSocket}: the
   * TLS socket's own close would first wait, to send its closing alert, for the lock that the
   * blocked write holds, and with it the watchdog that times every connection's operations.
   *
   * @throws IOException if the socket's stream cannot be had, as when it is closed
   */
  public SocketSink(Socket socket, Socket tcpSocket, String peer) throws IOException {
    this(socket, tcpSocket, peer, IoWatchdog.SHARED, LargeBufferPool.SHARED);
  }

  SocketSink(Socket socket, String peer, IoWatchdog watchdog) throws IOException {
    this(socket, socket, peer, watchdog, LargeBufferPool.SHARED);
  }

  SocketSink(Socket socket, String peer, IoWatchdog watchdog, LargeBufferPool pool)
      throws IOException {
    this(socket, socket, peer, watchdog, pool);
  }

  SocketSink(Socket socket, Socket closedOnTimeout, String peer, IoWatchdog watchdog,
      LargeBufferPool pool) throws IOException {
    this.socket = Objects.requireNonNull(socket, "socket == null");
    this.closedOnTimeout = Objects.requireNonNull(closedOnTimeout, "closedOnTimeout == null");
    this.out = socket.getOutputStream();
    this.peer = Objects.requireNonNull(peer, "peer == null");
    this.pool = pool;
    this.writes = WatchedOperation.onSocket(closedOnTimeout, "timeout writing to " + peer, watchdog);
  }

  /**
   * Takes {@code byteCount} bytes from {@code source}, sending them once {@value #MAX_CHUNK}
   * bytes wait, else at the next flush.
   *
   * @throws SocketTimeoutException naming the peer if a socket write outlasted the timeout or
   *     deadline; the socket is then closed
   * @throws java.io.InterruptedIOException if the deadline had passed or the thread is interrupted
   *     before a socket write
   */
  @Override
  public void write(Buffer source, long byteCount) throws IOException {
    if (byteCount < 0 || byteCount > source.size()) {
      throw new IllegalArgumentException("byteCount " + byteCount + " with " + source.size() + " buffered");
    }
    timeout.throwIfReached();
    pending.write(source, byteCount);
    if (pending.size() >= MAX_CHUNK) {
      sendPending(pending.size() - pending.size() % MAX_CHUNK);
    }
  }

  /**
   * Sends the pending bytes, then {@code byteCount} bytes of {@code source} from {@code offset}
   * straight from the array (nothing is copied into okio's segments or a gathering array), in
   * socket writes of at most {@value #MAX_CHUNK} bytes, each timed as {@link #write(Buffer, long)}'s
   * are.
   *
   * @throws SocketTimeoutException naming the peer if a socket write outlasted the timeout or
   *     deadline; the socket is then closed
   * @throws java.io.InterruptedIOException if the deadline had passed or the thread is interrupted
   *     before a socket write
   * @throws IndexOutOfBoundsException if {@code offset} and {@code byteCount} do not fit {@code
   *     source}
   */
  @Override
  public void write(byte[] source, int offset, int byteCount) throws IOException {
    Objects.checkFromIndexSize(offset, byteCount, source.length);
    timeout.throwIfReached();
    if (pending.size() > 0L) {
      sendPending(pending.size());
    }
    for (int end = offset + byteCount; offset < end; ) {
      int chunk = Math.min(end - offset, MAX_CHUNK);
      send(source, offset, chunk);
      offset += chunk;
    }
  }

  /**
   * Sends every pending byte and flushes the socket's stream.
   *
   * @throws SocketTimeoutException naming the peer if a socket write outlasted the timeout or
   *     deadline; the socket is then closed
   */
  @Override
  public void flush() throws IOException {
    if (pending.size() > 0L) {
      sendPending(pending.size());
    }
    out.flush();
  }

  /** Returns this sink's timeout; its timeout and deadline apply to each later write. */
  @Override
  public Timeout timeout() {
    return timeout;
  }

  /** Sends the pending bytes, as okio's buffered sink does before closing, then closes the socket. */
  @Override
  public void close() throws IOException {
    try {
      if (pending.size() > 0L && !socket.isClosed()) {
        sendPending(pending.size());
      }
    } finally {
      pending.clear();
      out.close();
    }
  }

  @Override
  public String toString() {
    return "SocketSink{" + peer + "}";
  }

  /**
   * Closes {@code tlsSocket}, the TLS socket this sink writes, without waiting long: with its
   * closing alert if no write is in flight and the alert goes out within {@value
   * #CLOSE_ALERT_MILLIS} ms (else the watchdog closes the TCP socket under it); at once, by
   * closing the TCP socket first and without the alert, if a write is in flight, since the TLS
   * socket would send the alert only after that write, which may be blocked on a peer that
   * stopped reading. Writes waiting meanwhile then fail on the closed socket.
   */
  void closeTls(Socket tlsSocket) {
    if (!socketWrites.tryLock()) {
      closeQuietly(closedOnTimeout);
      closeQuietly(tlsSocket);
      return;
    }
    try {
      boolean timed = writes.begin(new Timeout().timeout(CLOSE_ALERT_MILLIS, TimeUnit.MILLISECONDS));
      try {
        closeQuietly(tlsSocket);
      } finally {
        if (timed) {
          writes.end();
        }
      }
    } catch (IOException interrupted) {
      closeQuietly(closedOnTimeout); // Interrupted before the close: close without waiting.
      closeQuietly(tlsSocket);
    } finally {
      socketWrites.unlock();
    }
  }

  /** Closes {@code socket}, ignoring a failure: the socket is unusable either way. */
  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // The socket is unusable either way.
    }
  }

  /** Sends the first {@code byteCount} pending bytes in socket writes of at most {@value #MAX_CHUNK}. */
  private void sendPending(long byteCount) throws IOException {
    if (byteCount <= SEGMENT_BYTES) {
      send(null, 0, byteCount);
      return;
    }
    byte[] gathered = pool.borrow();
    try {
      while (byteCount > 0L) {
        int chunk = (int) Math.min(byteCount, gathered.length);
        for (int read = 0; read < chunk; ) {
          read += pending.read(gathered, read, chunk - read);
        }
        send(gathered, 0, chunk);
        byteCount -= chunk;
      }
    } finally {
      pool.giveBack(gathered);
    }
  }

  /**
   * Writes {@code byteCount} bytes, at most {@value #MAX_CHUNK}, in one timed socket write: those
   * of {@code array} from {@code offset}, or, if it is null, the first pending ones.
   */
  private void send(byte[] array, int offset, long byteCount) throws IOException {
    boolean timed;
    socketWrites.lock();
    try {
      timed = writes.begin(timeout);
      try {
        if (array != null) {
          out.write(array, offset, (int) byteCount);
        } else {
          pending.writeTo(out, byteCount);
        }
      } catch (IOException e) {
        throw writes.failure(e);
      } finally {
        if (timed) {
          writes.end();
        }
      }
    } finally {
      socketWrites.unlock();
    }
    if (timed && writes.timedOut()) {
      // Overdue as it completed: the watchdog closed the socket, so the next write would fail.
      throw writes.failure(null);
    }
  }
}
