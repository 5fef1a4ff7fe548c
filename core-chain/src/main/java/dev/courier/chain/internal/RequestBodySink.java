package dev.courier.chain.internal;

import java.io.IOException;
import java.net.ProtocolException;
import okio.Buffer;
import okio.Sink;
import okio.Timeout;

/**
 * Passes a request body to the codec, counting bytes, enforcing the declared length, and telling
 * the exchange when the body ends or fails.
 */
final class RequestBodySink implements Sink {
  private final Exchange exchange;
  private final Sink delegate;
  private final long contentLength;
  private long bytesReceived;
  private boolean completed;
  private boolean closed;

  RequestBodySink(Exchange exchange, Sink delegate, long contentLength) {
    this.exchange = exchange;
    this.delegate = delegate;
    this.contentLength = contentLength;
  }

  @Override
  public void write(Buffer source, long byteCount) throws IOException {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (contentLength != -1L && bytesReceived + byteCount > contentLength) {
      throw complete(new ProtocolException("request body to " + exchange.peer() + " declared "
          + contentLength + " bytes but the body wrote " + (bytesReceived + byteCount)));
    }
    try {
      delegate.write(source, byteCount);
      bytesReceived += byteCount;
    } catch (IOException e) {
      throw complete(e);
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
