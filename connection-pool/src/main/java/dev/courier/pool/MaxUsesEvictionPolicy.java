package dev.courier.pool;

import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.PooledConnection;
import java.util.concurrent.TimeUnit;

/**
 * Retires every connection once it has carried a maximum number of exchanges: the pool never hands
 * a connection out for more, and cleanup closes one that reached the limit once it is idle. Useful
 * for servers that leak per-connection state, or to spread load over time. Connections below the
 * limit are judged by an idle policy (by default the pool's default,
 * {@code new IdleTimeEvictionPolicy(5, 5, MINUTES)}), whose idle order this policy adopts.
 *
 * <p>Uses count the calls the pool handed the connection to, the one it was opened for included;
 * a call that follows a redirect to the same address on the same connection counts once per
 * exchange it acquires. Immutable and thread-safe if the idle policy is.
 */
public final class MaxUsesEvictionPolicy extends RetiringEvictionPolicy {
  private final long maxUses;

  /**
   * Creates a policy retiring connections after {@code maxUses} exchanges, over the default idle
   * policy.
   *
   * @throws IllegalArgumentException if {@code maxUses} is not positive
   */
  public MaxUsesEvictionPolicy(long maxUses) {
    this(maxUses, new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES));
  }

  /**
   * Creates a policy retiring connections after {@code maxUses} exchanges, and leaving the others
   * to {@code idlePolicy}.
   *
   * @throws IllegalArgumentException if {@code maxUses} is not positive
   */
  public MaxUsesEvictionPolicy(long maxUses, EvictionPolicy idlePolicy) {
    super(idlePolicy);
    if (maxUses <= 0) {
      throw new IllegalArgumentException("maxUses <= 0: " + maxUses);
    }
    this.maxUses = maxUses;
  }

  /** Returns the most exchanges a connection carries. */
  public long maxUses() {
    return maxUses;
  }

  @Override
  Reason retirement(PooledConnection connection, long nowNanos) {
    return connection.useCount() >= maxUses ? Reason.MAX_USES : null;
  }

  @Override
  long untilRetirement(PooledConnection connection, long nowNanos) {
    return -1; // Only use retires a connection, never time.
  }

  @Override
  public String toString() {
    return "MaxUsesEvictionPolicy{maxUses=" + maxUses + ", " + idlePolicy() + "}";
  }
}
