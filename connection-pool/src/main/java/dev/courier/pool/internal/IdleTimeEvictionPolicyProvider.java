package dev.courier.pool.internal;

import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
import dev.courier.spi.ProviderSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Provides a {@link IdleTimeEvictionPolicy} keeping at most 5 idle connections for 5 minutes, most
 * recently used first, under the name {@code "idle-time"}.
 */
public final class IdleTimeEvictionPolicyProvider implements EvictionPolicyProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public IdleTimeEvictionPolicyProvider() {}

  /** Returns {@code "idle-time"}. */
  @Override
  public String name() {
    return "idle-time";
  }

  /**
   * Returns a new policy keeping at most 5 idle connections for 5 minutes, most recently used
   * first.
   */
  @Override
  public IdleTimeEvictionPolicy create() {
    return new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES);
  }

  /**
   * Returns a new policy configured by the settings {@code maxIdleConnections} (the most idle connections,
   * default 5) and {@code keepAlive} (the longest a connection stays idle, such as {@code 30s};
   * default 5 minutes).
   *
   * @throws IllegalArgumentException if a setting is malformed or out of range; the message names it
   */
  @Override
  public IdleTimeEvictionPolicy create(ProviderSettings settings) {
    int maxIdle = settings.getInt("maxIdleConnections", 5);
    Duration keepAlive = settings.getDuration("keepAlive", Duration.ofMinutes(5));
    try {
      return new IdleTimeEvictionPolicy(maxIdle, keepAlive.toNanos(), TimeUnit.NANOSECONDS);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Provider '" + name() + "' settings maxIdleConnections="
          + maxIdle + ", keepAlive=" + keepAlive + ": " + e.getMessage(), e);
    }
  }
}
