package dev.courier.http2.internal;

import dev.courier.Headers;
import dev.courier.MediaType;
import dev.courier.RequestBody;
import java.io.IOException;
import okio.BufferedSink;

/** A request body of fixed text that reports a chosen length and sends chosen trailers. */
final class BodyWithTrailers extends RequestBody {
  private final String content;
  private final long contentLength;
  private final Headers trailers;

  BodyWithTrailers(String content, long contentLength, Headers trailers) {
    this.content = content;
    this.contentLength = contentLength;
    this.trailers = trailers;
  }

  @Override
  public MediaType contentType() {
    return null;
  }

  @Override
  public long contentLength() {
    return contentLength;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    sink.writeUtf8(content);
  }

  @Override
  public Headers trailers() {
    return trailers;
  }
}
