package dev.courier.http1.toolkit;

import dev.courier.RequestBody;
import java.io.IOException;
import java.net.ProtocolException;
import okio.Buffer;
import okio.BufferedSink;
import okio.Sink;

/**
 * Writes a request body whose length was announced in {@code Content-Length}.
 *
 * <p>Writing more bytes than announced, or closing after fewer, throws a
 * {@link ProtocolException} ("expected N bytes but received M"). So does a body with trailers:
 * they need chunked framing, which a body of known length does not get. Not thread-safe.
 */
public final class FixedLengthSink extends RequestBodySink {
  private final long bytesExpected;
  private long bytesWritten;

  /**
   * Creates a sink for a body of exactly {@code bytesExpected} bytes.
   *
   * @param peer names the server in error messages, such as {@code example.com:443}
   * @param body the body being written, asked for its trailers on close; null for none
   * @throws IllegalArgumentException if {@code bytesExpected} is negative
   */
  public FixedLengthSink(BufferedSink sink, String peer, ExchangeStreamListener listener,
      RequestBody body, long bytesExpected) {
    this(sink, null, peer, listener, body, bytesExpected);
  }

  /**
   * Creates a sink for a body of exactly {@code bytesExpected} bytes whose large array writes go
   * straight to {@code unbufferedSink}, the sink {@code sink} buffers (see {@link
   * RequestBodySink#writeConnection(byte[], int, int)}).
   *
   * @param unbufferedSink what {@code sink} buffers, or null to write only through {@code sink}
   * @param peer names the server in error messages, such as {@code example.com:443}
   * @param body the body being written, asked for its trailers on close; null for none
   * @throws IllegalArgumentException if {@code bytesExpected} is negative
   */
  public FixedLengthSink(BufferedSink sink, Sink unbufferedSink, String peer,
      ExchangeStreamListener listener, RequestBody body, long bytesExpected) {
    super(sink, unbufferedSink, peer, listener, body);
    if (bytesExpected < 0) {
      throw new IllegalArgumentException("bytesExpected < 0: " + bytesExpected);
    }
    this.bytesExpected = bytesExpected;
  }

  @Override
  protected void writeFramed(Buffer source, long byteCount) throws IOException {
    if (byteCount > bytesExpected - bytesWritten) {
      throw lengthMismatch(bytesWritten + byteCount);
    }
    sink.write(source, byteCount);
    bytesWritten += byteCount;
  }

  @Override
  protected void writeFramed(byte[] source, int offset, int byteCount) throws IOException {
    if (byteCount > bytesExpected - bytesWritten) {
      throw lengthMismatch(bytesWritten + byteCount);
    }
    writeConnection(source, offset, byteCount);
    bytesWritten += byteCount;
  }

  @Override
  protected void writeEnd() throws IOException {
    if (bytesWritten != bytesExpected) {
      throw lengthMismatch(bytesWritten);
    }
    if (bodyTrailers().size() != 0) {
      throw new ProtocolException("Request body to " + peer + " has trailers, which HTTP/1.1 sends"
          + " only with chunked transfer encoding: the body must report contentLength() -1");
    }
  }

  private ProtocolException lengthMismatch(long received) {
    return new ProtocolException("Request body to " + peer + " expected " + bytesExpected
        + " bytes but received " + received);
  }
}
