package dev.courier.spi;

/**
 * Makes the client's {@link RouteSelector}; found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.courier.spi.RouteSelectorProvider}.
 */
public interface RouteSelectorProvider extends Provider {
  /** Returns a new selector, with its own memory of failed routes. */
  RouteSelector create();
}
