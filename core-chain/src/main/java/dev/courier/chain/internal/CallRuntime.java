package dev.courier.chain.internal;

import dev.courier.HttpUrl;
import dev.courier.Interceptor;
import dev.courier.chain.CourierClient;
import dev.courier.pool.internal.ConnectSettings;
import dev.courier.pool.internal.PoolAccess;
import java.util.List;

/**
 * Holds what every call of one client shares beyond the public settings: the connect settings the
 * pool needs, the dispatcher's scheduler, the assembled interceptor list, and the addresses of
 * the origins called. Thread-safe.
 */
public final class CallRuntime {
  private final CourierClient client;
  private final ConnectSettings connectSettings;
  private final CallScheduler scheduler;
  private final List<Interceptor> interceptors;
  private final AddressCache addressCache;

  /** Creates the runtime of {@code client}; assembles the interceptor chain once. */
  public CallRuntime(CourierClient client, ConnectSettings connectSettings, CallScheduler scheduler) {
    this.client = client;
    this.connectSettings = connectSettings;
    this.scheduler = scheduler;
    this.interceptors = RealInterceptorChain.assemble(client);
    this.addressCache = new AddressCache(client);
  }

  /** Returns the client. */
  public CourierClient client() {
    return client;
  }

  /** Returns the settings the pool's connect step needs. */
  public ConnectSettings connectSettings() {
    return connectSettings;
  }

  /**
   * Refuses a new call if the client's dispatcher or connection pool was closed.
   *
   * @throws IllegalStateException naming what was closed
   */
  void checkNotClosed() {
    if (scheduler.isClosed()) {
      throw new IllegalStateException("CourierClient is closed: no calls can start after close()");
    }
    if (PoolAccess.realPool(client.connectionPool()).isClosed()) {
      throw new IllegalStateException(
          "the client's ConnectionPool is closed: a client sharing it was closed");
    }
  }

  /**
   * Keeps {@code minIdle} idle connections open to {@code url}'s origin, through the client's
   * pool, with the client's connect settings and timeouts.
   *
   * @throws IllegalArgumentException if {@code minIdle} is negative
   * @throws IllegalStateException if the client's pool is closed
   */
  public void prewarm(HttpUrl url, int minIdle) {
    PoolAccess.realPool(client.connectionPool()).prewarmer().prewarm(addressCache.addressFor(url),
        connectSettings, minIdle, client.connectTimeoutMillis(), client.readTimeoutMillis(),
        client.writeTimeoutMillis());
  }

  /** Returns the dispatcher's scheduler. */
  public CallScheduler scheduler() {
    return scheduler;
  }

  /** Returns the maker of the client's addresses, which reuses the last one for the same origin. */
  AddressCache addressCache() {
    return addressCache;
  }

  /** Returns the interceptors of the chain, in order. */
  public List<Interceptor> interceptors() {
    return interceptors;
  }
}
