package dev.courier.pool.internal;

import dev.courier.pool.BoundedEvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
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
}
