package dev.courier.http1;

import dev.courier.Address;
import dev.courier.Authenticator;
import dev.courier.Dns;
import dev.courier.Protocol;
import dev.courier.Route;
import dev.courier.spi.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.util.List;
import javax.net.SocketFactory;
import okio.Okio;

/** Opens plain-text loopback transports the way the connect step would, for codec tests. */
final class Transports {
  private Transports() {}

  /** Connects to {@code host:port} directly and wraps the socket as an HTTP/1.1 transport. */
  static Transport connect(String host, int port) throws IOException {
    return connect(host, port, Proxy.NO_PROXY, new InetSocketAddress(host, port));
  }

  /**
   * Connects to {@code socketAddress} as a route to {@code host:port} through {@code proxy}; for
   * an HTTP proxy the socket address is the proxy's.
   */
  static Transport connect(String host, int port, Proxy proxy, InetSocketAddress socketAddress)
      throws IOException {
    Address address = address(host, port);
    Route route = new Route(address, proxy, socketAddress);
    Socket socket = SocketFactory.getDefault().createSocket();
    try {
      socket.connect(socketAddress, 5_000);
      return new Transport(socket, Okio.buffer(Okio.source(socket)), Okio.buffer(Okio.sink(socket)),
          route, null, Protocol.HTTP_1_1);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  static Address address(String host, int port) {
    return new Address(host, port, Dns.SYSTEM, SocketFactory.getDefault(), null, null, null,
        Authenticator.NONE, null, ProxySelector.getDefault(), List.of(Protocol.HTTP_1_1));
  }
}
