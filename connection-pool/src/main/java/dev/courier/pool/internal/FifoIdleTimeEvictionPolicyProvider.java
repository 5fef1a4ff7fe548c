package dev.courier.pool.internal;

import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
import java.util.concurrent.TimeUnit;

/**
 * Provides a {@link IdleTimeEvictionPolicy} keeping at most 5 idle connections for 5 minutes,
 * least recently used first, under the name {@code "idle-time-fifo"}.
 */
public final class FifoIdleTimeEvictionPolicyProvider implements EvictionPolicyProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public FifoIdleTimeEvictionPolicyProvider() {}

  /** Returns {@code "idle-time-fifo"}. */
  @Override
  public String name() {
    return "idle-time-fifo";
  }

  /** Returns -1: used only when named. */
  @Override
  public int priority() {
    return -1;
  }

  /**
   * Returns a new policy keeping at most 5 idle connections for 5 minutes, least recently used
   * first.
   */
  @Override
  public IdleTimeEvictionPolicy create() {
    return new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES, EvictionPolicy.IdleOrder.FIFO);
  }
}
