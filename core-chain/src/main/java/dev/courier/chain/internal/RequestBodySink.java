package dev.courier.chain.internal;

import dev.courier.internal.ArrayWritable;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.Objects;
import okio.Buffer;
import okio.Sink;
import okio.Timeout;

/**
 * Passes a request body to the codec, counting bytes, enforcing the declared length, and telling
 * the exchange when the body ends or fails. Arrays written to it go to the codec's sink as arrays
 * when that sink takes them ({@link #writesArrays()}), else through a buffer.
 */
final class RequestBodySink implements Sink, ArrayWritable {
  private final Exchange exchange;
  private final Sink delegate;
  /** The codec's sink when it takes arrays, else null. */
  private final ArrayWritable arrays;
  private final long contentLength;
  private long bytesReceived;
  private boolean completed;
  private boolean closed;

  RequestBodySink(Exchange exchange, Sink delegate, long contentLength) {
    this.exchange = exchange;
    this.delegate = delegate;
    this.arrays = delegate instanceof ArrayWritable ? (ArrayWritable) delegate : null;
    this.contentLength = contentLength;
  }

  /**
   * Returns true if arrays written here reach the transport without a copy into okio's segments:
   * the codec's sink takes them and passes them on as they are.
   */
  boolean writesArrays() {
    return arrays != null && arrays.bypassesBuffer();
  }

  @Override
  public void write(Buffer source, long byteCount) throws IOException {
    checkWritable(byteCount);
    try {
      delegate.write(source, byteCount);
      bytesReceived += byteCount;
    } catch (IOException e) {
      throw complete(e);
    }
  }

  /**
   * Writes {@code byteCount} bytes of {@code source} from {@code offset}, checked, counted and
   * reported as {@link #write(Buffer, long)} does.
   */
  @Override
  public void write(byte[] source, int offset, int byteCount) throws IOException {
    Objects.checkFromIndexSize(offset, byteCount, source.length);
    checkWritable(byteCount);
    try {
      if (arrays != null) {
        arrays.write(source, offset, byteCount);
      } else {
        delegate.write(new Buffer().write(source, offset, byteCount), byteCount);
      }
      bytesReceived += byteCount;
    } catch (IOException e) {
      throw complete(e);
    }
  }

  /**
   * Fails a write to a closed sink, and a write of {@code byteCount} more bytes than the declared
   * length leaves room for (completing the exchange with the failure).
   */
  private void checkWritable(long byteCount) throws IOException {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (contentLength != -1L && bytesReceived + byteCount > contentLength) {
      throw complete(new ProtocolException("request body to " + exchange.peer() + " declared "
          + contentLength + " bytes but the body wrote " + (bytesReceived + byteCount)));
    }
  }

  @Override
  public void flush() throws IOException {
    try {
      delegate.flush();
    } catch (IOException e) {
      throw complete(e);
    }
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
    if (contentLength != -1L && bytesReceived != contentLength) {
      throw complete(new ProtocolException("request body to " + exchange.peer() + " declared "
          + contentLength + " bytes but the body wrote " + bytesReceived));
    }
    try {
      delegate.close();
      if (exchange.isDuplex()) {
        // The chain finished the request before this body ended; push the end out now.
        exchange.finishRequest();
      }
      complete(null);
    } catch (IOException e) {
      throw complete(e);
    }
  }

  private IOException complete(IOException failure) {
    if (completed) {
      return failure;
    }
    completed = true;
    return exchange.bodyComplete(bytesReceived, false, true, failure);
  }
}
