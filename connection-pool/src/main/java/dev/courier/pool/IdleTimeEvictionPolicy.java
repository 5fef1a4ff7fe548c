package dev.courier.pool;

import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.IdleConnection;
import dev.courier.spi.PooledConnection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Keeps at most {@code maxIdle} idle connections across all addresses, each for at most the
 * keep-alive duration: a connection idle for the keep-alive or longer is closed, and beyond
 * {@code maxIdle} the least recently used are closed first. The pool's default is 5 connections
 * for 5 minutes, handed out most recently used first ({@link IdleOrder#LIFO}).
 *
 * <p>Immutable and thread-safe.
 */
public final class IdleTimeEvictionPolicy implements EvictionPolicy {
  private final int maxIdle;
  private final long keepAliveNanos;
  private final IdleOrder idleOrder;

  /**
   * Creates a policy that hands out the most recently used connection first.
   *
   * @param maxIdle the most idle connections kept; 0 closes every connection once idle
   * @param keepAlive how long a connection may stay idle
   * @throws IllegalArgumentException if {@code maxIdle} is negative or {@code keepAlive} not positive
   */
  public IdleTimeEvictionPolicy(int maxIdle, long keepAlive, TimeUnit unit) {
    this(maxIdle, keepAlive, unit, IdleOrder.LIFO);
  }

  /**
   * Creates a policy that hands out idle connections in {@code idleOrder}: {@link IdleOrder#FIFO}
   * spreads calls over every idle connection, {@link IdleOrder#LIFO} lets unneeded ones expire.
   *
   * @throws IllegalArgumentException if {@code maxIdle} is negative or {@code keepAlive} not positive
   */
  public IdleTimeEvictionPolicy(int maxIdle, long keepAlive, TimeUnit unit, IdleOrder idleOrder) {
    this.keepAliveNanos = KeepAliveEviction.checkedKeepAliveNanos("maxIdle", maxIdle, keepAlive, unit);
    this.maxIdle = maxIdle;
    this.idleOrder = Objects.requireNonNull(idleOrder, "idleOrder == null");
  }

  /** Returns the most idle connections kept. */
  public int maxIdle() {
    return maxIdle;
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
        maxIdle, KeepAliveEviction.UNLIMITED, decisions::closeIdle);
  }

  /**
   * Evicts connections idle for the keep-alive or longer, then the least recently used beyond the
   * limit: the first version of this interface.
   *
   * @return nanoseconds until the oldest kept connection expires, or -1 if none is kept
   */
  @Override
  public long evict(List<? extends IdleConnection> idle, long nowNanos, List<? super IdleConnection> evict) {
    return KeepAliveEviction.evict(idle, nowNanos, keepAliveNanos, maxIdle, KeepAliveEviction.UNLIMITED,
        (connection, reason) -> evict.add(connection));
  }

  @Override
  public IdleOrder idleOrder() {
    return idleOrder;
  }

  @Override
  public String toString() {
    return "IdleTimeEvictionPolicy{maxIdle=" + maxIdle + ", keepAlive="
        + TimeUnit.NANOSECONDS.toMillis(keepAliveNanos) + " ms, " + idleOrder + "}";
  }
}
