package dev.courier.pool;

import dev.courier.Address;
import dev.courier.Protocol;
import dev.courier.Route;
import dev.courier.pool.internal.AddressBuilder;
import dev.courier.pool.internal.TestConnections;
import dev.courier.spi.IdleConnection;

/** An idle connection as a policy sees it: an address and the instant it became idle. */
final class FakeIdleConnection implements IdleConnection {
  private final Address address;
  private final long idleAtNanos;

  FakeIdleConnection(String host, long idleAtNanos) {
    this.address = new AddressBuilder(host, 80).build();
    this.idleAtNanos = idleAtNanos;
  }

  @Override
  public Address address() {
    return address;
  }

  @Override
  public Route route() {
    return TestConnections.route(address, "127.0.0.1");
  }

  @Override
  public Protocol protocol() {
    return Protocol.HTTP_1_1;
  }

  @Override
  public long idleAtNanos() {
    return idleAtNanos;
  }

  @Override
  public String toString() {
    return address.host() + "@" + idleAtNanos;
  }
}
