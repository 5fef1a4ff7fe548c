package dev.courier;

import java.io.IOException;
import okio.Timeout;

/**
 * Represents one request, ready to run. A call runs at most once; use {@link #clone()} to run the
 * same request again.
 *
 * <p>Calls are thread-safe: {@link #cancel()} may be called from any thread while another thread
 * runs the call.
 */
public interface Call extends Cloneable {
  /** Returns the original request. */
  Request request();

  /**
   * Sends the request and blocks until the response headers arrive. The caller must close the
   * response.
   *
   * @throws IOException if the request could not be completed: network failure, timeout,
   *     protocol error or cancellation
   * @throws IllegalStateException if the call was already executed
   */
  Response execute() throws IOException;

  /**
   * Schedules the call on the client's dispatcher; {@code callback} receives the response or
   * the failure on a dispatcher thread.
   *
   * @throws IllegalStateException if the call was already executed
   */
  void enqueue(Callback callback);

  /** Cancels the call, promptly unblocking any thread reading or connecting for it. Idempotent. */
  void cancel();

  /** Returns true once {@link #execute()} or {@link #enqueue} has been called. */
  boolean isExecuted();

  /** Returns true once {@link #cancel()} has been called. */
  boolean isCanceled();

  /** Returns the timeout that spans the whole call: connecting, redirects, and reading the body. */
  Timeout timeout();

  /** Returns a new, unexecuted call for the same request. */
  Call clone();

  /** Creates calls. */
  interface Factory {
    /** Returns a call that will send {@code request} when executed. */
    Call newCall(Request request);
  }
}
