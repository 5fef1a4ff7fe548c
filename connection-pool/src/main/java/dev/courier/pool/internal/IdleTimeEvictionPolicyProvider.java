package dev.courier.pool.internal;

import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
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
}
