package dev.courier.logging.internal;

import dev.courier.ForwardingRequestBody;
import dev.courier.RequestBody;
import java.io.IOException;
import java.util.function.Consumer;
import okio.Buffer;
import okio.BufferedSink;
import okio.ForwardingSink;
import okio.Okio;

/**
 * Logs a request body as it is written to the network, from a copy of the bytes passing through:
 * the body is written once per transmission, as without logging, so a one-shot body is never read
 * twice. The messages go out when {@link #writeTo} returns.
 */
public final class LoggingRequestBody extends ForwardingRequestBody {
  private final String end;
  private final String contentEncoding;
  private final long limitBytes;
  private final Consumer<String> log;

  /**
   * Creates a body that writes {@code delegate} and logs it with an END line starting {@code end}.
   *
   * @param contentEncoding the request's {@code Content-Encoding}, or null
   */
  public LoggingRequestBody(RequestBody delegate, String end, String contentEncoding, long limitBytes,
      Consumer<String> log) {
    super(delegate);
    this.end = end;
    this.contentEncoding = contentEncoding;
    this.limitBytes = limitBytes;
    this.log = log;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    BodyCapture capture = new BodyCapture(limitBytes);
    BufferedSink capturing = Okio.buffer(new ForwardingSink(sink) {
      @Override
      public void write(Buffer source, long byteCount) throws IOException {
        capture.copyFrom(source, 0, byteCount);
        super.write(source, byteCount);
      }
    });
    delegate().writeTo(capturing);
    if (capturing.isOpen()) {
      capturing.emit();
    }
    BodyDescription.describe(end, capture, delegate().contentType(), contentEncoding).forEach(log);
  }
}
