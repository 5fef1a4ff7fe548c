package dev.courier.spi;

/**
 * Makes a pool's {@link EvictionPolicy}; found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.courier.spi.EvictionPolicyProvider}.
 */
public interface EvictionPolicyProvider extends Provider {
  /** Returns a new policy for one pool. */
  EvictionPolicy create();

  /**
   * Returns a new policy for one pool, configured with {@code settings}. The pool calls this one.
   * By default ignores the settings and calls {@link #create()}; a configurable provider overrides
   * it.
   *
   * @throws IllegalArgumentException if a setting is malformed; the message names it
   */
  default EvictionPolicy create(ProviderSettings settings) {
    return create();
  }
}
