package dev.courier.pool;

import dev.courier.Address;
import dev.courier.internal.SystemNanoClock;
import dev.courier.pool.internal.AddressCounters;
import dev.courier.pool.internal.EvictionPolicies;
import dev.courier.pool.internal.PoolAccess;
import dev.courier.pool.internal.RealConnectionPool;
import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
import dev.courier.spi.ProviderLoader;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Keeps HTTP connections open after use so that later requests to the same address reuse them,
 * avoiding the cost of new TCP and TLS handshakes. HTTP/2 connections are shared by concurrent
 * calls, and may serve several hosts that resolve to the same IP and share a certificate.
 *
 * <p>Which idle connections are closed, and when, is decided by an {@link EvictionPolicy}. The
 * default keeps at most 5 idle connections for at most 5 minutes each ({@link IdleTimeEvictionPolicy}).
 * Idle connections are closed by a daemon thread named {@code "Courier ConnectionPool"} that runs
 * only while the pool holds connections; it looks at the pool at most 100 ms after a connection
 * becomes idle, so the limits may be exceeded briefly.
 *
 * <p>{@link #statistics()} counts connections (idle, in use, opened, closed and why) and
 * acquisitions, in total and per address; a {@link PoolListener} hears each connection opened,
 * acquired, released and closed. The {@code courier-micrometer} module binds both to meters.
 *
 * <p>{@link PoolLimits} may cap the connections per address and in total (default: no limit). A
 * call that would open a connection beyond a limit waits, first come first served, for a pooled
 * connection with room or a free slot, at most its connect timeout ({@link
 * ConnectionLimitTimeoutException}) and no longer than until it is canceled. An HTTP/2 connection
 * counts once. A client can keep idle connections open to chosen addresses ahead of need, within
 * the limits ({@code CourierClient.prewarm}).
 *
 * <p>Share one pool between clients to share their connections. Closing any client that uses the
 * pool ({@code CourierClient.close()}) closes the pool: every connection, idle or in use, is
 * closed, the cleanup thread ends, and clients using the pool make no more calls. Thread-safe.
 */
public final class ConnectionPool {
  static {
    PoolAccess.install(new Accessor());
  }

  private final RealConnectionPool delegate;

  /**
   * Creates a pool with the {@link EvictionPolicyProvider} that {@link ProviderLoader} chooses (a
   * provider named by the system property {@code dev.courier.spi.EvictionPolicyProvider}, else the
   * highest priority one: {@code "idle-time"} from this module unless another outranks it), or
   * {@code new IdleTimeEvictionPolicy(5, 5, MINUTES)} if none is found. The provider creates the
   * policy with its settings from system properties ({@code courier.provider.<name>.<key>}); one
   * whose {@code create} throws is skipped with a warning naming it, unless it was named.
   *
   * @throws IllegalArgumentException if the system property names a provider that is not found,
   *     or that fails to create its policy
   */
  public ConnectionPool() {
    this(defaultPolicy());
  }

  /** Creates a pool that evicts idle connections as {@code policy} decides. */
  public ConnectionPool(EvictionPolicy policy) {
    this(new RealConnectionPool(policy));
  }

  /**
   * Creates a pool that evicts idle connections as {@code policy} decides and holds at most as
   * many connections as {@code limits} allow.
   */
  public ConnectionPool(EvictionPolicy policy, PoolLimits limits) {
    this(new RealConnectionPool(policy, SystemNanoClock.INSTANCE, true, limits));
  }

  /**
   * Creates a pool with {@link IdleTimeEvictionPolicy}: at most {@code maxIdleConnections} idle
   * connections, each idle for at most {@code keepAlive}.
   *
   * @throws IllegalArgumentException if {@code maxIdleConnections} is negative or
   *     {@code keepAlive} is not positive
   */
  public ConnectionPool(int maxIdleConnections, long keepAlive, TimeUnit unit) {
    this(new IdleTimeEvictionPolicy(maxIdleConnections, keepAlive, unit));
  }

  /** Creates a pool on {@code nanoClock} with cleanup left to explicit calls, for tests. */
  ConnectionPool(EvictionPolicy policy, LongSupplier nanoClock) {
    this(new RealConnectionPool(policy, nanoClock, false));
  }

  private ConnectionPool(RealConnectionPool delegate) {
    this.delegate = delegate;
  }

  private static EvictionPolicy defaultPolicy() {
    return EvictionPolicies.choose(null, Map.of()).product();
  }

  /** Returns the eviction policy. */
  public EvictionPolicy policy() {
    return delegate.policy();
  }

  /** Returns the limits on this pool's connections; {@link PoolLimits#UNLIMITED} by default. */
  public PoolLimits limits() {
    return delegate.limits();
  }

  /** Returns the number of pooled connections carrying no exchange. */
  public int idleConnectionCount() {
    return delegate.idleConnectionCount();
  }

  /** Returns the number of pooled connections, idle or in use. */
  public int connectionCount() {
    return delegate.connectionCount();
  }

  /**
   * Closes every idle connection now, and makes every connection in use close when its calls
   * finish instead of returning to the pool.
   */
  public void evictAll() {
    delegate.evictAll();
  }

  /**
   * Returns a snapshot of this pool's statistics, in total and per address: connections (idle, in
   * use), calls looking for a connection, connections opened and closed (by {@link CloseReason}),
   * and how long acquisitions took. The counts are kept as things happen, so this costs one short
   * hold of the pool's lock and a copy per address.
   */
  public PoolStatistics statistics() {
    return delegate.statistics(AddressStatistics::new, PoolStatistics::new);
  }

  /**
   * Returns a snapshot of the statistics of {@code address} alone, at the cost of one lookup; all
   * zeros if the pool holds no connection to it and no call looks for one.
   */
  public AddressStatistics statistics(Address address) {
    Objects.requireNonNull(address, "address == null");
    AddressCounters counts = delegate.statistics(address);
    return new AddressStatistics(address, counts != null ? counts : AddressCounters.EMPTY);
  }

  /**
   * Registers {@code listener} to hear about this pool's connections being opened, acquired,
   * released and closed. Registering the same listener twice has no effect. See {@link
   * PoolListener} for the threads it is called on.
   */
  public void addListener(PoolListener listener) {
    delegate.addListener(Objects.requireNonNull(listener, "listener == null"));
  }

  /** Unregisters {@code listener}; returns false if it was not registered. */
  public boolean removeListener(PoolListener listener) {
    return delegate.removeListener(listener);
  }

  /**
   * Runs one cleanup at {@code nowNanos}, as the cleanup thread does; for tests with an injected
   * clock.
   */
  long cleanup(long nowNanos) {
    return delegate.cleanup(nowNanos);
  }

  @Override
  public String toString() {
    return delegate.toString();
  }

  /** Gives the pool's internals their pool. A class, not a lambda, to keep linking off the build. */
  private static final class Accessor implements Function<ConnectionPool, RealConnectionPool> {
    @Override
    public RealConnectionPool apply(ConnectionPool pool) {
      return pool.delegate;
    }
  }
}
