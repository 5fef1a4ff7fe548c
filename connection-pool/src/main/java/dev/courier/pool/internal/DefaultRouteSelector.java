package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.Call;
import dev.courier.EventListener;
import dev.courier.HttpUrl;
import dev.courier.Route;
import dev.courier.spi.RouteSelector;
import dev.courier.tls.internal.IpLiterals;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Chooses routes the usual way: every proxy the address names (or its proxy selector returns,
 * {@link Proxy#NO_PROXY} if none), and for direct and HTTP-proxy routes every IP address the
 * address's {@link dev.courier.Dns} returns for the origin or proxy host, in DNS order. A SOCKS
 * proxy gets one route with the unresolved origin, which the proxy resolves. Routes that failed
 * recently, as remembered by a {@link RouteDatabase}, are tried last.
 *
 * <p>Registered as the route selector provider {@code "courier-default"}. Thread-safe.
 */
public final class DefaultRouteSelector implements RouteSelector {
  /** The most failures of other proxies kept as suppressed on the failure thrown. */
  private static final int MAX_SUPPRESSED_FAILURES = 4;

  private final RouteDatabase routeDatabase;

  /** Creates a selector with its own empty route database. */
  public DefaultRouteSelector() {
    this(new RouteDatabase());
  }

  /** Creates a selector that remembers failures in {@code routeDatabase}. */
  public DefaultRouteSelector(RouteDatabase routeDatabase) {
    this.routeDatabase = Objects.requireNonNull(routeDatabase, "routeDatabase == null");
  }

  /** Returns the database of failed routes this selector consults. */
  public RouteDatabase routeDatabase() {
    return routeDatabase;
  }

  /**
   * Returns the routes to {@code address}: routes that did not fail recently first, each group in
   * proxy order then DNS order.
   *
   * @throws UnknownHostException naming the host, if no proxy's host or origin host could be
   *     resolved (the first such failure, with up to four later ones suppressed)
   * @throws IOException if no proxy yields a route, such as one with an address of an unsupported
   *     type; a proxy that fails is skipped while another one yields routes
   */
  @Override
  public List<Route> select(Address address, Call call, EventListener listener) throws IOException {
    List<Proxy> proxies = selectProxies(address, call, listener);
    List<Route> preferred = new ArrayList<>();
    List<Route> postponed = new ArrayList<>();
    IOException firstFailure = null;
    for (Proxy proxy : proxies) {
      List<InetSocketAddress> socketAddresses;
      try {
        socketAddresses = socketAddresses(address, proxy, call, listener);
      } catch (IOException e) {
        // Another proxy (or going direct) may still work; report this failure only if none does.
        if (firstFailure == null) {
          firstFailure = e;
        } else if (firstFailure.getSuppressed().length < MAX_SUPPRESSED_FAILURES) {
          firstFailure.addSuppressed(e);
        }
        continue;
      }
      for (InetSocketAddress socketAddress : socketAddresses) {
        Route route = new Route(address, proxy, socketAddress);
        (routeDatabase.shouldPostpone(route) ? postponed : preferred).add(route);
      }
    }
    if (preferred.isEmpty() && postponed.isEmpty()) {
      if (firstFailure != null) {
        throw firstFailure;
      }
      throw new IOException("No route to " + address.host() + ":" + address.port() + " through " + proxies);
    }
    preferred.addAll(postponed);
    return preferred;
  }

  @Override
  public void connectFailed(Route route, IOException failure) {
    routeDatabase.failed(route);
  }

  @Override
  public void connected(Route route) {
    routeDatabase.connected(route);
  }

  private static List<Proxy> selectProxies(Address address, Call call, EventListener listener) {
    HttpUrl url = address.url();
    listener.proxySelectStart(call, url);
    List<Proxy> result;
    if (address.proxy() != null) {
      result = List.of(address.proxy());
    } else {
      URI uri = url.uri();
      List<Proxy> selected = uri.getHost() == null ? null : address.proxySelector().select(uri);
      result = selected == null || selected.isEmpty() ? List.of(Proxy.NO_PROXY) : List.copyOf(selected);
    }
    listener.proxySelectEnd(call, url, result);
    return result;
  }

  private static List<InetSocketAddress> socketAddresses(Address address, Proxy proxy, Call call,
      EventListener listener) throws IOException {
    String host;
    int port;
    if (proxy.type() == Proxy.Type.DIRECT) {
      host = address.host();
      port = address.port();
    } else {
      SocketAddress proxyAddress = proxy.address();
      if (!(proxyAddress instanceof InetSocketAddress)) {
        throw new IOException("Proxy address is not an InetSocketAddress: " + proxyAddress + " (" + proxy + ")");
      }
      InetSocketAddress inet = (InetSocketAddress) proxyAddress;
      if (proxy.type() == Proxy.Type.SOCKS) {
        // The SOCKS proxy resolves the origin itself.
        return List.of(InetSocketAddress.createUnresolved(address.host(), address.port()));
      }
      host = inet.getHostString();
      port = inet.getPort();
    }
    if (port < 1 || port > 65535) {
      throw new IOException("No route to " + host + ":" + port + "; port is out of range");
    }
    InetAddress literal = IpLiterals.toInetAddress(host);
    if (literal != null) {
      return List.of(new InetSocketAddress(literal, port));
    }
    List<InetAddress> resolved = lookup(address, host, call, listener);
    List<InetSocketAddress> result = new ArrayList<>(resolved.size());
    for (InetAddress inetAddress : resolved) {
      result.add(new InetSocketAddress(inetAddress, port));
    }
    return result;
  }

  private static List<InetAddress> lookup(Address address, String host, Call call, EventListener listener)
      throws UnknownHostException {
    listener.dnsStart(call, host);
    List<InetAddress> resolved;
    try {
      resolved = address.dns().lookup(host);
    } catch (UnknownHostException e) {
      String message = e.getMessage();
      if (message != null && message.contains(host)) {
        throw e;
      }
      UnknownHostException named = new UnknownHostException("Unable to resolve host \"" + host + "\""
          + (message != null ? ": " + message : ""));
      named.initCause(e);
      throw named;
    }
    if (resolved == null || resolved.isEmpty()) {
      throw new UnknownHostException(address.dns() + " returned no addresses for " + host);
    }
    listener.dnsEnd(call, host, resolved);
    return resolved;
  }

  @Override
  public String toString() {
    return "DefaultRouteSelector";
  }
}
