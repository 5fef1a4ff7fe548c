package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Dns;
import dev.courier.Route;
import dev.courier.http1.Http1ConnectionProvider;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tests connecting through a SOCKS5 proxy end to end: {@link DefaultRouteSelector} picks the route,
 * the {@link Connector} connects through a {@link LoopbackSocksServer}, and HTTP/1.1 runs against a
 * {@link TestServer} behind it.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ThreadLeakExtension.class)
class SocksProxyTest {
  /** A name no resolver knows (RFC 6761), so only the SOCKS server's mapping can reach it. */
  private static final String ORIGIN = "origin.test";
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("SocksProxy Test CA");
  private static final IssuedCertificate ORIGIN_CERTIFICATE = CA.issue(ORIGIN);
  private static final IssuedCertificate OTHER_CERTIFICATE = CA.issue("other.test");
  /** Fails every lookup, so a test fails if the client resolves the origin instead of the proxy. */
  private static final Dns NO_DNS = host -> {
    throw new UnknownHostException("This test resolves no names: " + host);
  };

  @RegisterExtension
  final ThreadLeakExtension socksThreads = new ThreadLeakExtension("LoopbackSocksServer");

  private final TestServer server = new TestServer();
  private final RealConnectionPool pool =
      new RealConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES), System::nanoTime, false);
  private final RecordingEventListener listener = new RecordingEventListener();
  private LoopbackSocksServer socks;
  private RealConnection connection;

  @AfterEach
  void tearDown() throws IOException {
    if (connection != null) {
      connection.closeQuietly();
    }
    if (socks != null) {
      socks.close();
    }
    server.close();
  }

  private void start() throws IOException {
    server.start();
    socks = new LoopbackSocksServer(server.socketAddress());
  }

  private void startHttps(IssuedCertificate certificate) throws IOException {
    server.useHttps(CA.serverContext(certificate));
    start();
  }

  private Address cleartextAddress() {
    return new AddressBuilder(ORIGIN, server.port()).dns(NO_DNS).proxy(socks.proxy()).build();
  }

  private Address httpsAddress() {
    return new AddressBuilder(ORIGIN, server.port()).dns(NO_DNS).https(CA.clientSocketFactory())
        .proxy(socks.proxy()).build();
  }

  /** Returns the one route the default selector picks for {@code address}. */
  private Route selectRoute(Address address) throws IOException {
    List<Route> routes = new DefaultRouteSelector().select(address, new FakeCall(address.url().toString()), listener);
    assertThat(routes).hasSize(1);
    return routes.get(0);
  }

  private RealConnection connect(Route route) throws IOException {
    ConnectSettings settings = new ConnectSettings(new DefaultRouteSelector(),
        ProtocolProviders.of(List.of(new Http1ConnectionProvider())), 0, true);
    return new Connector(pool, settings, new FakeCall(route.address().url().toString()), listener)
        .connect(route, 5_000, 5_000, 5_000);
  }

  private String url(String scheme, String path) {
    return scheme + "://" + ORIGIN + ":" + server.port() + path;
  }

  @Test
  void httpRequestReachesTheOriginThroughTheProxyWhichResolvesTheName() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("through socks").build());
    start();
    Route route = selectRoute(cleartextAddress());
    assertThat(route.socketAddress().isUnresolved()).isTrue();

    connection = connect(route);

    assertThat(socks.destinations()).containsExactly(
        new LoopbackSocksServer.Destination(3, ORIGIN, server.port()));
    assertThat(Http1Exchanges.get(connection, url("http", "/socks"))).isEqualTo("200 through socks");
    RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(recorded).isNotNull();
    assertThat(recorded.path()).isEqualTo("/socks");
    assertThat(recorded.header("Host")).isEqualTo(ORIGIN + ":" + server.port());
    assertThat(listener.names()).doesNotContain("dnsStart").endsWith("connectStart", "connectEnd");
  }

  @Test
  void connectionThroughTheProxyCarriesSeveralExchanges() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("first").build());
    server.enqueue(ScriptedResponse.builder().body("second").build());
    start();

    connection = connect(selectRoute(cleartextAddress()));

    assertThat(Http1Exchanges.get(connection, url("http", "/1"))).isEqualTo("200 first");
    assertThat(Http1Exchanges.get(connection, url("http", "/2"))).isEqualTo("200 second");
    assertThat(server.connectionCount()).isEqualTo(1);
    assertThat(socks.destinations()).hasSize(1);
  }

  @Test
  void httpsThroughTheProxyVerifiesTheOriginName() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("secure socks").build());
    startHttps(ORIGIN_CERTIFICATE);
    Route route = selectRoute(httpsAddress());
    assertThat(route.requiresTunnel()).isFalse();

    connection = connect(route);

    assertThat(socks.destinations()).containsExactly(
        new LoopbackSocksServer.Destination(3, ORIGIN, server.port()));
    assertThat(connection.handshake()).isNotNull();
    assertThat(connection.handshake().peerCertificates()).first().isEqualTo(ORIGIN_CERTIFICATE.certificate());
    assertThat(listener.names()).contains("secureConnectStart", "secureConnectEnd");
    assertThat(Http1Exchanges.get(connection, url("https", "/secure"))).isEqualTo("200 secure socks");
    RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(recorded).isNotNull();
    assertThat(recorded.path()).isEqualTo("/secure");
    assertThat(recorded.sniHostName()).isEqualTo(ORIGIN);
  }

  @Test
  void httpsThroughTheProxyRejectsACertificateForAnotherName() throws IOException {
    startHttps(OTHER_CERTIFICATE);
    Route route = selectRoute(httpsAddress());

    assertThatThrownBy(() -> connect(route))
        .isInstanceOf(SSLPeerUnverifiedException.class)
        .hasMessageStartingWith("Hostname " + ORIGIN + " not verified")
        .hasMessageContaining("other.test");
    assertThat(listener.names()).endsWith("connectFailed");
  }

  @Test
  void resolvedRouteAddressIsSentAsAnIpv4Address() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("by address").build());
    start();
    Route route = new Route(cleartextAddress(), socks.proxy(),
        new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.port()));

    connection = connect(route);

    assertThat(socks.destinations()).containsExactly(
        new LoopbackSocksServer.Destination(1, "127.0.0.1", server.port()));
    assertThat(Http1Exchanges.get(connection, url("http", "/ip"))).isEqualTo("200 by address");
  }

  @Test
  void proxyThatRefusesTheConnectFailsNamingTheOriginAndTheProxy() throws IOException {
    start();
    socks.refuseWith(LoopbackSocksServer.CONNECTION_REFUSED);
    Route route = selectRoute(cleartextAddress());

    assertThatThrownBy(() -> connect(route))
        .isInstanceOf(SocketException.class)
        .hasMessage("Failed to connect to " + ORIGIN + " (" + route.socketAddress() + ") via " + socks.proxy()
            + ": SOCKS: Connection refused")
        .cause().hasMessage("SOCKS: Connection refused");
    assertThat(socks.destinations()).containsExactly(
        new LoopbackSocksServer.Destination(3, ORIGIN, server.port()));
    assertThat(server.connectionCount()).isZero();
    assertThat(listener.names()).endsWith("connectStart", "connectFailed");
  }

  @Test
  void proxyThatForbidsTheConnectFails() throws IOException {
    start();
    socks.refuseWith(LoopbackSocksServer.NOT_ALLOWED);
    Route route = selectRoute(httpsAddress());

    assertThatThrownBy(() -> connect(route))
        .isInstanceOf(SocketException.class)
        .hasMessageStartingWith("Failed to connect to " + ORIGIN + " (")
        .hasMessageEndingWith(": SOCKS: Connection not allowed by ruleset");
    assertThat(listener.connectFailures()).hasSize(1);
  }
}
