package dev.courier.pool.internal;

import dev.courier.spi.RouteSelector;
import dev.courier.testing.contract.RouteSelectorContract;

/** Runs the route selector contract kit against {@link DefaultRouteSelector}. */
class DefaultRouteSelectorContractTest extends RouteSelectorContract {
  @Override
  protected RouteSelector newSelector() {
    return new DefaultRouteSelectorProvider().create();
  }
}
