package dev.courier.pool.internal;

import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.pool.MaxLifetimeEvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
import dev.courier.spi.ProviderSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Provides a {@link MaxLifetimeEvictionPolicy} retiring connections older than 30 minutes, over the default idle-time policy (5 idle, 5 minutes), under the name {@code "max-lifetime"}.
 */
public final class MaxLifetimeEvictionPolicyProvider implements EvictionPolicyProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public MaxLifetimeEvictionPolicyProvider() {}

  /** Returns {@code "max-lifetime"}. */
  @Override
  public String name() {
    return "max-lifetime";
  }

  /** Returns -1: used only when named. */
  @Override
  public int priority() {
    return -1;
  }

  /** Returns a new policy retiring connections older than 30 minutes, over the default idle-time policy (5 idle, 5 minutes). */
  @Override
  public MaxLifetimeEvictionPolicy create() {
    return new MaxLifetimeEvictionPolicy(30, TimeUnit.MINUTES);
  }

  /**
   * Returns a new policy configured by the settings {@code maxLifetime} (the longest a connection
   * serves, such as {@code 10m}; default 30 minutes), and, for the idle policy under it,
   * {@code maxIdleConnections} (default 5) and {@code keepAlive} (default 5 minutes).
   *
   * @throws IllegalArgumentException if a setting is malformed or out of range; the message names it
   */
  @Override
  public MaxLifetimeEvictionPolicy create(ProviderSettings settings) {
    Duration maxLifetime = settings.getDuration("maxLifetime", Duration.ofMinutes(30));
    int maxIdle = settings.getInt("maxIdleConnections", 5);
    Duration keepAlive = settings.getDuration("keepAlive", Duration.ofMinutes(5));
    try {
      return new MaxLifetimeEvictionPolicy(maxLifetime.toNanos(), TimeUnit.NANOSECONDS,
          new IdleTimeEvictionPolicy(maxIdle, keepAlive.toNanos(), TimeUnit.NANOSECONDS));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Provider '" + name() + "' settings maxLifetime=" + maxLifetime
          + ", maxIdleConnections=" + maxIdle + ", keepAlive=" + keepAlive + ": " + e.getMessage(), e);
    }
  }
}
