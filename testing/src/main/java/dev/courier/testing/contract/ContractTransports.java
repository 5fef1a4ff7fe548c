package dev.courier.testing.contract;

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

/**
 * Opens cleartext loopback {@link Transport}s the way Courier's connect step does, so that a
 * contract suite (or any codec test) can drive the provider SPI without a client or a pool.
 * Stateless; thread-safe.
 */
public final class ContractTransports {
  private ContractTransports() {}

  /**
   * Connects a TCP socket to {@code host:port} within 5 seconds, with {@code TCP_NODELAY}, and
   * returns it as a transport speaking {@code protocol} on a direct route. The caller owns the
   * socket: close it, or the connection made over it.
   *
   * @throws IOException if the connection could not be made; the socket is then closed
   */
  public static Transport connect(String host, int port, Protocol protocol) throws IOException {
    Address address = new Address(host, port, Dns.SYSTEM, SocketFactory.getDefault(), null, null,
        null, Authenticator.NONE, Proxy.NO_PROXY, ProxySelector.getDefault(), List.of(protocol));
    InetSocketAddress socketAddress = new InetSocketAddress(host, port);
    Socket socket = new Socket();
    try {
      socket.connect(socketAddress, 5_000);
      socket.setTcpNoDelay(true);
      return new Transport(socket, Okio.buffer(Okio.source(socket)), Okio.buffer(Okio.sink(socket)),
          new Route(address, Proxy.NO_PROXY, socketAddress), null, protocol);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }
}
