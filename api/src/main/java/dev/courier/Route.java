package dev.courier;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.Objects;

/**
 * Describes one concrete way to reach an {@link Address}: a proxy (or none) and the socket address
 * to open a TCP connection to.
 *
 * <p>For {@link Proxy.Type#HTTP} proxies the socket address is the proxy's; for SOCKS proxies it is
 * the unresolved origin, which the proxy resolves. Instances are immutable and thread-safe.
 */
public final class Route {
  private final Address address;
  private final Proxy proxy;
  private final InetSocketAddress socketAddress;

  /** Creates a route to {@code address} through {@code proxy} at {@code socketAddress}. */
  public Route(Address address, Proxy proxy, InetSocketAddress socketAddress) {
    this.address = Objects.requireNonNull(address, "address == null");
    this.proxy = Objects.requireNonNull(proxy, "proxy == null");
    this.socketAddress = Objects.requireNonNull(socketAddress, "socketAddress == null");
  }

  /** Returns the address this route reaches. */
  public Address address() {
    return address;
  }

  /** Returns the proxy; {@link Proxy#NO_PROXY} for a direct connection. */
  public Proxy proxy() {
    return proxy;
  }

  /** Returns the socket address a TCP connection is opened to. */
  public InetSocketAddress socketAddress() {
    return socketAddress;
  }

  /** Returns true if this route tunnels TLS through an HTTP proxy with CONNECT. */
  public boolean requiresTunnel() {
    return proxy.type() == Proxy.Type.HTTP && address.isHttps();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Route
        && ((Route) other).address.equals(address)
        && ((Route) other).proxy.equals(proxy)
        && ((Route) other).socketAddress.equals(socketAddress);
  }

  @Override
  public int hashCode() {
    return (address.hashCode() * 31 + proxy.hashCode()) * 31 + socketAddress.hashCode();
  }

  @Override
  public String toString() {
    return "Route{" + socketAddress + (proxy.type() == Proxy.Type.DIRECT ? "" : " via " + proxy) + "}";
  }
}
