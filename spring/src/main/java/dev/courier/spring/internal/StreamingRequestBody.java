package dev.courier.spring.internal;

import dev.courier.MediaType;
import dev.courier.RequestBody;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import okio.BufferedSink;
import org.springframework.http.StreamingHttpOutputMessage;

/**
 * Writes a Spring body straight to the connection. It is one-shot unless Spring says it is
 * repeatable, so Courier never writes a stream twice.
 */
final class StreamingRequestBody extends RequestBody {
  private final StreamingHttpOutputMessage.Body body;
  private final MediaType contentType;
  private final long contentLength;

  StreamingRequestBody(StreamingHttpOutputMessage.Body body, MediaType contentType, long contentLength) {
    this.body = body;
    this.contentType = contentType;
    this.contentLength = contentLength;
  }

  @Override
  public MediaType contentType() {
    return contentType;
  }

  @Override
  public long contentLength() {
    return contentLength;
  }

  @Override
  public boolean isOneShot() {
    return !body.repeatable();
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    // The sink belongs to the exchange: a body that closes its stream must not close the sink.
    OutputStream out = new FilterOutputStream(sink.outputStream()) {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        this.out.write(bytes, offset, length);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
    body.writeTo(out);
    out.flush();
  }
}
