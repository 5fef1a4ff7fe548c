package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Protocol;
import dev.courier.Route;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ProviderSettings;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.UnknownServiceException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectorTest {
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("Connector Test CA");
  private static final IssuedCertificate LOCALHOST = CA.issue("localhost", "127.0.0.1");

  private final TestServer server = new TestServer();
  private final RealConnectionPool pool =
      new RealConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES), System::nanoTime, false);
  private final RecordingEventListener listener = new RecordingEventListener();
  private final FakeCall call = new FakeCall("http://localhost/");
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private RealConnection connection;

  @AfterEach
  void tearDown() {
    if (connection != null) {
      connection.closeQuietly();
    }
    executor.shutdownNow();
    server.close();
  }

  private Connector connector(FakeProtocolConnectionProvider provider) {
    ConnectSettings settings = new ConnectSettings(new DefaultRouteSelector(),
        ProtocolProviders.of(List.of(provider)), 250, true);
    return new Connector(pool, settings, call, listener);
  }

  private static Route route(Address address, int port) throws IOException {
    return new Route(address, Proxy.NO_PROXY, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
  }

  @Test
  void cleartextConnectSpeaksHttp11AndReportsEvents() throws IOException {
    server.start();
    FakeProtocolConnectionProvider provider = new FakeProtocolConnectionProvider(Protocol.HTTP_1_1);
    Address address = new AddressBuilder("localhost", server.port()).build();

    connection = connector(provider).connect(route(address, server.port()), 5_000, 3_000, 4_000);

    assertThat(connection.protocol()).isEqualTo(Protocol.HTTP_1_1);
    assertThat(connection.handshake()).isNull();
    assertThat(connection.socket().isConnected()).isTrue();
    // Read timeouts are okio's, per exchange; no socket timeout outlives the connect.
    assertThat(connection.socket().getSoTimeout()).isZero();
    assertThat(provider.options()).containsExactly(
        new ConnectionOptions(250, 3_000, 5_000, 4_000, ProviderSettings.of("fake", Map.of())));
    assertThat(listener.names()).containsExactly("connectStart", "connectEnd");
    assertThat(listener.events()).last().isEqualTo("connectEnd http/1.1");
  }

  @Test
  void cleartextUsesPriorKnowledgeOnlyWhenItIsTheOnlyProtocol() throws IOException {
    server.start();
    FakeProtocolConnectionProvider provider =
        new FakeProtocolConnectionProvider(Protocol.HTTP_1_1, Protocol.H2_PRIOR_KNOWLEDGE);
    Address priorKnowledge = new AddressBuilder("localhost", server.port()).protocols(Protocol.H2_PRIOR_KNOWLEDGE).build();
    Address mixed = new AddressBuilder("localhost", server.port())
        .protocols(Protocol.H2_PRIOR_KNOWLEDGE, Protocol.HTTP_1_1).build();

    connection = connector(provider).connect(route(priorKnowledge, server.port()), 5_000, 5_000, 5_000);
    RealConnection other = connector(provider).connect(route(mixed, server.port()), 5_000, 5_000, 5_000);
    other.closeQuietly();

    assertThat(connection.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
    assertThat(other.protocol()).isEqualTo(Protocol.HTTP_1_1);
  }

  @Test
  void tlsConnectReportsSecureConnectEventsAndTheHandshake() throws IOException {
    server.useHttps(CA.serverContext(LOCALHOST));
    server.start();
    FakeProtocolConnectionProvider provider = new FakeProtocolConnectionProvider(Protocol.HTTP_1_1);
    Address address = new AddressBuilder("localhost", server.port()).https(CA.clientSocketFactory()).build();

    connection = connector(provider).connect(route(address, server.port()), 5_000, 5_000, 5_000);

    assertThat(connection.handshake().peerCertificates()).first().isEqualTo(LOCALHOST.certificate());
    assertThat(connection.socket()).isInstanceOf(javax.net.ssl.SSLSocket.class);
    assertThat(listener.events()).containsExactly(
        "connectStart /127.0.0.1:" + server.port(),
        "secureConnectStart",
        "secureConnectEnd TLSv1.3",
        "connectEnd http/1.1");
  }

  @Test
  void alpnOffersOnlyProtocolsAProviderSpeaks() throws IOException {
    server.useHttps(CA.serverContext(LOCALHOST));
    server.protocols(List.of("h2", "http/1.1"));
    server.start();
    FakeProtocolConnectionProvider http1Only = new FakeProtocolConnectionProvider(Protocol.HTTP_1_1);
    Address address = new AddressBuilder("localhost", server.port()).https(CA.clientSocketFactory())
        .protocols(Protocol.HTTP_2, Protocol.HTTP_1_1).build();

    connection = connector(http1Only).connect(route(address, server.port()), 5_000, 5_000, 5_000);

    assertThat(connection.protocol()).isEqualTo(Protocol.HTTP_1_1);
  }

  @Test
  void alpnNegotiatesHttp2WhenAProviderSpeaksIt() throws IOException {
    server.useHttps(CA.serverContext(LOCALHOST));
    server.protocols(List.of("h2", "http/1.1"));
    server.start();
    FakeProtocolConnectionProvider both = new FakeProtocolConnectionProvider(Protocol.HTTP_1_1, Protocol.HTTP_2);
    Address address = new AddressBuilder("localhost", server.port()).https(CA.clientSocketFactory())
        .protocols(Protocol.HTTP_2, Protocol.HTTP_1_1).build();

    connection = connector(both).connect(route(address, server.port()), 5_000, 5_000, 5_000);

    assertThat(connection.protocol()).isEqualTo(Protocol.HTTP_2);
    assertThat(both.created()).first().satisfies(c -> assertThat(c.isMultiplexed()).isTrue());
    assertThat(listener.events()).last().isEqualTo("connectEnd h2");
  }

  @Test
  void missingProviderFailsBeforeConnecting() throws IOException {
    server.start();
    FakeProtocolConnectionProvider h2Only = new FakeProtocolConnectionProvider(Protocol.HTTP_2);
    Address address = new AddressBuilder("localhost", server.port()).build();

    assertThatThrownBy(() -> connector(h2Only).connect(route(address, server.port()), 5_000, 5_000, 5_000))
        .isInstanceOf(UnknownServiceException.class)
        .hasMessageContaining("http/1.1")
        .hasMessageContaining("localhost");
    assertThat(listener.events()).isEmpty();
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void refusedConnectNamesTheHostAndReportsConnectFailed() throws IOException {
    int closedPort;
    try (ServerSocket reserved = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = reserved.getLocalPort();
    }
    Address address = new AddressBuilder("localhost", closedPort).build();
    Connector connector = connector(new FakeProtocolConnectionProvider(Protocol.HTTP_1_1));

    assertThatThrownBy(() -> connector.connect(route(address, closedPort), 5_000, 5_000, 5_000))
        .isInstanceOf(ConnectException.class)
        .hasMessage("Failed to connect to localhost (/127.0.0.1:" + closedPort + ")");
    assertThat(listener.names()).containsExactly("connectStart", "connectFailed");
    assertThat(listener.connectFailures()).singleElement().isInstanceOf(ConnectException.class);
  }

  @Test
  void connectTimeoutClosesTheSocketAndIsNamedInTheFailure() throws IOException {
    BlockingSocketFactory blocking = new BlockingSocketFactory();
    Address address = new AddressBuilder("slow.example", 80).socketFactory(blocking).build();
    Connector connector = connector(new FakeProtocolConnectionProvider(Protocol.HTTP_1_1));

    assertThatThrownBy(() -> connector.connect(route(address, 80), 50, 5_000, 5_000))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("Connect to slow.example (/127.0.0.1:80) timed out after 50 ms");
    // The watchdog ends the connect by closing the socket; a timed connect would leave the
    // socket non-blocking for good.
    assertThat(blocking.lastConnectTimeoutMillis).isZero();
    assertThat(blocking.lastSocketClosed).isTrue();
    assertThat(listener.names()).containsExactly("connectStart", "connectFailed");
  }

  @Test
  void cancelUnblocksATcpConnect() throws Exception {
    BlockingSocketFactory blocking = new BlockingSocketFactory();
    Address address = new AddressBuilder("slow.example", 80).socketFactory(blocking).build();
    Connector connector = connector(new FakeProtocolConnectionProvider(Protocol.HTTP_1_1));
    Future<RealConnection> result = executor.submit(() -> connector.connect(route(address, 80), 0, 0, 0));
    assertThat(blocking.connectEntered.await(10, TimeUnit.SECONDS)).isTrue();

    connector.cancel();

    assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IOException.class)
        .cause().hasMessage("Canceled");
  }

  @Test
  void cancelUnblocksATlsHandshake() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      CountDownLatch handshaking = new CountDownLatch(1);
      RecordingEventListener latchingListener = new RecordingEventListener() {
        @Override
        public void secureConnectStart(dev.courier.Call call) {
          super.secureConnectStart(call);
          handshaking.countDown();
        }
      };
      Address address = new AddressBuilder("localhost", silent.getLocalPort()).https(CA.clientSocketFactory()).build();
      ConnectSettings settings = new ConnectSettings(new DefaultRouteSelector(),
          ProtocolProviders.of(List.of(new FakeProtocolConnectionProvider(Protocol.HTTP_1_1))), 0, true);
      Connector connector = new Connector(pool, settings, call, latchingListener);
      Future<RealConnection> result =
          executor.submit(() -> connector.connect(route(address, silent.getLocalPort()), 5_000, 0, 0));
      assertThat(handshaking.await(10, TimeUnit.SECONDS)).isTrue();

      connector.cancel();

      assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
          .cause().hasMessage("Canceled");
      assertThat(latchingListener.names()).endsWith("connectFailed");
    }
  }
}
