package dev.courier.pool.internal;

import dev.courier.pool.MaxLifetimeEvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
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
}
