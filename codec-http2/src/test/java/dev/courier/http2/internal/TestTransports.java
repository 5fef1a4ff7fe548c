package dev.courier.http2.internal;

import dev.courier.Address;
import dev.courier.Authenticator;
import dev.courier.Dns;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Route;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.SocketFactory;
import okio.Okio;

/** Opens plain loopback transports for HTTP/2 with prior knowledge, as the pool would. */
final class TestTransports {
  private TestTransports() {}

  /** Connects to {@code port} and starts an HTTP/2 connection with a 5 s settings timeout. */
  static Http2Connection start(int port, Http2Config config, int pingIntervalMillis,
      ProtocolConnection.Listener listener) throws IOException {
    return Http2Connection.start(connect(port), new ConnectionOptions(pingIntervalMillis, 5_000),
        listener, config);
  }

  static Http2Connection start(int port) throws IOException {
    return start(port, Http2Config.DEFAULT, 0, ProtocolConnection.Listener.NONE);
  }

  /** Returns a request for {@code path} on the loopback port. */
  static Request get(int port, String path) {
    return new Request.Builder().url("http://127.0.0.1:" + port + path).build();
  }

  /** Polls {@code condition} until it holds, failing after 10 s. */
  static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  static Transport connect(int port) throws IOException {
    Socket socket = openSocket(port);
    return new Transport(socket, Okio.buffer(Okio.source(socket)), Okio.buffer(Okio.sink(socket)),
        route(port), null, Protocol.H2_PRIOR_KNOWLEDGE);
  }

  /** Connects a socket to the loopback {@code port}, with Nagle's algorithm off. */
  static Socket openSocket(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(route(port).socketAddress(), 5_000);
    socket.setTcpNoDelay(true);
    return socket;
  }

  /** Returns the direct route to the loopback {@code port} for HTTP/2 with prior knowledge. */
  static Route route(int port) {
    Address address = new Address("127.0.0.1", port, Dns.SYSTEM, SocketFactory.getDefault(), null,
        null, null, Authenticator.NONE, Proxy.NO_PROXY, ProxySelector.getDefault(),
        List.of(Protocol.H2_PRIOR_KNOWLEDGE));
    return new Route(address, Proxy.NO_PROXY, new InetSocketAddress("127.0.0.1", port));
  }
}
