package dev.courier.examples.poolpolicy;

import dev.courier.spi.EvictionPolicyProvider;
import dev.courier.spi.ProviderSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Provides {@link RotatingEvictionPolicy} (by default connections live 10 minutes, idle ones 30
 * seconds) under the name {@code "rotating"}. Listed in
 * {@code META-INF/services/dev.courier.spi.EvictionPolicyProvider}, so a pool created without a
 * policy finds it on the class path.
 */
// snippet: policy-provider
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
  public RotatingEvictionPolicy create() {
    return create(ProviderSettings.EMPTY);
  }

  /**
   * Returns a new policy configured by the settings {@code maxLifetime} (default 10 minutes) and
   * {@code idleTimeout} (default 30 seconds), durations such as {@code 90s}.
   *
   * @throws IllegalArgumentException if a setting is malformed or not positive
   */
  @Override
  public RotatingEvictionPolicy create(ProviderSettings settings) {
    Duration maxLifetime = settings.getDuration("maxLifetime", Duration.ofMinutes(10));
    Duration idleTimeout = settings.getDuration("idleTimeout", Duration.ofSeconds(30));
    return new RotatingEvictionPolicy(maxLifetime.toNanos(), idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }
}
// end snippet
