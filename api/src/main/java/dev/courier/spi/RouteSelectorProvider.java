package dev.courier.spi;

/**
 * Makes the client's {@link RouteSelector}; found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.courier.spi.RouteSelectorProvider}.
 */
public interface RouteSelectorProvider extends Provider {
  /** Returns a new selector, with its own memory of failed routes. */
  RouteSelector create();

  /**
   * Returns a new selector configured with {@code settings}. The client calls this one. By default
   * ignores the settings and calls {@link #create()}; a configurable provider overrides it.
   *
   * @throws IllegalArgumentException if a setting is malformed; the message names it
   */
  default RouteSelector create(ProviderSettings settings) {
    return create();
  }
}
