package dev.courier.pool.internal;

import dev.courier.Route;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers routes that failed to connect, so a route selector can try them last. A route is
 * forgotten once a connection over it succeeds. At most {@value #MAX_FAILED_ROUTES} routes are
 * remembered; beyond that the memory starts over, so a client that meets many dead hosts does not
 * grow without bound. Thread-safe.
 */
public final class RouteDatabase {
  /** The most failed routes remembered at once. */
  public static final int MAX_FAILED_ROUTES = 1024;

  private final Set<Route> failed = ConcurrentHashMap.newKeySet();

  /** Creates an empty database. */
  public RouteDatabase() {}

  /** Records that connecting over {@code route} failed. */
  public void failed(Route route) {
    if (failed.size() >= MAX_FAILED_ROUTES) {
      failed.clear();
    }
    failed.add(route);
  }

  /** Records that connecting over {@code route} succeeded, forgetting any earlier failure. */
  public void connected(Route route) {
    failed.remove(route);
  }

  /** Returns true if {@code route} failed recently and should be tried after the others. */
  public boolean shouldPostpone(Route route) {
    return failed.contains(route);
  }

  /** Returns how many routes are remembered as failed. */
  public int failedCount() {
    return failed.size();
  }
}
