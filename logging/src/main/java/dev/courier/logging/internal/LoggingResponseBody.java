package dev.courier.logging.internal;

import dev.courier.MediaType;
import dev.courier.ResponseBody;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * Logs a response body as the application reads it, from a copy of at most the limit: the
 * application reads every byte as without logging, nothing is read ahead, and the messages go out
 * when the body ends, fails or is closed.
 */
public final class LoggingResponseBody extends ResponseBody {
  private final ResponseBody delegate;
  private final String end;
  private final String contentEncoding;
  private final BodyCapture capture;
  private final Consumer<String> log;
  private final AtomicBoolean logged = new AtomicBoolean();
  private BufferedSource source;

  /**
   * Creates a body that reads {@code delegate} and logs it with an END line starting {@code end}.
   *
   * @param contentEncoding the response's {@code Content-Encoding}, or null
   */
  public LoggingResponseBody(ResponseBody delegate, String end, String contentEncoding, long limitBytes,
      Consumer<String> log) {
    this.delegate = delegate;
    this.end = end;
    this.contentEncoding = contentEncoding;
    this.capture = new BodyCapture(limitBytes);
    this.log = log;
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public synchronized BufferedSource source() {
    if (source == null) {
      source = Okio.buffer(new CapturingSource(delegate.source()));
    }
    return source;
  }

  /** Returns the bytes this body holds for its log message; never more than the limit. */
  public long heldBytes() {
    return capture.heldBytes();
  }

  private void ended() {
    if (logged.compareAndSet(false, true)) {
      BodyDescription.describe(end, capture, delegate.contentType(), contentEncoding).forEach(log);
    }
  }

  private void failed(IOException e) {
    if (logged.compareAndSet(false, true)) {
      log.accept(end + " (body failed after " + capture.byteCount() + " bytes: " + e + ")");
    }
  }

  private void closed() {
    long contentLength = delegate.contentLength();
    if (contentLength != -1L && capture.byteCount() == contentLength) {
      ended(); // Read to its declared length; the reader had no reason to look for the end.
    } else if (logged.compareAndSet(false, true)) {
      log.accept(end + " (body closed after " + capture.byteCount() + " bytes, not read to the end)");
    }
  }

  /** Copies what the application reads. */
  private final class CapturingSource extends ForwardingSource {
    CapturingSource(BufferedSource delegate) {
      super(delegate);
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      long read;
      try {
        read = super.read(sink, byteCount);
      } catch (IOException e) {
        failed(e);
        throw e;
      }
      if (read == -1L) {
        ended();
      } else {
        capture.copyFrom(sink, sink.size() - read, read);
      }
      return read;
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        closed();
      }
    }
  }
}
