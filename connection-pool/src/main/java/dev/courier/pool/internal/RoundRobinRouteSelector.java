package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.Call;
import dev.courier.EventListener;
import dev.courier.Route;
import dev.courier.spi.RouteSelector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spreads new connections over a host's IP addresses: selects routes as {@link DefaultRouteSelector}
 * does, then starts each selection for an address one route later than the previous one. Routes
 * that failed recently stay last and are not rotated.
 *
 * <p>Registered as the route selector provider {@code "round-robin"} (priority -1, so it is used
 * only when named). Counters are kept for at most {@value #MAX_ADDRESSES} addresses, then start
 * over. Thread-safe.
 */
public final class RoundRobinRouteSelector implements RouteSelector {
  /** The most addresses a rotation counter is kept for. */
  public static final int MAX_ADDRESSES = 1024;

  private final DefaultRouteSelector delegate;
  private final ConcurrentHashMap<Address, AtomicInteger> nextStart = new ConcurrentHashMap<>();

  /** Creates a selector with its own empty route database. */
  public RoundRobinRouteSelector() {
    this(new RouteDatabase());
  }

  /** Creates a selector that remembers failures in {@code routeDatabase}. */
  public RoundRobinRouteSelector(RouteDatabase routeDatabase) {
    this.delegate = new DefaultRouteSelector(routeDatabase);
  }

  /**
   * Returns the routes {@link DefaultRouteSelector} would, with the healthy ones rotated by one
   * position more than last time for this address.
   *
   * @throws java.net.UnknownHostException naming the host, if it could not be resolved
   */
  @Override
  public List<Route> select(Address address, Call call, EventListener listener) throws IOException {
    List<Route> routes = delegate.select(address, call, listener);
    RouteDatabase database = delegate.routeDatabase();
    int healthy = 0;
    while (healthy < routes.size() && !database.shouldPostpone(routes.get(healthy))) {
      healthy++;
    }
    if (healthy < 2) {
      return routes;
    }
    if (nextStart.size() >= MAX_ADDRESSES && !nextStart.containsKey(address)) {
      nextStart.clear();
    }
    int start = Math.floorMod(nextStart.computeIfAbsent(address, a -> new AtomicInteger()).getAndIncrement(), healthy);
    List<Route> result = new ArrayList<>(routes.size());
    result.addAll(routes.subList(start, healthy));
    result.addAll(routes.subList(0, start));
    result.addAll(routes.subList(healthy, routes.size()));
    return result;
  }

  @Override
  public void connectFailed(Route route, IOException failure) {
    delegate.connectFailed(route, failure);
  }

  @Override
  public void connected(Route route) {
    delegate.connected(route);
  }

  @Override
  public String toString() {
    return "RoundRobinRouteSelector";
  }
}
