package dev.courier.testing.contract;

import dev.courier.Address;
import dev.courier.Authenticator;
import dev.courier.Dns;
import dev.courier.Protocol;
import dev.courier.Route;
import dev.courier.spi.PooledConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.util.List;
import java.util.Objects;
import javax.net.SocketFactory;

/**
 * Stands in for a pooled connection when testing an {@link dev.courier.spi.EvictionPolicy}: a
 * cleartext HTTP/1.1 connection to {@code host:80} on 127.0.0.1, opened at a given instant, idle
 * since then with one use until changed. Connections to the same host have equal addresses.
 *
 * <p>Mutable and not thread-safe: set it up, then hand it to the policy.
 */
public final class TestPooledConnection implements PooledConnection {
  /** One selector for every address built here, so that addresses to one host are equal. */
  private static final ProxySelector NO_PROXY_SELECTOR = ProxySelector.of(null);

  private final Address address;
  private final Route route;
  private final long createdAtNanos;
  private Protocol protocol = Protocol.HTTP_1_1;
  private long useCount = 1;
  private int exchangesInFlight;
  private long idleAtNanos;

  /** Creates a connection to {@code host}, opened (and idle since) {@code createdAtNanos}. */
  public TestPooledConnection(String host, long createdAtNanos) {
    this.address = new Address(host, 80, Dns.SYSTEM, SocketFactory.getDefault(), null, null, null,
        Authenticator.NONE, null, NO_PROXY_SELECTOR, List.of(Protocol.HTTP_1_1));
    this.route = new Route(address, Proxy.NO_PROXY,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 80));
    this.createdAtNanos = createdAtNanos;
    this.idleAtNanos = createdAtNanos;
  }

  /** Makes the connection idle since {@code nanos}; returns this. */
  public TestPooledConnection idleSince(long nanos) {
    this.exchangesInFlight = 0;
    this.idleAtNanos = nanos;
    return this;
  }

  /**
   * Makes the connection carry {@code exchanges} exchanges now; returns this.
   *
   * @throws IllegalArgumentException if {@code exchanges} is not positive
   */
  public TestPooledConnection busy(int exchanges) {
    if (exchanges <= 0) {
      throw new IllegalArgumentException("exchanges <= 0: " + exchanges);
    }
    this.exchangesInFlight = exchanges;
    return this;
  }

  /** Sets how many exchanges the connection has carried, in flight ones included; returns this. */
  public TestPooledConnection uses(long useCount) {
    this.useCount = useCount;
    return this;
  }

  /** Sets the protocol the connection speaks (default HTTP/1.1); returns this. */
  public TestPooledConnection protocol(Protocol protocol) {
    this.protocol = Objects.requireNonNull(protocol, "protocol == null");
    return this;
  }

  @Override
  public Address address() {
    return address;
  }

  @Override
  public Route route() {
    return route;
  }

  @Override
  public Protocol protocol() {
    return protocol;
  }

  @Override
  public long createdAtNanos() {
    return createdAtNanos;
  }

  @Override
  public long useCount() {
    return useCount;
  }

  @Override
  public int exchangesInFlight() {
    return exchangesInFlight;
  }

  @Override
  public long idleAtNanos() {
    return idleAtNanos;
  }

  @Override
  public String toString() {
    return address.host() + "{created=" + createdAtNanos + ", uses=" + useCount
        + (exchangesInFlight == 0 ? ", idle since " + idleAtNanos : ", in flight=" + exchangesInFlight) + "}";
  }
}
