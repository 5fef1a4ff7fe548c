package dev.courier.pool.internal;

import dev.courier.Call;
import dev.courier.Callback;
import dev.courier.Request;
import dev.courier.Response;
import okio.Timeout;

/** A call that is never executed; the pool only reads its request and cancellation state. */
public final class FakeCall implements Call {
  private final Request request;
  private volatile boolean canceled;

  public FakeCall(String url) {
    this.request = new Request.Builder().url(url).build();
  }

  @Override
  public Request request() {
    return request;
  }

  @Override
  public Response execute() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void enqueue(Callback callback) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void cancel() {
    canceled = true;
  }

  @Override
  public boolean isExecuted() {
    return false;
  }

  @Override
  public boolean isCanceled() {
    return canceled;
  }

  @Override
  public Timeout timeout() {
    return Timeout.NONE;
  }

  @Override
  public Call clone() {
    return new FakeCall(request.url().toString());
  }
}
