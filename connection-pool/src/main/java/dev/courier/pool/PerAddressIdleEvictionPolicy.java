package dev.courier.pool;

import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.IdleConnection;
import dev.courier.spi.PooledConnection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Keeps at most {@code maxIdlePerAddress} idle connections to each address, each for at most the
 * keep-alive duration, with no limit across addresses: a client talking to many hosts keeps a few
 * warm connections to every one of them. Beyond the limit the least recently used connections of
 * that address are closed first.
 *
 * <p>Immutable and thread-safe.
 */
public final class PerAddressIdleEvictionPolicy implements EvictionPolicy {
  private final int maxIdlePerAddress;
  private final long keepAliveNanos;
  private final IdleOrder idleOrder;

  /**
   * Creates a policy that hands out the most recently used connection first.
   *
   * @throws IllegalArgumentException if {@code maxIdlePerAddress} is negative or {@code keepAlive}
   *     not positive
   */
  public PerAddressIdleEvictionPolicy(int maxIdlePerAddress, long keepAlive, TimeUnit unit) {
    this(maxIdlePerAddress, keepAlive, unit, IdleOrder.LIFO);
  }

  /**
   * Creates a policy that hands out idle connections in {@code idleOrder}.
   *
   * @throws IllegalArgumentException if {@code maxIdlePerAddress} is negative or {@code keepAlive}
   *     not positive
   */
  public PerAddressIdleEvictionPolicy(int maxIdlePerAddress, long keepAlive, TimeUnit unit, IdleOrder idleOrder) {
    this.keepAliveNanos = KeepAliveEviction.checkedKeepAliveNanos(
        "maxIdlePerAddress", maxIdlePerAddress, keepAlive, unit);
    this.maxIdlePerAddress = maxIdlePerAddress;
    this.idleOrder = Objects.requireNonNull(idleOrder, "idleOrder == null");
  }

  /** Returns the most idle connections kept per address. */
  public int maxIdlePerAddress() {
    return maxIdlePerAddress;
  }

  /** Returns how long a connection may stay idle, in nanoseconds. */
  public long keepAliveNanos() {
    return keepAliveNanos;
  }

  /**
   * Closes connections idle for the keep-alive or longer ({@link Reason#IDLE_TIMEOUT}), then the
   * least recently used beyond the limit ({@link Reason#IDLE_LIMIT}). Busy connections are left
   * alone.
   *
   * @return nanoseconds until the oldest kept idle connection expires, or -1 if none is kept
   */
  @Override
  public long evaluate(List<? extends PooledConnection> connections, long nowNanos, Decisions decisions) {
    return KeepAliveEviction.evict(KeepAliveEviction.idleOf(connections), nowNanos, keepAliveNanos,
        KeepAliveEviction.UNLIMITED, maxIdlePerAddress, decisions::closeIdle);
  }

  /**
   * Evicts connections idle for the keep-alive or longer, then the least recently used beyond the
   * limit: the first version of this interface.
   *
   * @return nanoseconds until the oldest kept connection expires, or -1 if none is kept
   */
  @Override
  public long evict(List<? extends IdleConnection> idle, long nowNanos, List<? super IdleConnection> evict) {
    return KeepAliveEviction.evict(idle, nowNanos, keepAliveNanos, KeepAliveEviction.UNLIMITED, maxIdlePerAddress,
        (connection, reason) -> evict.add(connection));
  }

  @Override
  public IdleOrder idleOrder() {
    return idleOrder;
  }

  @Override
  public String toString() {
    return "PerAddressIdleEvictionPolicy{maxIdlePerAddress=" + maxIdlePerAddress + ", keepAlive="
        + TimeUnit.NANOSECONDS.toMillis(keepAliveNanos) + " ms, " + idleOrder + "}";
  }
}
