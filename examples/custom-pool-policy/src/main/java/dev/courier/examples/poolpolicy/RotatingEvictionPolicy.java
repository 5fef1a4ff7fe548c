package dev.courier.examples.poolpolicy;

import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.PooledConnection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Rotates connections: retires every connection once it has served for {@code maxLifetime}, busy
 * or idle, so that traffic moves to servers added behind a load balancer; and closes connections
 * idle for {@code idleTimeout}. A connection past its lifetime is never handed out again, even
 * between two cleanups.
 *
 * <p>Immutable and thread-safe, as the pool expects.
 */
public final class RotatingEvictionPolicy implements EvictionPolicy {
  private final long maxLifetimeNanos;
  private final long idleTimeoutNanos;

  /**
   * Creates a policy with the given limits.
   *
   * @throws IllegalArgumentException if a duration is not positive
   */
  public RotatingEvictionPolicy(long maxLifetime, long idleTimeout, TimeUnit unit) {
    if (maxLifetime <= 0 || idleTimeout <= 0) {
      throw new IllegalArgumentException("durations must be positive: maxLifetime=" + maxLifetime
          + ", idleTimeout=" + idleTimeout);
    }
    this.maxLifetimeNanos = unit.toNanos(maxLifetime);
    this.idleTimeoutNanos = unit.toNanos(idleTimeout);
  }

  /** Returns how long a connection serves, busy or idle, in nanoseconds. */
  public long maxLifetimeNanos() {
    return maxLifetimeNanos;
  }

  /** Returns how long a connection may stay idle, in nanoseconds. */
  public long idleTimeoutNanos() {
    return idleTimeoutNanos;
  }

  // snippet: policy-evaluate
  /**
   * Retires connections past their lifetime and closes those idle too long.
   *
   * @return nanoseconds until the next kept connection reaches either limit, or -1 if none is kept
   */
  @Override
  public long evaluate(List<? extends PooledConnection> connections, long nowNanos, Decisions decisions) {
    long wait = Long.MAX_VALUE;
    for (PooledConnection connection : connections) {
      long lifeLeft = maxLifetimeNanos - (nowNanos - connection.createdAtNanos());
      if (lifeLeft <= 0) {
        decisions.retire(connection, Reason.LIFETIME); // Busy ones finish their exchanges first.
        continue;
      }
      if (connection.isIdle()) {
        long idleLeft = idleTimeoutNanos - (nowNanos - connection.idleAtNanos());
        if (idleLeft <= 0) {
          decisions.closeIdle(connection, Reason.IDLE_TIMEOUT);
          continue;
        }
        lifeLeft = Math.min(lifeLeft, idleLeft);
      }
      wait = Math.min(wait, lifeLeft);
    }
    return wait == Long.MAX_VALUE ? -1 : wait;
  }

  /** Refuses a connection past its lifetime, so that it is not handed out before cleanup runs. */
  @Override
  public Reason refuseNewExchange(PooledConnection connection, long nowNanos) {
    return nowNanos - connection.createdAtNanos() >= maxLifetimeNanos ? Reason.LIFETIME : null;
  }
  // end snippet

  @Override
  public String toString() {
    return "RotatingEvictionPolicy{maxLifetime=" + TimeUnit.NANOSECONDS.toSeconds(maxLifetimeNanos)
        + " s, idleTimeout=" + TimeUnit.NANOSECONDS.toSeconds(idleTimeoutNanos) + " s}";
  }
}
