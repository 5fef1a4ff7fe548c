package dev.courier.pool.internal;

import dev.courier.Call;
import dev.courier.HttpUrl;

/**
 * Stands for one call's hold on pooled connections. The pool refers to a lease only weakly: if a
 * lease is garbage collected while it still holds a connection, the call was dropped without
 * closing its response body, and the pool reports the leak and reclaims the connection.
 *
 * <p>The call must keep its lease strongly reachable for as long as it may use a connection.
 * Immutable and thread-safe.
 */
public final class CallLease {
  private final HttpUrl url;
  private final boolean countsAsUse;

  /**
   * Creates the lease of {@code call}; the call's request URL is named, redacted, if the lease
   * leaks.
   */
  public CallLease(Call call) {
    this.url = call.request().url();
    this.countsAsUse = true;
  }

  /**
   * Creates a lease for work of the pool's own on connections to {@code url}, such as pooling a
   * pre-warmed connection; it counts no use of the connections it holds.
   */
  CallLease(HttpUrl url) {
    this.url = url;
    this.countsAsUse = false;
  }

  /** Returns true if holding a connection counts as a use of it (an exchange), as a call's does. */
  boolean countsAsUse() {
    return countsAsUse;
  }

  /** Returns the URL named in leak reports. */
  HttpUrl url() {
    return url;
  }

  @Override
  public String toString() {
    return "CallLease{" + url.redact() + "}";
  }
}
