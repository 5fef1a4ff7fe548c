package dev.courier.http1.toolkit;

import dev.courier.Headers;
import dev.courier.RequestBody;
import dev.courier.internal.TrailerFields;
import java.io.IOException;
import okio.Buffer;
import okio.BufferedSink;
import okio.Sink;

/**
 * Writes a request body of unknown length with chunked transfer coding (RFC 9112 §7.1): each write
 * becomes one chunk, and closing writes the last chunk followed by the body's trailers (RFC 9112
 * §7.1.2), each as a {@code name: value} line, and the empty line. Trailers holding a field that
 * {@link TrailerFields} refuses make closing throw {@link java.net.ProtocolException} before the
 * last chunk is written. Not thread-safe.
 */
public final class ChunkedSink extends RequestBodySink {
  /**
   * Creates a chunked sink over {@code sink}.
   *
   * @param peer names the server in error messages, such as {@code example.com:443}
   * @param body the body being written, asked for its trailers on close; null for none
   */
  public ChunkedSink(BufferedSink sink, String peer, ExchangeStreamListener listener,
      RequestBody body) {
    this(sink, null, peer, listener, body);
  }

  /**
   * Creates a chunked sink over {@code sink} whose large array writes (each one chunk) go straight
   * to {@code unbufferedSink}, the sink {@code sink} buffers, between the chunk's size line and
   * its CRLF, which go through {@code sink}.
   *
   * @param unbufferedSink what {@code sink} buffers, or null to write only through {@code sink}
   * @param peer names the server in error messages, such as {@code example.com:443}
   * @param body the body being written, asked for its trailers on close; null for none
   */
  public ChunkedSink(BufferedSink sink, Sink unbufferedSink, String peer,
      ExchangeStreamListener listener, RequestBody body) {
    super(sink, unbufferedSink, peer, listener, body);
  }

  @Override
  protected void writeFramed(Buffer source, long byteCount) throws IOException {
    Buffer buffer = sink.getBuffer();
    buffer.writeHexadecimalUnsignedLong(byteCount);
    buffer.writeByte('\r').writeByte('\n');
    buffer.write(source, byteCount);
    buffer.writeByte('\r').writeByte('\n');
    sink.emitCompleteSegments();
  }

  @Override
  protected void writeFramed(byte[] source, int offset, int byteCount) throws IOException {
    Buffer buffer = sink.getBuffer();
    buffer.writeHexadecimalUnsignedLong(byteCount);
    buffer.writeByte('\r').writeByte('\n');
    writeConnection(source, offset, byteCount);
    buffer.writeByte('\r').writeByte('\n');
    sink.emitCompleteSegments();
  }

  @Override
  protected void writeEnd() throws IOException {
    Headers trailers = bodyTrailers();
    TrailerFields.checkSendable(trailers, peer);
    Buffer buffer = sink.getBuffer();
    buffer.writeByte('0').writeByte('\r').writeByte('\n');
    RequestHeadWriter.writeFields(buffer, trailers);
    RequestHeadWriter.writeEnd(buffer);
    sink.emitCompleteSegments();
  }
}
