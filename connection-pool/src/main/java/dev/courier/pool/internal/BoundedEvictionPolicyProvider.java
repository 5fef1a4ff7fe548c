package dev.courier.pool.internal;

import dev.courier.pool.BoundedEvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
import dev.courier.spi.ProviderSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Provides a {@link BoundedEvictionPolicy} keeping at most 50 idle connections in total and 5 per address, for 5 minutes, under the name {@code "bounded"}.
 */
public final class BoundedEvictionPolicyProvider implements EvictionPolicyProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public BoundedEvictionPolicyProvider() {}

  /** Returns {@code "bounded"}. */
  @Override
  public String name() {
    return "bounded";
  }

  /** Returns -1: used only when named. */
  @Override
  public int priority() {
    return -1;
  }

  /** Returns a new policy keeping at most 50 idle connections in total and 5 per address, for 5 minutes. */
  @Override
  public BoundedEvictionPolicy create() {
    return new BoundedEvictionPolicy(50, 5, 5, TimeUnit.MINUTES);
  }

  /**
   * Returns a new policy configured by the settings {@code maxIdleConnections} (the most idle
   * connections in total, default 50), {@code maxIdlePerAddress} (the most to one address,
   * default 5) and {@code keepAlive} (the longest a connection stays idle, such as {@code 30s};
   * default 5 minutes).
   *
   * @throws IllegalArgumentException if a setting is malformed or out of range; the message names it
   */
  @Override
  public BoundedEvictionPolicy create(ProviderSettings settings) {
    int maxIdle = settings.getInt("maxIdleConnections", 50);
    int maxIdlePerAddress = settings.getInt("maxIdlePerAddress", 5);
    Duration keepAlive = settings.getDuration("keepAlive", Duration.ofMinutes(5));
    try {
      return new BoundedEvictionPolicy(maxIdle, maxIdlePerAddress, keepAlive.toNanos(), TimeUnit.NANOSECONDS);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Provider '" + name() + "' settings maxIdleConnections=" + maxIdle
          + ", maxIdlePerAddress=" + maxIdlePerAddress + ", keepAlive=" + keepAlive + ": " + e.getMessage(), e);
    }
  }
}
