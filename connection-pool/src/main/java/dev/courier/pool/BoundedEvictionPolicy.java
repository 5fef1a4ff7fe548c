package dev.courier.pool;

import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.IdleConnection;
import dev.courier.spi.PooledConnection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Keeps at most {@code maxIdle} idle connections in total and at most {@code maxIdlePerAddress}
 * to any one address, each for at most the keep-alive duration. Beyond either limit the least
 * recently used are closed first: first those of addresses over their own limit, then the least
 * recently used of the pool until the total fits. A client talking to many hosts keeps a few warm
 * connections to each without letting the total grow without bound.
 *
 * <p>Immutable and thread-safe.
 */
public final class BoundedEvictionPolicy implements EvictionPolicy {
  private final int maxIdle;
  private final int maxIdlePerAddress;
  private final long keepAliveNanos;
  private final IdleOrder idleOrder;

  /**
   * Creates a policy that hands out the most recently used connection first.
   *
   * @param maxIdle the most idle connections kept in total
   * @param maxIdlePerAddress the most idle connections kept to one address
   * @param keepAlive how long a connection may stay idle
   * @throws IllegalArgumentException if a limit is negative or {@code keepAlive} is not positive
   */
  public BoundedEvictionPolicy(int maxIdle, int maxIdlePerAddress, long keepAlive, TimeUnit unit) {
    this(maxIdle, maxIdlePerAddress, keepAlive, unit, IdleOrder.LIFO);
  }

  /**
   * Creates a policy that hands out idle connections in {@code idleOrder}.
   *
   * @throws IllegalArgumentException if a limit is negative or {@code keepAlive} is not positive
   */
  public BoundedEvictionPolicy(int maxIdle, int maxIdlePerAddress, long keepAlive, TimeUnit unit,
      IdleOrder idleOrder) {
    KeepAliveEviction.checkLimit("maxIdle", maxIdle);
    this.keepAliveNanos = KeepAliveEviction.checkedKeepAliveNanos(
        "maxIdlePerAddress", maxIdlePerAddress, keepAlive, unit);
    this.maxIdle = maxIdle;
    this.maxIdlePerAddress = maxIdlePerAddress;
    this.idleOrder = Objects.requireNonNull(idleOrder, "idleOrder == null");
  }

  /** Returns the most idle connections kept in total. */
  public int maxIdle() {
    return maxIdle;
  }

  /** Returns the most idle connections kept to one address. */
  public int maxIdlePerAddress() {
    return maxIdlePerAddress;
  }

  /** Returns how long a connection may stay idle, in nanoseconds. */
  public long keepAliveNanos() {
    return keepAliveNanos;
  }

  /**
   * Closes connections idle for the keep-alive or longer ({@link Reason#IDLE_TIMEOUT}), then the
   * least recently used beyond the per-address limit and then beyond the total limit
   * ({@link Reason#IDLE_LIMIT}). Busy connections are left alone.
   *
   * @return nanoseconds until the oldest kept idle connection expires, or -1 if none is kept
   */
  @Override
  public long evaluate(List<? extends PooledConnection> connections, long nowNanos, Decisions decisions) {
    return KeepAliveEviction.evict(KeepAliveEviction.idleOf(connections), nowNanos, keepAliveNanos,
        maxIdle, maxIdlePerAddress, decisions::closeIdle);
  }

  /** Applies the same limits to idle connections only: the first version of this interface. */
  @Override
  public long evict(List<? extends IdleConnection> idle, long nowNanos, List<? super IdleConnection> evict) {
    return KeepAliveEviction.evict(idle, nowNanos, keepAliveNanos, maxIdle, maxIdlePerAddress,
        (connection, reason) -> evict.add(connection));
  }

  @Override
  public IdleOrder idleOrder() {
    return idleOrder;
  }

  @Override
  public String toString() {
    return "BoundedEvictionPolicy{maxIdle=" + maxIdle + ", maxIdlePerAddress=" + maxIdlePerAddress
        + ", keepAlive=" + TimeUnit.NANOSECONDS.toMillis(keepAliveNanos) + " ms, " + idleOrder + "}";
  }
}
