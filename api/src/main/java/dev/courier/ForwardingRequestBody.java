package dev.courier;

import java.io.IOException;
import java.util.Objects;
import okio.BufferedSink;

/**
 * Passes every call to another request body. Extend it to change one part of a body, typically
 * {@link #writeTo} to observe or transform what is written, while its content type, length,
 * trailers and one-shot and duplex nature stay the delegate's.
 */
public abstract class ForwardingRequestBody extends RequestBody {
  private final RequestBody delegate;

  /**
   * Creates a body that forwards to {@code delegate}.
   *
   * @throws NullPointerException if {@code delegate} is null
   */
  protected ForwardingRequestBody(RequestBody delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** Returns the body this one forwards to. */
  public final RequestBody delegate() {
    return delegate;
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() throws IOException {
    return delegate.contentLength();
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    delegate.writeTo(sink);
  }

  @Override
  public Headers trailers() throws IOException {
    return delegate.trailers();
  }

  @Override
  public boolean isOneShot() {
    return delegate.isOneShot();
  }

  @Override
  public boolean isDuplex() {
    return delegate.isDuplex();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + delegate + ")";
  }
}
