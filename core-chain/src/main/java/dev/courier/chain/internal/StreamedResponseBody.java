package dev.courier.chain.internal;

import dev.courier.MediaType;
import dev.courier.ResponseBody;
import okio.BufferedSource;

/**
 * Reads a response body from the network. The {@code Content-Type} is parsed when first asked
 * for, since most callers never ask: a race parses twice and keeps either, which are equal (a
 * {@link MediaType} is immutable).
 */
final class StreamedResponseBody extends ResponseBody {
  private final BufferedSource source;
  private final String contentTypeHeader;
  private final long contentLength;
  private MediaType contentType;

  StreamedResponseBody(BufferedSource source, String contentTypeHeader, long contentLength) {
    this.source = source;
    this.contentTypeHeader = contentTypeHeader;
    this.contentLength = contentLength;
  }

  @Override
  public MediaType contentType() {
    MediaType result = contentType;
    if (result == null && contentTypeHeader != null) {
      result = MediaType.parse(contentTypeHeader);
      contentType = result;
    }
    return result;
  }

  @Override
  public long contentLength() {
    return contentLength;
  }

  @Override
  public BufferedSource source() {
    return source;
  }
}
