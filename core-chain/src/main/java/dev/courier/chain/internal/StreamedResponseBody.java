package dev.courier.chain.internal;

import dev.courier.MediaType;
import dev.courier.ResponseBody;
import dev.courier.internal.ArrayReadable;
import java.io.IOException;
import okio.BufferedSource;
import okio.Okio;

/**
 * Reads a response body from the network. The {@code Content-Type} is parsed when first asked
 * for, since most callers never ask: a race parses twice and keeps either, which are equal (a
 * {@link MediaType} is immutable).
 *
 * <p>When the codec's source reads into arrays, the body does too ({@link ArrayReadable}), so its
 * {@link #byteStream()} serves large reads straight into the caller's array once the buffer of
 * {@link #source()} is drained.
 */
class StreamedResponseBody extends ResponseBody {
  private final BufferedSource source;
  private final String contentTypeHeader;
  private final long contentLength;
  private MediaType contentType;

  private StreamedResponseBody(BufferedSource source, String contentTypeHeader, long contentLength) {
    this.source = source;
    this.contentTypeHeader = contentTypeHeader;
    this.contentLength = contentLength;
  }

  /** Returns a body reading {@code source}, through an okio buffer and, if it can, into arrays. */
  static StreamedResponseBody of(ResponseBodySource source, String contentTypeHeader,
      long contentLength) {
    BufferedSource buffered = Okio.buffer(source);
    return source.readsArrays()
        ? new ArrayReading(buffered, source, contentTypeHeader, contentLength)
        : new StreamedResponseBody(buffered, contentTypeHeader, contentLength);
  }

  @Override
  public final MediaType contentType() {
    MediaType result = contentType;
    if (result == null && contentTypeHeader != null) {
      result = MediaType.parse(contentTypeHeader);
      contentType = result;
    }
    return result;
  }

  @Override
  public final long contentLength() {
    return contentLength;
  }

  @Override
  public final BufferedSource source() {
    return source;
  }

  /** Reads what follows the buffer of {@link #source()} straight into arrays. */
  private static final class ArrayReading extends StreamedResponseBody implements ArrayReadable {
    private final ResponseBodySource below;

    ArrayReading(BufferedSource source, ResponseBodySource below, String contentTypeHeader,
        long contentLength) {
      super(source, contentTypeHeader, contentLength);
      this.below = below;
    }

    @Override
    public int read(byte[] sink, int offset, int byteCount) throws IOException {
      return below.read(sink, offset, byteCount);
    }
  }
}
