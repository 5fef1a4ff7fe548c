package dev.courier.pool.internal;

import dev.courier.pool.MaxUsesEvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
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
}
