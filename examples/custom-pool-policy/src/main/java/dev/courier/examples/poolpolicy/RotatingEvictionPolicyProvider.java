package dev.courier.examples.poolpolicy;

import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
import java.util.concurrent.TimeUnit;

/**
 * Provides {@link RotatingEvictionPolicy} (connections live 10 minutes, idle ones 30 seconds)
 * under the name {@code "rotating"}. Listed in
 * {@code META-INF/services/dev.courier.spi.EvictionPolicyProvider}, so a pool created without a
 * policy finds it on the class path.
 */
public final class RotatingEvictionPolicyProvider implements EvictionPolicyProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public RotatingEvictionPolicyProvider() {}

  /** Returns {@code "rotating"}. */
  @Override
  public String name() {
    return "rotating";
  }

  /** Returns 10: outranks Courier's built-in policies (0), so it wins once on the class path. */
  @Override
  public int priority() {
    return 10;
  }

  /** Returns a new policy: connections live 10 minutes, idle ones 30 seconds. */
  @Override
  public EvictionPolicy create() {
    return new RotatingEvictionPolicy(10 * 60, 30, TimeUnit.SECONDS);
  }
}
