package dev.courier.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.CertificatePinner;
import dev.courier.Dns;
import dev.courier.Protocol;
import dev.courier.Route;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.ProviderLoader;
import dev.courier.spi.ProviderSettings;
import dev.courier.spi.Transport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.ProxySelector;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownServiceException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Unix domain socket provider: discovery, its own transport, and an HTTP/1.1 connection over it. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnixSocketConnectionProviderTest {
  @TempDir Path directory;
  private final UnixSocketConnectionProvider provider = new UnixSocketConnectionProvider();

  private static Route route(boolean https) {
    Address address = new Address("app.local", https ? 443 : 80, Dns.SYSTEM, SocketFactory.getDefault(),
        https ? (SSLSocketFactory) SSLSocketFactory.getDefault() : null,
        https ? (hostname, session) -> true : null, https ? CertificatePinner.DEFAULT : null,
        dev.courier.Authenticator.NONE, null, ProxySelector.of(null), List.of(Protocol.HTTP_1_1));
    return new Route(address, Proxy.NO_PROXY, InetSocketAddress.createUnresolved("app.local", address.port()));
  }

  private static ConnectionOptions options(String path) {
    return new ConnectionOptions(0, 5_000, 5_000, 5_000, ProviderSettings.of(UnixSocketConnectionProvider.NAME,
        path == null ? Map.of() : Map.of(UnixSocketConnectionProvider.PATH, path)));
  }

  @Test
  void isDiscoveredButUsedOnlyWhenChosen() {
    List<ProtocolConnectionProvider> providers = ProviderLoader.load(ProtocolConnectionProvider.class,
        getClass().getClassLoader());

    assertThat(providers).hasAtLeastOneElementOfType(UnixSocketConnectionProvider.class);
    assertThat(ProviderLoader.choose(ProtocolConnectionProvider.class, providers, null))
        .isInstanceOf(Http1ConnectionProvider.class);
    assertThat(provider.name()).isEqualTo("courier-http1-unix");
    assertThat(provider.priority()).isEqualTo(-1);
    assertThat(provider.protocols()).containsExactly(Protocol.HTTP_1_1);
    assertThat(provider.opensOwnTransport()).isTrue();
    assertThat(provider.usesResolvedRoutes()).isFalse();
  }

  @Test
  void opensItsOwnTransportAndSpeaksHttp11OverIt() throws Exception {
    Path path = directory.resolve("app.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(path));
      Transport transport = provider.openTransport(route(false), Protocol.HTTP_1_1, options(path.toString()));
      ProtocolConnection connection = provider.create(transport, options(path.toString()),
          ProtocolConnection.Listener.NONE);
      try (SocketChannel peer = server.accept()) {
        assertThat(transport.socket()).isNull();
        assertThat(transport.handshake()).isNull();
        assertThat(transport.protocol()).isEqualTo(Protocol.HTTP_1_1);
        assertThat(connection).isInstanceOf(Http1Connection.class);
        assertThat(connection.isHealthy(true)).isTrue();

        // A byte nobody asked for makes the idle connection unhealthy.
        peer.write(ByteBuffer.wrap(new byte[] {'!'}));
        assertThat(connection.isHealthy(true)).isFalse();
      } finally {
        connection.close();
      }
      assertThat(transport.link().isOpen()).isFalse();
    }
  }

  @Test
  void idleConnectionClosedByThePeerIsUnhealthy() throws Exception {
    Path path = directory.resolve("app.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(path));
      Transport transport = provider.openTransport(route(false), Protocol.HTTP_1_1, options(path.toString()));
      ProtocolConnection connection = provider.create(transport, options(path.toString()),
          ProtocolConnection.Listener.NONE);
      try {
        server.accept().close();
        assertThat(connection.isHealthy(false)).isFalse();
      } finally {
        connection.close();
      }
    }
  }

  @Test
  void readTimeoutFromTheOptionsEndsAStalledReadNamingTheSocketFile() throws Exception {
    assertStalledPeerTimesOut(100, 5_000, transport -> transport.source().readByte(), "read from");
  }

  @Test
  void writeTimeoutFromTheOptionsEndsAStalledWriteNamingTheSocketFile() throws Exception {
    // The peer never reads, so the write blocks once the socket buffers are full.
    assertStalledPeerTimesOut(5_000, 100, transport -> transport.sink().write(new byte[64 * 1024 * 1024]).flush(),
        "write to");
  }

  /** Opens a transport with the given timeouts to a peer that never answers, and lets {@code io} time out. */
  private void assertStalledPeerTimesOut(int readTimeoutMillis, int writeTimeoutMillis,
      ThrowingConsumer<Transport> io, String operation) throws IOException {
    Path path = directory.resolve("app.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(path));
      ConnectionOptions options = new ConnectionOptions(0, readTimeoutMillis, 5_000, writeTimeoutMillis,
          ProviderSettings.of(UnixSocketConnectionProvider.NAME, Map.of(UnixSocketConnectionProvider.PATH,
              path.toString())));
      Transport transport = provider.openTransport(route(false), Protocol.HTTP_1_1, options);
      try (SocketChannel peer = server.accept()) {
        assertThatThrownBy(() -> io.acceptThrows(transport))
            .isInstanceOf(SocketTimeoutException.class)
            .hasMessage(operation + " unix:" + path + " timed out");
        assertThat(transport.link().isOpen()).isFalse();
      } finally {
        transport.link().close();
      }
    }
  }

  @Test
  void missingSocketFileIsAConnectExceptionNamingIt() {
    String path = directory.resolve("absent.sock").toString();

    assertThatThrownBy(() -> provider.openTransport(route(false), Protocol.HTTP_1_1, options(path)))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("app.local:80")
        .hasMessageContaining("unix:" + path);
  }

  @Test
  void refusesHttpsAndAMissingPathSetting() {
    assertThatThrownBy(() -> provider.openTransport(route(true), Protocol.HTTP_1_1, options("/tmp/x.sock")))
        .isInstanceOf(UnknownServiceException.class)
        .hasMessageContaining("cleartext")
        .hasMessageContaining("app.local:443");
    assertThatThrownBy(() -> provider.openTransport(route(false), Protocol.HTTP_1_1, options(null)))
        .isInstanceOf(UnknownServiceException.class)
        .hasMessageContaining("needs the setting 'path'");
    assertThatThrownBy(() -> provider.openTransport(route(false), Protocol.HTTP_1_1, options("bad\0path")))
        .isInstanceOf(UnknownServiceException.class)
        .hasMessageContaining("not a valid path");
  }
}
