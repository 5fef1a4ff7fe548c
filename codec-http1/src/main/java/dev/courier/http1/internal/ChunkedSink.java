package dev.courier.http1.internal;

import dev.courier.Headers;
import dev.courier.RequestBody;
import dev.courier.internal.TrailerFields;
import java.io.IOException;
import okio.Buffer;
import okio.BufferedSink;

/**
 * Writes a request body of unknown length with chunked transfer coding (RFC 9112 §7.1): each write
 * becomes one chunk, and closing writes the last chunk followed by the body's trailers (RFC 9112
 * §7.1.2), each as a {@code name: value} line, and the empty line. Trailers holding a field that
 * {@link TrailerFields} refuses make closing throw {@link java.net.ProtocolException} before the
 * last chunk is written. Not thread-safe.
 */
public final class ChunkedSink extends RequestBodySink {
  /** Creates a chunked sink over {@code sink}. */
  public ChunkedSink(BufferedSink sink, String peer, ExchangeStreamListener listener,
      RequestBody body) {
    super(sink, peer, listener, body);
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
  protected void writeEnd() throws IOException {
    Headers trailers = bodyTrailers();
    TrailerFields.checkSendable(trailers, peer);
    Buffer buffer = sink.getBuffer();
    buffer.writeByte('0').writeByte('\r').writeByte('\n');
    for (int i = 0, size = trailers.size(); i < size; i++) {
      buffer.writeUtf8(trailers.name(i)).writeByte(':').writeByte(' ')
          .writeUtf8(trailers.value(i)).writeByte('\r').writeByte('\n');
    }
    buffer.writeByte('\r').writeByte('\n');
    sink.emitCompleteSegments();
  }
}
