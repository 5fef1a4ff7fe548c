package dev.courier.pool.internal;

import dev.courier.pool.PerAddressIdleEvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
import dev.courier.spi.ProviderSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Provides a {@link PerAddressIdleEvictionPolicy} keeping at most 5 idle connections per address
 * for 5 minutes, under the name {@code "per-address"}.
 */
public final class PerAddressEvictionPolicyProvider implements EvictionPolicyProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public PerAddressEvictionPolicyProvider() {}

  /** Returns {@code "per-address"}. */
  @Override
  public String name() {
    return "per-address";
  }

  /** Returns -1: used only when named. */
  @Override
  public int priority() {
    return -1;
  }

  /** Returns a new policy keeping at most 5 idle connections per address for 5 minutes. */
  @Override
  public PerAddressIdleEvictionPolicy create() {
    return new PerAddressIdleEvictionPolicy(5, 5, TimeUnit.MINUTES);
  }

  /**
   * Returns a new policy configured by the settings {@code maxIdleConnections} (the most idle connections per address,
   * default 5) and {@code keepAlive} (the longest a connection stays idle, such as {@code 30s};
   * default 5 minutes).
   *
   * @throws IllegalArgumentException if a setting is malformed or out of range; the message names it
   */
  @Override
  public PerAddressIdleEvictionPolicy create(ProviderSettings settings) {
    int maxIdle = settings.getInt("maxIdleConnections", 5);
    Duration keepAlive = settings.getDuration("keepAlive", Duration.ofMinutes(5));
    try {
      return new PerAddressIdleEvictionPolicy(maxIdle, keepAlive.toNanos(), TimeUnit.NANOSECONDS);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Provider '" + name() + "' settings maxIdleConnections="
          + maxIdle + ", keepAlive=" + keepAlive + ": " + e.getMessage(), e);
    }
  }
}
