package dev.courier.pool.internal;

import dev.courier.spi.RouteSelector;
import dev.courier.spi.RouteSelectorProvider;

/** Provides {@link DefaultRouteSelector} under the name {@code "courier-default"}, priority 0. */
public final class DefaultRouteSelectorProvider implements RouteSelectorProvider {
  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public DefaultRouteSelectorProvider() {}

  /** Returns {@code "courier-default"}. */
  @Override
  public String name() {
    return "courier-default";
  }

  /** Returns a new {@link DefaultRouteSelector} with its own route database. */
  @Override
  public RouteSelector create() {
    return new DefaultRouteSelector();
  }
}
