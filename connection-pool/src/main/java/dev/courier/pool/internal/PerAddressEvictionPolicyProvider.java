package dev.courier.pool.internal;

import dev.courier.pool.PerAddressIdleEvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
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
}
