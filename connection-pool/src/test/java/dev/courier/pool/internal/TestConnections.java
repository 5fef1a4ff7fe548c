package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.Handshake;
import dev.courier.Protocol;
import dev.courier.Route;
import dev.courier.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.UnknownHostException;
import okio.Buffer;

/** Makes connections for pool tests without a network: fake protocol connections over unconnected sockets. */
public final class TestConnections {
  private TestConnections() {}

  /** Returns the route to {@code address} at {@code ip}:{@code address.port()}. */
  public static Route route(Address address, String ip) {
    try {
      return new Route(address, Proxy.NO_PROXY,
          new InetSocketAddress(InetAddress.getByName(ip), address.port()));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Returns a connection to {@code address} via 127.0.0.1 speaking {@code protocol}, not yet pooled. */
  public static RealConnection connection(RealConnectionPool pool, Address address, Protocol protocol) {
    return connection(pool, route(address, "127.0.0.1"), protocol, null);
  }

  /** Returns a connection over {@code route} with {@code handshake} (null for cleartext), not yet pooled. */
  public static RealConnection connection(RealConnectionPool pool, Route route, Protocol protocol,
      Handshake handshake) {
    Buffer buffer = new Buffer();
    Transport transport = new Transport(new Socket(), buffer, new Buffer(), route, handshake, protocol);
    CapacityListener listener = new CapacityListener();
    FakeProtocolConnection protocolConnection = new FakeProtocolConnection(transport, listener);
    RealConnection connection = new RealConnection(pool, route, protocolConnection, pool.nowNanos());
    listener.attach(connection);
    return connection;
  }

  /** Returns the fake protocol connection behind {@code connection}. */
  public static FakeProtocolConnection fake(RealConnection connection) {
    return (FakeProtocolConnection) connection.protocolConnection();
  }
}
