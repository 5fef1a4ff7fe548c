package dev.courier.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.Source;
import okio.Timeout;

/**
 * Reads from a socket, letting the socket's own {@code SO_TIMEOUT} end a read that outlasts
 * {@link #timeout()}: its timeout, or the time left to its deadline if that is sooner. The socket
 * timeout is changed only when that value changed since the last read, so reads cost no timer of
 * their own. A read that times out closes the socket, as okio's socket source does, and fails with
 * a {@link SocketTimeoutException} naming the peer. A timeout of 0 and no deadline mean none.
 * Closing the socket from another thread fails a blocked read at once. Used by one reader at a
 * time; {@link #timeout()} is set by that reader between reads.
 */
public final class SocketSource implements Source {
  private final Socket socket;
  private final InputStream in;
  private final String peer;
  private final Timeout timeout = new Timeout();
  private final Buffer.UnsafeCursor cursor = new Buffer.UnsafeCursor();
  /** The socket timeout last applied; -1 before the first read. */
  private int appliedMillis = -1;

  /**
   * Creates a source reading from {@code socket}, whose timeouts name {@code peer} (such as {@code
   * example.com:443}).
   *
   * @throws IOException if the socket's stream cannot be had, as when it is closed
   */
  public SocketSource(Socket socket, String peer) throws IOException {
    this.socket = Objects.requireNonNull(socket, "socket == null");
    this.in = socket.getInputStream();
    this.peer = Objects.requireNonNull(peer, "peer == null");
  }

  /**
   * Reads at most {@code byteCount} bytes, as many as one read of the socket gives.
   *
   * @return the number of bytes read, or -1 at the end of the stream
   * @throws SocketTimeoutException naming the peer if nothing came within the timeout or before
   *     the deadline; the socket is then closed
   * @throws java.io.InterruptedIOException if the thread is interrupted before the read
   */
  @Override
  public long read(Buffer sink, long byteCount) throws IOException {
    if (byteCount < 0) {
      throw new IllegalArgumentException("byteCount < 0: " + byteCount);
    }
    if (byteCount == 0) {
      return 0;
    }
    applySocketTimeout();
    sink.readAndWriteUnsafe(cursor);
    try {
      long oldSize = sink.size();
      cursor.expandBuffer(1);
      int toRead = (int) Math.min(byteCount, cursor.end - cursor.start);
      int read;
      try {
        read = in.read(cursor.data, cursor.start, toRead);
      } catch (SocketTimeoutException e) {
        cursor.resizeBuffer(oldSize);
        throw timedOut(e);
      } catch (IOException | RuntimeException e) {
        cursor.resizeBuffer(oldSize);
        throw e;
      }
      cursor.resizeBuffer(oldSize + Math.max(read, 0));
      return read;
    } finally {
      cursor.close();
    }
  }

  @Override
  public Timeout timeout() {
    return timeout;
  }

  /** Closes the socket. */
  @Override
  public void close() throws IOException {
    in.close();
  }

  @Override
  public String toString() {
    return "SocketSource{" + peer + "}";
  }

  /** Sets the socket's timeout to what the next read may take, if it changed since the last. */
  private void applySocketTimeout() throws IOException {
    timeout.throwIfReached();
    long nanos = timeout.timeoutNanos();
    if (timeout.hasDeadline()) {
      long untilDeadline = timeout.deadlineNanoTime() - System.nanoTime();
      if (untilDeadline <= 0) {
        throw timedOut(null);
      }
      nanos = nanos == 0 ? untilDeadline : Math.min(nanos, untilDeadline);
    }
    int millis = nanos == 0 ? 0 : (int) Math.min(Integer.MAX_VALUE,
        Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999)));
    if (millis != appliedMillis) {
      socket.setSoTimeout(millis);
      appliedMillis = millis;
    }
  }

  private SocketTimeoutException timedOut(IOException cause) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // The socket is unusable either way; the timeout is what the caller needs to know.
    }
    SocketTimeoutException e = new SocketTimeoutException("timeout reading from " + peer);
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }
}
