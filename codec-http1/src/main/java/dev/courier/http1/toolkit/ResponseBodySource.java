package dev.courier.http1.toolkit;

import dev.courier.Headers;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingTimeout;
import okio.Source;
import okio.Timeout;

/**
 * Reads one response body from a connection's source, as framed by the response: the subclass
 * knows where the body ends. Bytes move into the caller's buffer segment by segment.
 *
 * <p>Reaching the end tells the listener, which makes the connection free for the next exchange.
 * Closing before the end first tries to discard the rest within {@link #DISCARD_MILLIS}; if that
 * fails (the rest is large, stalled, or broken) the listener hears that the stream failed and
 * the connection takes no new exchanges. Any read failure does the same. Not thread-safe.
 */
public abstract class ResponseBodySource implements Source {
  /** How long closing a body before its end may spend discarding the rest. */
  public static final long DISCARD_MILLIS = 100;

  private static final long DISCARD_READ_BYTES = 8192L;

  /** The connection's source. */
  protected final BufferedSource source;
  /** Names the server in error messages. */
  protected final String peer;
  private final ForwardingTimeout timeout;
  private final ExchangeStreamListener listener;
  private boolean ended;
  private boolean failed;
  private boolean closed;

  /** Creates a body source over {@code source} that reports its end to {@code listener}. */
  protected ResponseBodySource(BufferedSource source, String peer, ExchangeStreamListener listener) {
    this.source = source;
    this.peer = peer;
    this.listener = listener;
    this.timeout = new ForwardingTimeout(source.timeout());
  }

  @Override
  public final long read(Buffer sink, long byteCount) throws IOException {
    if (byteCount < 0) {
      throw new IllegalArgumentException("byteCount < 0: " + byteCount);
    }
    if (closed) {
      throw new IllegalStateException("response body source is closed");
    }
    return readOrEnd(sink, byteCount);
  }

  /** Returns the read timeout; it governs the connection's source until the body ends. */
  @Override
  public final Timeout timeout() {
    return timeout;
  }

  /**
   * Closes the body. If it was not read to the end, discards what is left if that takes less than
   * {@link #DISCARD_MILLIS}, else leaves the connection unusable. Idempotent.
   */
  @Override
  public final void close() {
    if (closed) {
      return;
    }
    if (!ended && (!discardOnEarlyClose() || !discardRemaining())) {
      fail();
    }
    closed = true;
  }

  /**
   * Reads up to {@code byteCount} body bytes into {@code sink}, or returns -1 after calling
   * {@link #endOfBody} once the framing says the body is complete.
   */
  protected abstract long readFramed(Buffer sink, long byteCount) throws IOException;

  /**
   * Returns true if closing before the end should try to discard the rest so the connection can
   * be reused; false if the connection cannot be reused anyway.
   */
  protected boolean discardOnEarlyClose() {
    return true;
  }

  /** Marks the body complete, with {@code trailers} (empty if none). */
  protected final void endOfBody(Headers trailers) {
    if (ended) {
      return;
    }
    ended = true;
    detachTimeout();
    listener.responseBodyEnded(trailers);
  }

  private long readOrEnd(Buffer sink, long byteCount) throws IOException {
    if (failed) {
      throw new IOException("The response body from " + peer + " failed earlier; it cannot be read further");
    }
    if (ended) {
      return -1L;
    }
    try {
      return readFramed(sink, byteCount);
    } catch (IOException | RuntimeException e) {
      fail();
      throw e;
    }
  }

  private boolean discardRemaining() {
    Timeout connectionTimeout = timeout.delegate();
    boolean hadDeadline = connectionTimeout.hasDeadline();
    long originalDeadline = hadDeadline ? connectionTimeout.deadlineNanoTime() : 0L;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DISCARD_MILLIS);
    if (hadDeadline && originalDeadline - deadline < 0) {
      deadline = originalDeadline;
    }
    connectionTimeout.deadlineNanoTime(deadline);
    try {
      Buffer skipped = new Buffer();
      while (readOrEnd(skipped, DISCARD_READ_BYTES) != -1L) {
        skipped.clear();
      }
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      // Once the body has ended its timeout is detached; the deadline must not outlive it.
      if (hadDeadline && !ended) {
        connectionTimeout.deadlineNanoTime(originalDeadline);
      } else {
        connectionTimeout.clearDeadline();
      }
    }
  }

  private void fail() {
    if (ended) {
      return;
    }
    ended = true;
    failed = true;
    detachTimeout();
    listener.responseBodyFailed();
  }

  private void detachTimeout() {
    Timeout delegate = timeout.delegate();
    timeout.setDelegate(Timeout.NONE);
    delegate.clearDeadline();
  }
}
