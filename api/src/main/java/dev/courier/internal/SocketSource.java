package dev.courier.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Objects;
import okio.Buffer;
import okio.Source;
import okio.Timeout;

/**
 * Reads from a socket with blocking reads, ending a read that outlasts {@link #timeout()} (its
 * timeout, or its deadline if that is sooner) through the shared {@link IoWatchdog}, which
 * closes the socket of an overdue read. A read costs two volatile stores and no timer of its own.
 *
 * <p>The socket's own {@code SO_TIMEOUT} is not used: once a read is given one, the JDK switches
 * the socket to non-blocking mode for good, and every read that finds no data then costs a read,
 * a poll and another read (for a small response, most reads). The source clears a timeout left on
 * the socket before its first read.
 *
 * <p>A read that times out fails with a {@link SocketTimeoutException} naming the peer, the socket
 * closed, as okio's socket source does. A timeout of 0 and no deadline mean none. {@link
 * #read(byte[], int, int)} reads into a caller's array under the same timeout. Closing the
 * socket from another thread fails a blocked read at once. Used by one reader at a time; {@link
 * #timeout()} is set by that reader between reads.
 */
public final class SocketSource implements Source, ArrayReadable {
  private final Socket socket;
  private final InputStream in;
  private final String peer;
  /** What a read that outlasted its timeout fails with, naming the peer. */
  private final String timeoutMessage;
  private final Timeout timeout = new Timeout();
  private final Buffer.UnsafeCursor cursor = new Buffer.UnsafeCursor();
  /** Times each read, the shared watchdog closing the socket of an overdue one. */
  private final WatchedOperation reads;
  /** True once a timeout left on the socket has been cleared. */
  private boolean socketTimeoutCleared;

  /**
   * Creates a source reading from {@code socket}, whose timeouts name {@code peer} (such as {@code
   * example.com:443}).
   *
   * @throws IOException if the socket's stream cannot be had, as when it is closed
   */
  public SocketSource(Socket socket, String peer) throws IOException {
    this(socket, peer, IoWatchdog.SHARED);
  }

  /**
   * Creates a source reading from {@code socket}, a TLS socket layered over the TCP socket {@code
   * tcpSocket}, whose timeouts name {@code peer}. An overdue read closes {@code tcpSocket}, which
   * ends it at once without the TLS socket's closing alert (sent under a lock a blocked write may
   * hold).
   *
   * @throws IOException if the socket's stream cannot be had, as when it is closed
   */
  public SocketSource(Socket socket, Socket tcpSocket, String peer) throws IOException {
    this(socket, tcpSocket, peer, IoWatchdog.SHARED);
  }

  SocketSource(Socket socket, String peer, IoWatchdog watchdog) throws IOException {
    this(socket, socket, peer, watchdog);
  }

  SocketSource(Socket socket, Socket closedOnTimeout, String peer, IoWatchdog watchdog)
      throws IOException {
    this.socket = Objects.requireNonNull(socket, "socket == null");
    this.in = socket.getInputStream();
    this.peer = Objects.requireNonNull(peer, "peer == null");
    this.timeoutMessage = "timeout reading from " + peer;
    this.reads = WatchedOperation.onSocket(closedOnTimeout, timeoutMessage, watchdog);
  }

  /**
   * Reads at most {@code byteCount} bytes, as many as one read of the socket gives.
   *
   * @return the number of bytes read, or -1 at the end of the stream
   * @throws SocketTimeoutException naming the peer if nothing came within the timeout or before
   *     the deadline; the socket is then closed
   * @throws java.io.InterruptedIOException if the deadline had passed or the thread is interrupted
   *     before the read
   */
  @Override
  public long read(Buffer sink, long byteCount) throws IOException {
    if (byteCount < 0) {
      throw new IllegalArgumentException("byteCount < 0: " + byteCount);
    }
    if (byteCount == 0) {
      return 0;
    }
    if (!socketTimeoutCleared) {
      clearSocketTimeout();
    }
    boolean timed = reads.begin(timeout);
    try {
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
        } catch (IOException e) {
          cursor.resizeBuffer(oldSize);
          throw reads.failure(e);
        } catch (RuntimeException e) {
          cursor.resizeBuffer(oldSize);
          throw e;
        }
        cursor.resizeBuffer(oldSize + Math.max(read, 0));
        // A read the watchdog found overdue as it completed keeps its bytes; the socket is closed,
        // so the next read fails with the timeout.
        return endOrTimeout(read);
      } finally {
        cursor.close();
      }
    } finally {
      if (timed) {
        reads.end();
      }
    }
  }

  /**
   * Reads at most {@code byteCount} bytes into {@code sink}, as many as one read of the socket
   * gives, timed as {@link #read(Buffer, long)} is.
   *
   * @return the number of bytes read, 0 if {@code byteCount} is 0, or -1 at the end of the stream
   * @throws SocketTimeoutException naming the peer if nothing came within the timeout or before
   *     the deadline; the socket is then closed
   * @throws java.io.InterruptedIOException if the deadline had passed or the thread is interrupted
   *     before the read
   * @throws IndexOutOfBoundsException if {@code offset} and {@code byteCount} do not fit {@code sink}
   */
  @Override
  public int read(byte[] sink, int offset, int byteCount) throws IOException {
    Objects.checkFromIndexSize(offset, byteCount, sink.length);
    if (byteCount == 0) {
      return 0;
    }
    if (!socketTimeoutCleared) {
      clearSocketTimeout();
    }
    boolean timed = reads.begin(timeout);
    try {
      return (int) endOrTimeout(in.read(sink, offset, byteCount));
    } catch (SocketTimeoutException e) {
      throw timedOut(e);
    } catch (IOException e) {
      throw reads.failure(e);
    } finally {
      if (timed) {
        reads.end();
      }
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

  /**
   * Returns {@code read}, unless it is the end of the stream of a socket the watchdog closed: a
   * socket closed under a blocked read may report the end (a TLS socket can) instead of failing,
   * and that end is the timeout's, not the peer's.
   */
  private long endOrTimeout(long read) throws IOException {
    if (read == -1L && reads.timedOut()) {
      throw reads.failure(null);
    }
    return read;
  }

  /** Clears a socket timeout set before this source took over the reads, so reads block. */
  private void clearSocketTimeout() throws IOException {
    if (socket.getSoTimeout() != 0) {
      socket.setSoTimeout(0);
    }
    socketTimeoutCleared = true;
  }

  /** Closes the socket and returns the timeout of a read the socket itself ended. */
  private SocketTimeoutException timedOut(IOException cause) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // The socket is unusable either way; the timeout is what the caller needs to know.
    }
    SocketTimeoutException e = new SocketTimeoutException(timeoutMessage);
    e.initCause(cause);
    return e;
  }
}
