package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.Protocol;
import dev.courier.Route;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.List;

/**
 * Opens a connection over a transport a provider opens itself (a Unix domain socket, QUIC over
 * UDP) instead of a TCP socket the pool connects: asks the provider to open it, starts the
 * protocol on it, and reports the same connect events as a TCP connect. Stateless.
 */
final class OwnTransportConnect {
  private OwnTransportConnect() {}

  /**
   * Opens {@code provider}'s own transport over {@code route} and starts {@code protocol} on it.
   *
   * @throws IOException if the provider failed to open the transport or start the protocol (a
   *     runtime failure is wrapped, naming the provider), or the connect was canceled
   */
  static RealConnection connect(Connector connector, ProtocolConnectionProvider provider,
      Protocol protocol, Route route, int connectTimeoutMillis, int readTimeoutMillis,
      int writeTimeoutMillis) throws IOException {
    ConnectionOptions options =
        connector.options(provider, connectTimeoutMillis, readTimeoutMillis, writeTimeoutMillis);
    connector.listener().connectStart(connector.call(), route.socketAddress(), route.proxy());
    Transport transport = null;
    try {
      connector.checkNotCanceled();
      transport = open(provider, route, protocol, options);
      connector.connecting(transport.link());
      connector.checkNotCanceled();
      RealConnection connection = connector.startProtocol(provider, transport, options);
      connector.connecting(null);
      connector.listener().connectEnd(connector.call(), route.socketAddress(), route.proxy(),
          transport.protocol());
      return connection;
    } catch (IOException | RuntimeException e) {
      connector.connecting(null);
      if (transport != null) {
        transport.link().close();
      }
      if (e instanceof RuntimeException runtime) {
        connector.listener().connectFailed(connector.call(), route.socketAddress(), route.proxy(),
            protocol, new IOException(e));
        throw runtime;
      }
      IOException failure = (IOException) e;
      if (connector.isCanceled()) {
        failure = new IOException("Canceled");
        failure.initCause(e);
      }
      connector.listener().connectFailed(connector.call(), route.socketAddress(), route.proxy(),
          protocol, failure);
      throw failure;
    }
  }

  private static Transport open(ProtocolConnectionProvider provider, Route route, Protocol protocol,
      ConnectionOptions options) throws IOException {
    Transport transport;
    try {
      transport = provider.openTransport(route, protocol, options);
    } catch (RuntimeException e) {
      throw new IOException("ProtocolConnectionProvider '" + provider.name() + "' failed to open its "
          + "transport to " + Connector.describe(route) + ": " + e, e);
    }
    if (transport == null) {
      throw new IOException("ProtocolConnectionProvider '" + provider.name()
          + "' opened no transport to " + Connector.describe(route));
    }
    return transport;
  }

  /**
   * Returns the one direct route, to the unresolved host and port, for an address whose
   * connections go over a provider's own transport that {@link
   * ProtocolConnectionProvider#usesResolvedRoutes() does not use resolved routes}; else null, to
   * select routes as usual.
   */
  static List<Route> unresolvedRoutes(Address address, ProtocolProviders providers) {
    ProtocolConnectionProvider own = providers.ownTransportProvider(address);
    if (own == null || own.usesResolvedRoutes()) {
      return null;
    }
    return List.of(new Route(address, Proxy.NO_PROXY,
        InetSocketAddress.createUnresolved(address.host(), address.port())));
  }
}
