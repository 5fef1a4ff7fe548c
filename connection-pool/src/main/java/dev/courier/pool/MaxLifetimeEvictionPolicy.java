package dev.courier.pool;

import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.PooledConnection;
import java.util.concurrent.TimeUnit;

/**
 * Retires every connection once it is older than a maximum lifetime, busy or not: an idle one is
 * closed, a busy one takes no new exchanges and is closed when its last exchange ends. Useful
 * behind load balancers and DNS changes, so that traffic moves to new servers. Connections within
 * their lifetime are judged by an idle policy (by default the pool's default,
 * {@code new IdleTimeEvictionPolicy(5, 5, MINUTES)}), whose idle order this policy adopts.
 *
 * <p>A connection past its lifetime is never handed out, even between cleanups. Immutable and
 * thread-safe if the idle policy is.
 */
public final class MaxLifetimeEvictionPolicy extends RetiringEvictionPolicy {
  private final long maxLifetimeNanos;

  /**
   * Creates a policy retiring connections older than {@code maxLifetime}, over the default idle
   * policy.
   *
   * @throws IllegalArgumentException if {@code maxLifetime} is not positive
   */
  public MaxLifetimeEvictionPolicy(long maxLifetime, TimeUnit unit) {
    this(maxLifetime, unit, new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES));
  }

  /**
   * Creates a policy retiring connections older than {@code maxLifetime}, and leaving the others
   * to {@code idlePolicy}.
   *
   * @throws IllegalArgumentException if {@code maxLifetime} is not positive
   */
  public MaxLifetimeEvictionPolicy(long maxLifetime, TimeUnit unit, EvictionPolicy idlePolicy) {
    super(idlePolicy);
    if (maxLifetime <= 0) {
      throw new IllegalArgumentException("maxLifetime <= 0: " + maxLifetime + " " + unit);
    }
    this.maxLifetimeNanos = unit.toNanos(maxLifetime);
  }

  /** Returns the longest a connection serves, in nanoseconds. */
  public long maxLifetimeNanos() {
    return maxLifetimeNanos;
  }

  @Override
  Reason retirement(PooledConnection connection, long nowNanos) {
    return nowNanos - connection.createdAtNanos() >= maxLifetimeNanos ? Reason.LIFETIME : null;
  }

  @Override
  long untilRetirement(PooledConnection connection, long nowNanos) {
    return maxLifetimeNanos - (nowNanos - connection.createdAtNanos());
  }

  @Override
  public String toString() {
    return "MaxLifetimeEvictionPolicy{maxLifetime=" + TimeUnit.NANOSECONDS.toMillis(maxLifetimeNanos)
        + " ms, " + idlePolicy() + "}";
  }
}
