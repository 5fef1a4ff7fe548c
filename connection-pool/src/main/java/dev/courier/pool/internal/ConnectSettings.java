package dev.courier.pool.internal;

import dev.courier.spi.RouteSelector;
import java.util.Objects;

/**
 * Carries the client-wide settings the connect step needs. Immutable.
 *
 * @param routeSelector chooses the routes to try for each address; shared by the client's calls
 * @param protocols the protocol providers in use, which decide what ALPN offers
 * @param pingIntervalMillis how often multiplexed connections ping the peer; 0 for never
 * @param retryOnConnectionFailure whether a failed connect attempt moves on to the next route
 */
public record ConnectSettings(RouteSelector routeSelector, ProtocolProviders protocols,
    int pingIntervalMillis, boolean retryOnConnectionFailure) {
  /** Rejects null parts and a negative ping interval. */
  public ConnectSettings {
    Objects.requireNonNull(routeSelector, "routeSelector == null");
    Objects.requireNonNull(protocols, "protocols == null");
    if (pingIntervalMillis < 0) {
      throw new IllegalArgumentException("pingIntervalMillis < 0: " + pingIntervalMillis);
    }
  }
}
