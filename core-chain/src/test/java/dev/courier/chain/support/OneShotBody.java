package dev.courier.chain.support;

import dev.courier.MediaType;
import dev.courier.RequestBody;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import okio.BufferedSink;

/**
 * A request body that may be written only once, streamed without a known length (chunked over
 * HTTP/1.1), and counts how often it was written so a test can tell if it was sent twice.
 */
public final class OneShotBody extends RequestBody {
  private final MediaType contentType;
  private final String content;
  private final AtomicInteger writes;

  /** Creates a body of {@code content} that adds one to {@code writes} each time it is written. */
  public OneShotBody(MediaType contentType, String content, AtomicInteger writes) {
    this.contentType = contentType;
    this.content = content;
    this.writes = writes;
  }

  @Override
  public MediaType contentType() {
    return contentType;
  }

  @Override
  public long contentLength() {
    return -1;
  }

  @Override
  public boolean isOneShot() {
    return true;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    writes.incrementAndGet();
    sink.writeUtf8(content);
  }
}
