package dev.courier.http1.internal;

import java.io.IOException;
import okio.Buffer;
import okio.BufferedSink;

/**
 * Writes a request body of unknown length with chunked transfer coding (RFC 9112 §7.1): each write
 * becomes one chunk, and closing writes the last chunk with no trailers. Not thread-safe.
 */
public final class ChunkedSink extends RequestBodySink {
  /** Creates a chunked sink over {@code sink}. */
  public ChunkedSink(BufferedSink sink, String peer, ExchangeStreamListener listener) {
    super(sink, peer, listener);
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
    sink.getBuffer().writeByte('0').writeByte('\r').writeByte('\n').writeByte('\r').writeByte('\n');
    sink.emitCompleteSegments();
  }
}
