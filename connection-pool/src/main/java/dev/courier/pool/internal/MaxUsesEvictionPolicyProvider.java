package dev.courier.pool.internal;

import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.pool.MaxUsesEvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
import dev.courier.spi.ProviderSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Provides a {@link MaxUsesEvictionPolicy} retiring connections after 1,000 exchanges, over the default idle-time policy (5 idle, 5 minutes), under the name {@code "max-uses"}.
 */
public final class MaxUsesEvictionPolicyProvider implements EvictionPolicyProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public MaxUsesEvictionPolicyProvider() {}

  /** Returns {@code "max-uses"}. */
  @Override
  public String name() {
    return "max-uses";
  }

  /** Returns -1: used only when named. */
  @Override
  public int priority() {
    return -1;
  }

  /** Returns a new policy retiring connections after 1,000 exchanges, over the default idle-time policy (5 idle, 5 minutes). */
  @Override
  public MaxUsesEvictionPolicy create() {
    return new MaxUsesEvictionPolicy(1_000);
  }

  /**
   * Returns a new policy configured by the settings {@code maxUses} (the most exchanges a
   * connection carries; default 1,000), and, for the idle policy under it,
   * {@code maxIdleConnections} (default 5) and {@code keepAlive} (default 5 minutes).
   *
   * @throws IllegalArgumentException if a setting is malformed or out of range; the message names it
   */
  @Override
  public MaxUsesEvictionPolicy create(ProviderSettings settings) {
    long maxUses = settings.getLong("maxUses", 1_000L);
    int maxIdle = settings.getInt("maxIdleConnections", 5);
    Duration keepAlive = settings.getDuration("keepAlive", Duration.ofMinutes(5));
    try {
      return new MaxUsesEvictionPolicy(maxUses,
          new IdleTimeEvictionPolicy(maxIdle, keepAlive.toNanos(), TimeUnit.NANOSECONDS));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Provider '" + name() + "' settings maxUses=" + maxUses
          + ", maxIdleConnections=" + maxIdle + ", keepAlive=" + keepAlive + ": " + e.getMessage(), e);
    }
  }
}
