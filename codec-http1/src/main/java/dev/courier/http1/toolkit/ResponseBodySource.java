package dev.courier.http1.toolkit;

import dev.courier.Headers;
import dev.courier.internal.ArrayReadable;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingTimeout;
import okio.Source;
import okio.Timeout;

/**
 * Reads one response body from a connection's source, as framed by the response: the subclass
 * knows where the body ends. Bytes move into the caller's buffer segment by segment, or, through
 * {@link #read(byte[], int, int)}, straight into the caller's array: from the connection's buffer
 * while it holds any, else from the source under it when the connection offers that source.
 *
 * <p>Reaching the end tells the listener, which makes the connection free for the next exchange.
 * Closing before the end first tries to discard the rest within {@link #DISCARD_MILLIS}; if that
 * fails (the rest is large, stalled, or broken) the listener hears that the stream failed and
 * the connection takes no new exchanges. Any read failure does the same. Not thread-safe.
 */
public abstract class ResponseBodySource implements Source, ArrayReadable {
  /** How long closing a body before its end may spend discarding the rest. */
  public static final long DISCARD_MILLIS = 100;

  private static final long DISCARD_READ_BYTES = 8192L;

  /** The connection's source. */
  protected final BufferedSource source;
  /** Names the server in error messages. */
  protected final String peer;
  /** What {@link #source} buffers, read straight while its buffer is empty; null if not offered. */
  private final ArrayReadable unbuffered;
  private final ForwardingTimeout timeout;
  private final ExchangeStreamListener listener;
  private boolean ended;
  private boolean failed;
  private boolean closed;

  /** Creates a body source over {@code source} that reports its end to {@code listener}. */
  protected ResponseBodySource(BufferedSource source, String peer, ExchangeStreamListener listener) {
    this(source, null, peer, listener);
  }

  /**
   * Creates a body source over {@code source} that reports its end to {@code listener}, and whose
   * array reads may bypass {@code source}'s buffer when it is empty by reading {@code
   * unbufferedSource}, the source that {@code source} buffers (see {@link
   * dev.courier.spi.Transport#unbufferedSource()}).
   *
   * @param unbufferedSource what {@code source} buffers, or null; used only if it can read into
   *     an array (Courier's socket sources can), else array reads go through {@code source}
   */
  protected ResponseBodySource(BufferedSource source, Source unbufferedSource, String peer,
      ExchangeStreamListener listener) {
    this.source = source;
    this.unbuffered = unbufferedSource instanceof ArrayReadable ? (ArrayReadable) unbufferedSource : null;
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

  /**
   * Reads up to {@code byteCount} body bytes straight into {@code sink}, never past the body's
   * end, or returns -1 at the end; reaching the end or failing is reported as {@link
   * #read(Buffer, long)} reports it.
   *
   * @throws IllegalStateException if the source is closed
   * @throws IOException as {@link #read(Buffer, long)} does
   */
  @Override
  public final int read(byte[] sink, int offset, int byteCount) throws IOException {
    Objects.checkFromIndexSize(offset, byteCount, sink.length);
    if (closed) {
      throw new IllegalStateException("response body source is closed");
    }
    if (hasEnded()) {
      return -1;
    }
    if (byteCount == 0) {
      return 0;
    }
    try {
      return readFramed(sink, offset, byteCount);
    } catch (IOException | RuntimeException e) {
      fail();
      throw e;
    }
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
   * Reads up to {@code byteCount} (at least 1) body bytes into {@code sink} from {@code offset},
   * or returns -1 after calling {@link #endOfBody} once the framing says the body is complete.
   * This implementation reads through {@link #readFramed(Buffer, long)}; subclasses override it
   * to read straight with {@link #readConnection(byte[], int, int)}.
   */
  protected int readFramed(byte[] sink, int offset, int byteCount) throws IOException {
    Buffer buffer = new Buffer();
    long read = readFramed(buffer, byteCount);
    if (read == -1L) {
      return -1;
    }
    int position = offset;
    while (buffer.size() > 0L) {
      position += buffer.read(sink, position, (int) buffer.size());
    }
    return (int) read;
  }

  /**
   * Reads up to {@code byteCount} (at least 1) bytes from the connection into {@code sink}: from
   * its buffer while that holds any, else straight from the source under it when one was given,
   * else through the buffer. Returns -1 at the end of the connection's stream. The caller bounds
   * {@code byteCount} by what is left of the body, so nothing past it is read.
   */
  protected final int readConnection(byte[] sink, int offset, int byteCount) throws IOException {
    if (unbuffered != null && source.getBuffer().size() == 0L) {
      return unbuffered.read(sink, offset, byteCount);
    }
    return source.read(sink, offset, byteCount);
  }

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
    if (hasEnded()) {
      return -1L;
    }
    try {
      return readFramed(sink, byteCount);
    } catch (IOException | RuntimeException e) {
      fail();
      throw e;
    }
  }

  /**
   * Returns true if the body has ended, false if it may be read further.
   *
   * @throws IOException if an earlier read failed
   */
  private boolean hasEnded() throws IOException {
    if (failed) {
      throw new IOException("The response body from " + peer + " failed earlier; it cannot be read further");
    }
    return ended;
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
