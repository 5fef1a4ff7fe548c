package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Authenticator;
import dev.courier.Protocol;
import dev.courier.Response;
import dev.courier.Route;
import dev.courier.http1.Http1ConnectionProvider;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tests CONNECT tunnels through {@link TestProxy}, driven by the {@link Connector}. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProxyTunnelTest {
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("ProxyTunnel Test CA");
  private static final IssuedCertificate LOCALHOST = CA.issue("localhost");
  private static final String PROXY_AUTH_REQUIRED = "HTTP/1.1 407 Proxy Authentication Required\r\n"
      + "Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 4\r\n\r\ndeny";

  private final TestServer server = new TestServer();
  private final RealConnectionPool pool =
      new RealConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES), System::nanoTime, false);
  private final RecordingEventListener listener = new RecordingEventListener();
  private final List<Response> challenges = new CopyOnWriteArrayList<>();
  private TestProxy proxy;
  private RealConnection connection;

  @BeforeEach
  void setUp() throws IOException {
    server.useHttps(CA.serverContext(LOCALHOST));
    server.start();
    proxy = new TestProxy(server.socketAddress());
  }

  @AfterEach
  void tearDown() throws IOException {
    if (connection != null) {
      connection.closeQuietly();
    }
    proxy.close();
    server.close();
  }

  private Route route(Authenticator authenticator) {
    Address address = new AddressBuilder("localhost", server.port())
        .https(CA.clientSocketFactory())
        .proxy(proxy.proxy())
        .proxyAuthenticator(authenticator)
        .build();
    return new Route(address, proxy.proxy(), proxy.socketAddress());
  }

  private RealConnection connect(Route route) throws IOException {
    ConnectSettings settings = new ConnectSettings(new DefaultRouteSelector(),
        ProtocolProviders.of(List.of(new Http1ConnectionProvider())), 0, true);
    return new Connector(pool, settings, new FakeCall("https://localhost/"), listener)
        .connect(route, 5_000, 5_000, 5_000);
  }

  /** Answers every challenge with credentials, recording the challenge. */
  private Authenticator answering() {
    return (route, response) -> {
      challenges.add(response);
      return response.request().newBuilder().header("Proxy-Authorization", "Basic dXNlcjpwYXNz").build();
    };
  }

  @Test
  void tunnelCarriesTlsAndHttpToTheOrigin() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("through the tunnel").build());
    Route route = route(Authenticator.NONE);
    assertThat(route.requiresTunnel()).isTrue();

    connection = connect(route);

    assertThat(proxy.heads()).containsExactly(List.of(
        "CONNECT localhost:" + server.port() + " HTTP/1.1",
        "Host: localhost:" + server.port(),
        "Proxy-Connection: Keep-Alive",
        "User-Agent: courier"));
    assertThat(connection.handshake().peerCertificates()).first().isEqualTo(LOCALHOST.certificate());
    assertThat(Http1Exchanges.get(connection, "https://localhost:" + server.port() + "/tunnelled"))
        .isEqualTo("200 through the tunnel");
    RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(recorded.path()).isEqualTo("/tunnelled");
  }

  @Test
  void proxyAuthenticationChallengeIsAnsweredOnTheSameConnection() throws IOException {
    proxy.enqueue(TestProxy.Answer.respond(PROXY_AUTH_REQUIRED));
    proxy.enqueue(TestProxy.Answer.tunnel());

    connection = connect(route(answering()));

    assertThat(proxy.connectionCount()).isEqualTo(1);
    assertThat(proxy.heads()).hasSize(2);
    assertThat(proxy.heads().get(0)).noneMatch(line -> line.startsWith("Proxy-Authorization"));
    assertThat(proxy.heads().get(1)).contains("Proxy-Authorization: Basic dXNlcjpwYXNz",
        "Host: localhost:" + server.port());
    assertThat(challenges).singleElement().satisfies(challenge -> {
      assertThat(challenge.code()).isEqualTo(407);
      assertThat(challenge.header("Proxy-Authenticate")).isEqualTo("Basic realm=\"test\"");
    });
    assertThat(connection.handshake()).isNotNull();
  }

  @Test
  void challengeThatClosesTheConnectionIsAnsweredOnANewOne() throws IOException {
    proxy.enqueue(TestProxy.Answer.respondAndClose("HTTP/1.1 407 Proxy Authentication Required\r\n"
        + "Proxy-Authenticate: Basic realm=\"test\"\r\nConnection: close\r\n\r\n"));
    proxy.enqueue(TestProxy.Answer.tunnel());

    connection = connect(route(answering()));

    assertThat(proxy.connectionCount()).isEqualTo(2);
    assertThat(proxy.heads().get(1)).contains("Proxy-Authorization: Basic dXNlcjpwYXNz");
  }

  @Test
  void decliningTheChallengeFails() {
    proxy.enqueue(TestProxy.Answer.respond(PROXY_AUTH_REQUIRED));
    Route route = route(Authenticator.NONE);

    assertThatThrownBy(() -> connect(route))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Failed to authenticate with proxy ")
        .hasMessageContaining(" tunnelling to ");
    assertThat(listener.names()).endsWith("connectFailed");
  }

  @Test
  void otherResponseCodesFail() {
    proxy.enqueue(TestProxy.Answer.respond("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"));
    Route route = route(answering());

    assertThatThrownBy(() -> connect(route))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Unexpected response code for CONNECT: 403 from proxy ")
        .hasMessageContaining(" tunnelling to ");
  }

  @Test
  void endlessChallengesStopAfter21Attempts() {
    proxy.defaultAnswer(TestProxy.Answer.respond(PROXY_AUTH_REQUIRED));
    Route route = route(answering());

    assertThatThrownBy(() -> connect(route))
        .isInstanceOf(ProtocolException.class)
        .hasMessageStartingWith("Too many tunnel connections attempted: 21");
    assertThat(proxy.heads()).hasSize(21);
  }

  @Test
  void malformedProxyResponseFails() {
    proxy.enqueue(TestProxy.Answer.respond("SPDY/3 200 OK\r\n\r\n"));
    Route route = route(Authenticator.NONE);

    assertThatThrownBy(() -> connect(route))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("Unexpected status line from proxy");
  }

  @Test
  void proxyResponseHeaderWithABareCrOrNulFails() {
    proxy.enqueue(TestProxy.Answer.respond("HTTP/1.1 200 OK\r\nX-Note: a\rb\r\n\r\n"));
    proxy.enqueue(TestProxy.Answer.respond("HTTP/1.1 200 OK\r\nX-Note: a\u0000b\r\n\r\n"));
    Route route = route(Authenticator.NONE);

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> connect(route))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("Unexpected header from proxy")
          .hasMessageContaining("X-Note value");
    }
  }

  @Test
  void cleartextThroughAnHttpProxySendsNoConnect() throws IOException {
    Address cleartext = new AddressBuilder("localhost", 80).proxy(proxy.proxy()).build();
    Route route = new Route(cleartext, proxy.proxy(), proxy.socketAddress());
    assertThat(route.requiresTunnel()).isFalse();
    ConnectSettings settings = new ConnectSettings(new DefaultRouteSelector(),
        ProtocolProviders.of(List.of(new FakeProtocolConnectionProvider(Protocol.HTTP_1_1))), 0, true);

    connection = new Connector(pool, settings, new FakeCall("http://localhost/"), listener)
        .connect(route, 5_000, 5_000, 5_000);

    assertThat(connection.socket().getPort()).isEqualTo(proxy.socketAddress().getPort());
    assertThat(proxy.heads()).isEmpty();
  }
}
