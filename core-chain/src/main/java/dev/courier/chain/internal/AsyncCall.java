package dev.courier.chain.internal;

import dev.courier.Callback;
import dev.courier.Response;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one enqueued call on a dispatcher thread and hands its outcome to the callback: exactly one
 * of {@link Callback#onResponse} and {@link Callback#onFailure}, once.
 */
final class AsyncCall implements Runnable {
  private static final System.Logger LOG = System.getLogger(AsyncCall.class.getName());

  private final RealCall call;
  private final Callback callback;
  private final String host;
  private volatile AtomicInteger callsPerHost = new AtomicInteger();

  AsyncCall(RealCall call, Callback callback) {
    this.call = call;
    this.callback = callback;
    this.host = call.request().url().host();
  }

  RealCall call() {
    return call;
  }

  String host() {
    return host;
  }

  /** Returns the counter of running calls to this call's host, shared with other calls to it. */
  AtomicInteger callsPerHost() {
    return callsPerHost;
  }

  void reuseCallsPerHostFrom(AtomicInteger shared) {
    this.callsPerHost = shared;
  }

  /** Fails the call because the executor refused to run it. */
  void rejected(IOException failure) {
    IOException reported = call.noMoreExchanges(failure);
    callback.onFailure(call, reported);
  }

  @Override
  public void run() {
    boolean signalled = false;
    call.enterTimeout();
    try {
      Response response = call.getResponseWithInterceptorChain();
      signalled = true;
      callback.onResponse(call, response);
    } catch (IOException e) {
      if (!signalled) {
        callback.onFailure(call, e);
      } else {
        LOG.log(System.Logger.Level.INFO, "Callback failure for " + call, e);
      }
    } catch (RuntimeException | Error t) {
      call.cancel();
      if (!signalled) {
        IOException canceled = new IOException("canceled due to " + t);
        canceled.addSuppressed(t);
        callback.onFailure(call, canceled);
      }
      throw t;
    } finally {
      call.scheduler().finished(this);
    }
  }
}
