package dev.courier.chain.internal;

import dev.courier.internal.ArrayReadable;
import java.io.IOException;
import java.net.ProtocolException;
import okio.Buffer;
import okio.Source;
import okio.Timeout;

/**
 * Reads a response body from the codec, counting bytes, and tells the exchange when the body ends
 * (read to the end or closed) or fails. The codec's source is closed before the exchange completes,
 * so the codec is done with the connection when the pool gets it back. When the codec's source can
 * read into an array, so can this one, counting and ending alike; else {@link #read(byte[], int,
 * int)} must not be called ({@link #readsArrays()}).
 */
final class ResponseBodySource implements Source, ArrayReadable {
  private final Exchange exchange;
  private final Source delegate;
  private final long contentLength;
  private long bytesReceived;
  private boolean invokeStartEvent = true;
  private boolean completed;
  private boolean closed;

  ResponseBodySource(Exchange exchange, Source delegate, long contentLength) {
    this.exchange = exchange;
    this.delegate = delegate;
    this.contentLength = contentLength;
  }

  /** Returns true if {@link #read(byte[], int, int)} may be called: the codec's source reads arrays. */
  boolean readsArrays() {
    return delegate instanceof ArrayReadable;
  }

  @Override
  public long read(Buffer sink, long byteCount) throws IOException {
    if (!startRead()) {
      return -1L;
    }
    try {
      return received(delegate.read(sink, byteCount));
    } catch (IOException e) {
      throw complete(e);
    }
  }

  /**
   * Reads up to {@code byteCount} body bytes straight into {@code sink} through the codec's
   * source, counting and ending the body as {@link #read(Buffer, long)} does.
   *
   * @throws IllegalStateException if the source is closed
   */
  @Override
  public int read(byte[] sink, int offset, int byteCount) throws IOException {
    if (!startRead()) {
      return -1;
    }
    try {
      return (int) received(((ArrayReadable) delegate).read(sink, offset, byteCount));
    } catch (IOException e) {
      throw complete(e);
    }
  }

  /**
   * Returns false if the body has ended; else reports the body's start on its first read and
   * returns true.
   *
   * @throws IllegalStateException if the source is closed
   */
  private boolean startRead() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (completed) {
      return false;
    }
    if (invokeStartEvent) {
      invokeStartEvent = false;
      exchange.responseBodyStart();
    }
    return true;
  }

  /** Counts {@code read} bytes (-1 at the end), ending the body at its end or declared length. */
  private long received(long read) throws IOException {
    if (read == -1L) {
      complete(null);
      return -1L;
    }
    long newBytesReceived = bytesReceived + read;
    if (contentLength != -1L && newBytesReceived > contentLength) {
      throw new ProtocolException("response body from " + exchange.peer() + " declared "
          + contentLength + " bytes but the server sent at least " + newBytesReceived);
    }
    bytesReceived = newBytesReceived;
    // HTTP/1 is done with the connection at the last byte; an HTTP/2 stream may still carry
    // trailers, so it ends at end-of-stream.
    if (newBytesReceived == contentLength && !exchange.isMultiplexed()) {
      complete(null);
    }
    return read;
  }

  @Override
  public Timeout timeout() {
    return delegate.timeout();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    // A failure to discard the rest is reported to the listener; the caller is done with the body.
    complete(null);
  }

  /**
   * Closes the codec's source and reports the end of the body to the exchange; returns the
   * exception to throw, if any. Idempotent.
   */
  private IOException complete(IOException failure) {
    if (completed) {
      return failure;
    }
    completed = true;
    if (invokeStartEvent) {
      invokeStartEvent = false;
      exchange.responseBodyStart();
    }
    try {
      delegate.close();
    } catch (IOException e) {
      if (failure == null) {
        failure = e;
      }
    }
    return exchange.bodyComplete(bytesReceived, true, false, failure);
  }
}
