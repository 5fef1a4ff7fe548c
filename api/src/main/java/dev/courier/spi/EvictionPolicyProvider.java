package dev.courier.spi;

/**
 * Makes a pool's {@link EvictionPolicy}; found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.courier.spi.EvictionPolicyProvider}.
 */
public interface EvictionPolicyProvider extends Provider {
  /** Returns a new policy for one pool. */
  EvictionPolicy create();
}
