package dev.courier.http1.toolkit;

import dev.courier.Headers;
import dev.courier.RequestBody;
import dev.courier.internal.ArrayWritable;
import java.io.IOException;
import java.util.Objects;
import okio.Buffer;
import okio.BufferedSink;
import okio.ForwardingTimeout;
import okio.Sink;
import okio.Timeout;

/**
 * Frames a request body onto a connection's sink. Bytes move from the caller's buffer into the
 * connection's buffer segment by segment, without copying; or, through {@link #write(byte[], int,
 * int)}, a large array goes straight to the sink under the connection's buffer when the
 * connection offers that sink (see {@link dev.courier.spi.Transport#unbufferedSink()}), after
 * whatever the buffer held.
 *
 * <p>Closing the sink writes the end of the body but does not flush. Any failure, including a
 * framing violation, tells the listener so the connection takes no new exchanges. Not
 * thread-safe.
 */
public abstract class RequestBodySink implements Sink, ArrayWritable {
  /** The smallest array written straight to the sink under the connection's buffer: okio's segment size. */
  public static final int DIRECT_WRITE_MIN_BYTES = 8192;

  /** The connection's sink. */
  protected final BufferedSink sink;
  /** Names the server in error messages. */
  protected final String peer;
  /** What {@link #sink} buffers, written straight once it is emitted; null if not offered. */
  private final ArrayWritable unbuffered;
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
    this(sink, null, peer, listener, body);
  }

  /**
   * Creates a sink that frames onto {@code sink} and reports its end to {@code listener}, and
   * whose large array writes may go straight to {@code unbufferedSink}, the sink that {@code
   * sink} buffers, once {@code sink} is emitted.
   *
   * @param unbufferedSink what {@code sink} buffers, or null; used only if it can write from an
   *     array (Courier's socket sinks can), else array writes go through {@code sink}
   * @param body the body being written, asked for its trailers on close; null for none
   */
  protected RequestBodySink(BufferedSink sink, Sink unbufferedSink, String peer,
      ExchangeStreamListener listener, RequestBody body) {
    this.sink = sink;
    this.unbuffered = unbufferedSink instanceof ArrayWritable ? (ArrayWritable) unbufferedSink : null;
    this.peer = peer;
    this.listener = listener;
    this.body = body;
    this.timeout = new ForwardingTimeout(sink.timeout());
  }

  @Override
  public final void write(Buffer source, long byteCount) throws IOException {
    checkOpen();
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

  /**
   * Frames {@code byteCount} bytes of {@code source} from {@code offset} onto the connection, as
   * {@link #write(Buffer, long)} does: a write of {@value #DIRECT_WRITE_MIN_BYTES} bytes or more
   * goes straight from the array to the sink under the connection's buffer when there is one.
   * Checks the framing before writing a byte; any failure is reported as {@link #write(Buffer,
   * long)} reports it.
   *
   * @throws IllegalStateException if the sink is closed
   * @throws IndexOutOfBoundsException if {@code offset} and {@code byteCount} do not fit {@code
   *     source}
   * @throws java.net.ProtocolException if the body would exceed its declared length
   */
  @Override
  public final void write(byte[] source, int offset, int byteCount) throws IOException {
    Objects.checkFromIndexSize(offset, byteCount, source.length);
    checkOpen();
    if (byteCount == 0) {
      return;
    }
    try {
      writeFramed(source, offset, byteCount);
    } catch (IOException | RuntimeException e) {
      fail();
      throw e;
    }
  }

  /**
   * Returns true if large arrays written here go straight to the sink under the connection's
   * buffer: the connection offered one that takes arrays. A subclass whose array writes go through
   * {@link #writeFramed(Buffer, long)} may return false.
   */
  @Override
  public boolean bypassesBuffer() {
    return unbuffered != null;
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

  /**
   * Frames {@code byteCount > 0} bytes of {@code source} from {@code offset} onto the connection.
   * This implementation copies them into a buffer and calls {@link #writeFramed(Buffer, long)};
   * subclasses override it to write with {@link #writeConnection(byte[], int, int)}.
   */
  protected void writeFramed(byte[] source, int offset, int byteCount) throws IOException {
    Buffer buffer = new Buffer().write(source, offset, byteCount);
    writeFramed(buffer, byteCount);
  }

  /**
   * Writes {@code byteCount} bytes of {@code source} from {@code offset} to the connection, after
   * everything written before: a write of {@value #DIRECT_WRITE_MIN_BYTES} bytes or more straight
   * to the sink under the connection's buffer (the buffer emitted first) when one was given,
   * anything else into the buffer. The caller frames them.
   */
  protected final void writeConnection(byte[] source, int offset, int byteCount) throws IOException {
    if (unbuffered != null && byteCount >= DIRECT_WRITE_MIN_BYTES) {
      sink.emit();
      unbuffered.write(source, offset, byteCount);
    } else {
      sink.write(source, offset, byteCount);
    }
  }

  /** Frames the end of the body onto {@link #sink}, or throws if it ended too early. */
  protected abstract void writeEnd() throws IOException;

  /** Returns the body's trailers, asked for once the content is written; empty without a body. */
  protected final Headers bodyTrailers() throws IOException {
    return body == null ? Headers.EMPTY : body.trailers();
  }

  /** Fails a write to a sink that was closed, or that a failure closed. */
  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("request body sink is closed");
    }
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
