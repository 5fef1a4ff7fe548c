package dev.courier.pool.internal;

import dev.courier.spi.RouteSelector;
import dev.courier.spi.RouteSelectorProvider;

/**
 * Provides {@link RoundRobinRouteSelector} under the name {@code "round-robin"}, priority -1 so it
 * is used only when named.
 */
public final class RoundRobinRouteSelectorProvider implements RouteSelectorProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public RoundRobinRouteSelectorProvider() {}

  /** Returns {@code "round-robin"}. */
  @Override
  public String name() {
    return "round-robin";
  }

  /** Returns -1: below the default selector. */
  @Override
  public int priority() {
    return -1;
  }

  /** Returns a new {@link RoundRobinRouteSelector} with its own route database. */
  @Override
  public RouteSelector create() {
    return new RoundRobinRouteSelector();
  }
}
