package dev.courier.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import okio.Buffer;
import okio.Sink;
import okio.Timeout;

/**
 * Writes to a socket, ending a write that outlasts {@link #timeout()}: its timeout (per chunk of
 * at most 64 KiB, as okio's socket sink) or its deadline. A socket write cannot time out by
 * itself, so a shared {@link WriteWatchdog} closes the socket of an overdue write; the write then
 * fails with a {@link SocketTimeoutException} naming the peer. A timeout of 0 and no deadline
 * mean none. Closing the socket from another thread fails a blocked write at once. Used by one
 * writer at a time; {@link #timeout()} is set by that writer between writes.
 */
public final class SocketSink implements Sink {
  /** The write deadline while no timed write is in progress. */
  static final long NOT_WRITING = Long.MIN_VALUE;
  private static final long MAX_CHUNK = 64 * 1024;

  private final Socket socket;
  private final OutputStream out;
  private final String peer;
  private final WriteWatchdog watchdog;
  private final Timeout timeout = new Timeout();
  /** True while the watchdog watches this sink. */
  private final AtomicBoolean watched = new AtomicBoolean();
  private volatile long writeDeadlineNanos = NOT_WRITING;
  private volatile long lastWriteStartNanos;
  private volatile long lastTimeoutNanos;
  private volatile boolean timedOut;

  /**
   * Creates a sink writing to {@code socket}, whose timeouts name {@code peer} (such as {@code
   * example.com:443}).
   *
   * @throws IOException if the socket's stream cannot be had, as when it is closed
   */
  public SocketSink(Socket socket, String peer) throws IOException {
    this(socket, peer, WriteWatchdog.SHARED);
  }

  SocketSink(Socket socket, String peer, WriteWatchdog watchdog) throws IOException {
    this.socket = Objects.requireNonNull(socket, "socket == null");
    this.out = socket.getOutputStream();
    this.peer = Objects.requireNonNull(peer, "peer == null");
    this.watchdog = watchdog;
  }

  /**
   * Writes {@code byteCount} bytes from {@code source}.
   *
   * @throws SocketTimeoutException naming the peer if a chunk outlasted the timeout or deadline;
   *     the socket is then closed
   * @throws java.io.InterruptedIOException if the deadline had passed or the thread is interrupted
   *     before a chunk
   */
  @Override
  public void write(Buffer source, long byteCount) throws IOException {
    if (byteCount < 0 || byteCount > source.size()) {
      throw new IllegalArgumentException("byteCount " + byteCount + " with " + source.size() + " buffered");
    }
    while (byteCount > 0) {
      timeout.throwIfReached();
      long chunk = Math.min(byteCount, MAX_CHUNK);
      boolean timed = begin();
      try {
        source.writeTo(out, chunk);
      } catch (IOException e) {
        if (timed) {
          end();
        }
        throw timedOut ? timeoutException(e) : e;
      }
      if (timed) {
        end();
        if (timedOut) {
          // Overdue as it completed: the watchdog closed the socket, so the next write would fail.
          throw timeoutException(null);
        }
      }
      byteCount -= chunk;
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /** Returns this sink's timeout; its timeout and deadline apply to each later write. */
  @Override
  public Timeout timeout() {
    return timeout;
  }

  /** Closes the socket. */
  @Override
  public void close() throws IOException {
    out.close();
  }

  @Override
  public String toString() {
    return "SocketSink{" + peer + "}";
  }

  /** Stamps the write's deadline, if it has one, and returns whether it has. */
  private boolean begin() {
    long timeoutNanos = timeout.timeoutNanos();
    boolean hasDeadline = timeout.hasDeadline();
    if (timeoutNanos == 0 && !hasDeadline) {
      return false;
    }
    long now = watchdog.nanoTime();
    long deadline;
    if (timeoutNanos != 0 && hasDeadline) {
      deadline = now + Math.min(timeoutNanos, timeout.deadlineNanoTime() - now);
    } else if (timeoutNanos != 0) {
      deadline = now + timeoutNanos;
    } else {
      deadline = timeout.deadlineNanoTime();
    }
    if (timeoutNanos != lastTimeoutNanos) {
      lastTimeoutNanos = timeoutNanos;
    }
    lastWriteStartNanos = now;
    writeDeadlineNanos = deadline == NOT_WRITING ? deadline + 1 : deadline;
    // After the deadline store: a watchdog letting go of this sink either sees the write or is
    // seen here letting go (see release()).
    if (!watched.get() && watched.compareAndSet(false, true)) {
      watchdog.watch(this);
    }
    return true;
  }

  private void end() {
    writeDeadlineNanos = NOT_WRITING;
  }

  private SocketTimeoutException timeoutException(IOException cause) {
    SocketTimeoutException e = new SocketTimeoutException("timeout writing to " + peer);
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  long writeDeadlineNanos() {
    return writeDeadlineNanos;
  }

  long lastWriteStartNanos() {
    return lastWriteStartNanos;
  }

  long lastTimeoutNanos() {
    return lastTimeoutNanos;
  }

  boolean isClosed() {
    return socket.isClosed();
  }

  /**
   * Stops being watched unless a timed write began meanwhile; returns true if it stopped. Called
   * by the watchdog thread only.
   */
  boolean release() {
    watched.set(false);
    return writeDeadlineNanos == NOT_WRITING || !watched.compareAndSet(false, true);
  }

  /** Records that the watchdog no longer watches this sink. Called by the watchdog thread only. */
  void released() {
    watched.set(false);
  }

  /** Ends the overdue write in progress by closing the socket. Called by the watchdog thread. */
  void timedOut() {
    timedOut = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // The socket is unusable either way; the writer reports the timeout.
    }
  }
}
