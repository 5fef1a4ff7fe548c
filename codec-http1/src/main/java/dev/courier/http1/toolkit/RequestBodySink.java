package dev.courier.http1.toolkit;

import dev.courier.Headers;
import dev.courier.RequestBody;
import java.io.IOException;
import okio.Buffer;
import okio.BufferedSink;
import okio.ForwardingTimeout;
import okio.Sink;
import okio.Timeout;

/**
 * Frames a request body onto a connection's sink. Bytes move from the caller's buffer into the
 * connection's buffer segment by segment, without copying.
 *
 * <p>Closing the sink writes the end of the body but does not flush. Any failure, including a
 * framing violation, tells the listener so the connection takes no new exchanges. Not
 * thread-safe.
 */
public abstract class RequestBodySink implements Sink {
  /** The connection's sink. */
  protected final BufferedSink sink;
  /** Names the server in error messages. */
  protected final String peer;
  private final ForwardingTimeout timeout;
  private final ExchangeStreamListener listener;
  private final RequestBody body;
  private boolean closed;

  /**
   * Creates a sink that frames onto {@code sink} and reports its end to {@code listener}.
   *
   * @param body the body being written, asked for its trailers on close; null for none
   */
  protected RequestBodySink(BufferedSink sink, String peer, ExchangeStreamListener listener,
      RequestBody body) {
    this.sink = sink;
    this.peer = peer;
    this.listener = listener;
    this.body = body;
    this.timeout = new ForwardingTimeout(sink.timeout());
  }

  @Override
  public final void write(Buffer source, long byteCount) throws IOException {
    if (closed) {
      throw new IllegalStateException("request body sink is closed");
    }
    if (byteCount < 0) {
      throw new IllegalArgumentException("byteCount < 0: " + byteCount);
    }
    if (byteCount == 0L) {
      return;
    }
    try {
      writeFramed(source, byteCount);
    } catch (IOException | RuntimeException e) {
      fail();
      throw e;
    }
  }

  @Override
  public final void flush() throws IOException {
    if (closed) {
      return;
    }
    try {
      sink.flush();
    } catch (IOException e) {
      fail();
      throw e;
    }
  }

  /**
   * Writes the end of the body (the last chunk and trailers, or a length check) without flushing.
   * Idempotent.
   *
   * @throws java.net.ProtocolException if the body ended early or its trailers cannot be sent
   */
  @Override
  public final void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writeEnd();
    } catch (IOException | RuntimeException e) {
      fail();
      throw e;
    }
    detachTimeout();
    listener.requestBodyClosed();
  }

  /** Returns the write timeout; it governs the connection's sink until the body is closed. */
  @Override
  public final Timeout timeout() {
    return timeout;
  }

  /** Frames {@code byteCount > 0} bytes of {@code source} onto {@link #sink}. */
  protected abstract void writeFramed(Buffer source, long byteCount) throws IOException;

  /** Frames the end of the body onto {@link #sink}, or throws if it ended too early. */
  protected abstract void writeEnd() throws IOException;

  /** Returns the body's trailers, asked for once the content is written; empty without a body. */
  protected final Headers bodyTrailers() throws IOException {
    return body == null ? Headers.EMPTY : body.trailers();
  }

  private void fail() {
    closed = true;
    detachTimeout();
    listener.requestBodyFailed();
  }

  private void detachTimeout() {
    Timeout delegate = timeout.delegate();
    timeout.setDelegate(Timeout.NONE);
    delegate.clearDeadline();
  }
}
