package dev.courier.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.Channel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import okio.Timeout;

/**
 * Times one kind of blocking operation (the reads, the writes, a connect or a TLS handshake) on a
 * channel or socket without asking it to time out by itself: a Unix domain socket channel has no
 * {@code SO_TIMEOUT}, and a TCP socket given one turns non-blocking (see {@link #onSocket(Socket,
 * String)}). {@link
 * #begin} stamps the deadline an okio {@link Timeout} gives and {@link #end} clears it; the shared
 * {@link IoWatchdog} closes the channel of an operation still running past its deadline, which
 * fails that operation, and {@link #failure} then turns its exception into a timeout. An operation
 * costs two volatile stores and no timer of its own. One operation at a time, begun and ended by
 * one thread ({@link #beginWithin} allows another to end it).
 *
 * <pre>{@code
 * boolean timed = reads.begin(timeout);
 * try {
 *   read = channel.read(buffer);
 * } catch (IOException e) {
 *   throw reads.failure(e);
 * } finally {
 *   if (timed) reads.end();
 * }
 * }</pre>
 */
public final class WatchedOperation {
  private final Closeable target;
  private final BooleanSupplier closed;
  private final String timeoutMessage;
  private final IoWatchdog watchdog;
  private final Watch watch = new Watch();
  /** True while the watchdog watches this operation. */
  private final AtomicBoolean watched = new AtomicBoolean();
  private volatile long deadlineNanos = IoWatchdog.Watched.NOT_RUNNING;
  private volatile long lastStartNanos;
  private volatile long lastTimeoutNanos;
  private volatile boolean timedOut;

  /**
   * Creates a timer for the operations on {@code channel} that {@code description} names in
   * timeout messages, such as {@code read from unix:/run/app.sock}.
   */
  public WatchedOperation(Channel channel, String description) {
    this(channel, description, IoWatchdog.SHARED);
  }

  WatchedOperation(Channel channel, String description, IoWatchdog watchdog) {
    this(channel, new ChannelClosed(channel),
        Objects.requireNonNull(description, "description == null") + " timed out", watchdog);
  }

  /**
   * Creates a timer for the operations on {@code socket} (its reads, its writes, its connect or
   * a TLS handshake over it), whose timeouts close the socket and fail with {@code
   * timeoutMessage}, such as {@code timeout reading from example.com:443}. Unlike the socket's
   * own {@code SO_TIMEOUT} and connect timeout, which make the JDK switch the socket to
   * non-blocking mode for good (so every read that finds no data costs a read, a poll and another
   * read), this leaves the socket's reads blocking.
   */
  public static WatchedOperation onSocket(Socket socket, String timeoutMessage) {
    return onSocket(socket, timeoutMessage, IoWatchdog.SHARED);
  }

  /** Creates a timer as {@link #onSocket(Socket, String)} does, watched by {@code watchdog}. */
  static WatchedOperation onSocket(Socket socket, String timeoutMessage, IoWatchdog watchdog) {
    Objects.requireNonNull(socket, "socket == null");
    return new WatchedOperation(socket, new SocketClosed(socket), timeoutMessage, watchdog);
  }

  /**
   * Creates a timer for operations whose overdue end is to close {@code target}, something other
   * than a socket or channel (a connection whose writer is stuck, say); {@code closed} returns
   * true once {@code target} is closed, and lets the watchdog forget it. Timeouts fail with
   * {@code timeoutMessage}.
   */
  public static WatchedOperation closing(Closeable target, BooleanSupplier closed, String timeoutMessage) {
    return closing(target, closed, timeoutMessage, IoWatchdog.SHARED);
  }

  /** Creates a timer as {@link #closing(Closeable, BooleanSupplier, String)} does, watched by {@code watchdog}. */
  static WatchedOperation closing(Closeable target, BooleanSupplier closed, String timeoutMessage,
      IoWatchdog watchdog) {
    return new WatchedOperation(target, Objects.requireNonNull(closed, "closed == null"), timeoutMessage,
        watchdog);
  }

  private WatchedOperation(
      Closeable target, BooleanSupplier closed, String timeoutMessage, IoWatchdog watchdog) {
    this.target = Objects.requireNonNull(target, "target == null");
    this.closed = closed;
    this.timeoutMessage = Objects.requireNonNull(timeoutMessage, "timeoutMessage == null");
    this.watchdog = Objects.requireNonNull(watchdog, "watchdog == null");
  }

  /**
   * Starts an operation bounded by {@code timeout}: by its timeout, or by its deadline if that is
   * sooner. Returns whether it is bounded; if it is, call {@link #end()} once the operation
   * returns or throws. A timeout of 0 and no deadline mean none.
   *
   * @throws java.io.InterruptedIOException if the deadline has passed or the thread is interrupted
   */
  public boolean begin(Timeout timeout) throws IOException {
    timeout.throwIfReached();
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
    start(now, deadline, timeoutNanos);
    return true;
  }

  /**
   * Starts an operation that is to end within {@code timeoutNanos} (more than 0), whatever the
   * state of the thread starting it (interrupted, say); call {@link #end()} once it ends. The
   * operation may be ended by another thread than the one that began it.
   */
  public void beginWithin(long timeoutNanos) {
    if (timeoutNanos <= 0) {
      throw new IllegalArgumentException("timeoutNanos <= 0: " + timeoutNanos);
    }
    long now = watchdog.nanoTime();
    start(now, now + timeoutNanos, timeoutNanos);
  }

  private void start(long now, long deadline, long timeoutNanos) {
    if (timeoutNanos != lastTimeoutNanos) {
      lastTimeoutNanos = timeoutNanos;
    }
    lastStartNanos = now;
    deadlineNanos = deadline == IoWatchdog.Watched.NOT_RUNNING ? deadline + 1 : deadline;
    // After the deadline store: a watchdog letting go of this either sees the operation or is seen
    // here letting go (see Watch.release()).
    if (!watched.get() && watched.compareAndSet(false, true)) {
      watchdog.watch(watch);
    }
  }

  /** Ends the operation {@link #begin} bounded. */
  public void end() {
    deadlineNanos = IoWatchdog.Watched.NOT_RUNNING;
  }

  /** Returns true once the watchdog closed the channel because an operation outlasted its deadline. */
  public boolean timedOut() {
    return timedOut;
  }

  /**
   * Returns what an operation that failed with {@code cause} should throw: a {@link
   * SocketTimeoutException} naming the operation if the watchdog closed the channel, else {@code
   * cause} itself. A null {@code cause} (an operation that completed after its deadline) gives the
   * timeout without a cause.
   */
  public IOException failure(IOException cause) {
    if (!timedOut) {
      return cause;
    }
    SocketTimeoutException timeout = new SocketTimeoutException(timeoutMessage);
    if (cause != null) {
      timeout.initCause(cause);
    }
    return timeout;
  }

  @Override
  public String toString() {
    return "WatchedOperation{" + timeoutMessage + "}";
  }

  /** Shows the operation in progress to the watchdog. */
  private final class Watch implements IoWatchdog.Watched {
    @Override
    public long deadlineNanos() {
      return deadlineNanos;
    }

    @Override
    public long lastStartNanos() {
      return lastStartNanos;
    }

    @Override
    public long lastTimeoutNanos() {
      return lastTimeoutNanos;
    }

    @Override
    public boolean isClosed() {
      return closed.getAsBoolean();
    }

    @Override
    public boolean release() {
      watched.set(false);
      return deadlineNanos == NOT_RUNNING || !watched.compareAndSet(false, true);
    }

    @Override
    public void released() {
      watched.set(false);
    }

    @Override
    public void timedOut() {
      timedOut = true;
      try {
        target.close();
      } catch (IOException ignored) {
        // The channel is unusable either way; the operation reports the timeout.
      }
    }
  }

  // Named classes rather than lambdas: a cold JVM spins a class for each lambda on its first use,
  // and a socket's first timed connect is on the first call's path.

  /** Whether a socket is closed. */
  private static final class SocketClosed implements BooleanSupplier {
    private final Socket socket;

    SocketClosed(Socket socket) {
      this.socket = socket;
    }

    @Override
    public boolean getAsBoolean() {
      return socket.isClosed();
    }
  }

  /** Whether a channel is closed. */
  private static final class ChannelClosed implements BooleanSupplier {
    private final Channel channel;

    ChannelClosed(Channel channel) {
      this.channel = channel;
    }

    @Override
    public boolean getAsBoolean() {
      return !channel.isOpen();
    }
  }
}
