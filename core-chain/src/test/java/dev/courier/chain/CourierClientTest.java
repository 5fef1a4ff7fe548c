package dev.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Authenticator;
import dev.courier.CertificatePinner;
import dev.courier.CookieJar;
import dev.courier.Dns;
import dev.courier.Interceptor;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.TestTls;
import dev.courier.http1.Http1ConnectionProvider;
import dev.courier.http2.Http2ConnectionProvider;
import dev.courier.pool.internal.DefaultRouteSelector;
import dev.courier.spi.RouteSelector;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import dev.courier.tls.StrictHostnameVerifier;
import dev.courier.tls.internal.DeferredSslSocketFactory;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(10)
class CourierClientTest {
  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  @Test
  void defaultsAreDocumented() {
    CourierClient client = chain.track(new CourierClient());

    assertThat(client.connectTimeoutMillis()).isEqualTo(10_000);
    assertThat(client.readTimeoutMillis()).isEqualTo(10_000);
    assertThat(client.writeTimeoutMillis()).isEqualTo(10_000);
    assertThat(client.callTimeoutMillis()).isZero();
    assertThat(client.pingIntervalMillis()).isZero();
    assertThat(client.followRedirects()).isTrue();
    assertThat(client.followSslRedirects()).isFalse();
    assertThat(client.retryOnConnectionFailure()).isTrue();
    assertThat(client.interceptors()).isEmpty();
    assertThat(client.networkInterceptors()).isEmpty();
    assertThat(client.cookieJar()).isSameAs(CookieJar.NO_COOKIES);
    assertThat(client.authenticator()).isSameAs(Authenticator.NONE);
    assertThat(client.proxyAuthenticator()).isSameAs(Authenticator.NONE);
    assertThat(client.dns()).isSameAs(Dns.SYSTEM);
    assertThat(client.proxy()).isNull();
    assertThat(client.proxySelector()).isNotNull();
    assertThat(client.sslSocketFactory()).isNotNull();
    assertThat(client.hostnameVerifier()).isSameAs(StrictHostnameVerifier.INSTANCE);
    assertThat(client.certificatePinner()).isSameAs(CertificatePinner.DEFAULT);
    assertThat(client.cache()).isNull();
    assertThat(client.userAgent()).isEqualTo("Courier/0.1");
    assertThat(client.routeSelector()).isInstanceOf(DefaultRouteSelector.class);
  }

  @Test
  void defaultProtocolsAreThoseTheDiscoveredProvidersSpeakHttp2First() {
    CourierClient client = chain.track(new CourierClient());

    // Both codecs are on the test class path; prior knowledge is never offered by default.
    assertThat(client.protocols()).containsExactly(Protocol.HTTP_2, Protocol.HTTP_1_1);
    assertThat(client.protocolProviders()).extracting(p -> p.name())
        .containsExactly("courier-http2", "courier-http1");
  }

  @Test
  void explicitProvidersBypassDiscovery() {
    CourierClient client = chain.track(CourierClient.builder()
        .protocolProviders(new Http1ConnectionProvider())
        .build());

    assertThat(client.protocols()).containsExactly(Protocol.HTTP_1_1);
  }

  @Test
  void protocolNoProviderSpeaksIsRejected() {
    CourierClient.Builder builder = CourierClient.builder()
        .protocolProviders(new Http1ConnectionProvider())
        .protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("protocols")
        .hasMessageContaining("h2")
        .hasMessageContaining("courier-http1");
  }

  @Test
  void protocolsMustIncludeHttp11UnlessPriorKnowledgeAlone() {
    assertThatThrownBy(() -> CourierClient.builder().protocols(List.of(Protocol.HTTP_2)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("protocols must contain http/1.1");
    assertThatThrownBy(() -> CourierClient.builder()
        .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE, Protocol.HTTP_1_1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("h2_prior_knowledge must not contain other protocols");
    assertThatThrownBy(() -> CourierClient.builder()
        .protocols(List.of(Protocol.HTTP_1_1, Protocol.HTTP_1_0)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http/1.0");
    assertThatThrownBy(() -> CourierClient.builder()
        .protocols(List.of(Protocol.HTTP_1_1, Protocol.HTTP_1_1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicates");

    CourierClient priorKnowledge = chain.track(CourierClient.builder()
        .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build());
    assertThat(priorKnowledge.protocols()).containsExactly(Protocol.H2_PRIOR_KNOWLEDGE);
  }

  @Test
  void noHttp1ProviderIsRejectedByDefault() {
    CourierClient.Builder builder = CourierClient.builder().protocolProviders(new Http2ConnectionProvider());

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("protocols")
        .hasMessageContaining("courier-http2");
  }

  @Test
  void badTimeoutsAreRejectedNamingTheSetting() {
    CourierClient.Builder builder = CourierClient.builder();
    assertThatThrownBy(() -> builder.connectTimeout(-1, TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> builder.readTimeout(Duration.ofNanos(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readTimeout");
    assertThatThrownBy(() -> builder.writeTimeout(Duration.ofDays(365)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writeTimeout");
    assertThatThrownBy(() -> builder.callTimeout(-5, TimeUnit.MILLISECONDS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callTimeout");
    assertThatThrownBy(() -> builder.pingInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pingInterval");
  }

  @Test
  void timeoutsAreSetInEitherForm() {
    CourierClient client = chain.track(CourierClient.builder()
        .connectTimeout(Duration.ofSeconds(3))
        .readTimeout(4, TimeUnit.SECONDS)
        .writeTimeout(Duration.ZERO)
        .callTimeout(1, TimeUnit.MINUTES)
        .pingInterval(Duration.ofSeconds(30))
        .build());

    assertThat(client.connectTimeoutMillis()).isEqualTo(3_000);
    assertThat(client.readTimeoutMillis()).isEqualTo(4_000);
    assertThat(client.writeTimeoutMillis()).isZero();
    assertThat(client.callTimeoutMillis()).isEqualTo(60_000);
    assertThat(client.pingIntervalMillis()).isEqualTo(30_000);
  }

  @Test
  void unknownRouteSelectorNameIsRejected() {
    assertThatThrownBy(() -> CourierClient.builder().routeSelectorName("no-such-selector").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("routeSelectorName")
        .hasMessageContaining("no-such-selector");
  }

  @Test
  void routeSelectorCanBeNamedOrGiven() {
    CourierClient named = chain.track(CourierClient.builder().routeSelectorName("courier-default").build());
    assertThat(named.routeSelector()).isInstanceOf(DefaultRouteSelector.class);

    RouteSelector given = new DefaultRouteSelector();
    CourierClient explicit = chain.track(CourierClient.builder().routeSelector(given).build());
    assertThat(explicit.routeSelector()).isSameAs(given);
  }

  @Test
  void socketFactoryMustNotMakeTlsSockets() {
    assertThatThrownBy(() -> CourierClient.builder()
        .socketFactory(javax.net.ssl.SSLSocketFactory.getDefault()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("socketFactory");
  }

  @Test
  void newBuilderSharesPoolDispatcherAndRouteSelector() {
    Interceptor interceptor = c -> c.proceed(c.request());
    CourierClient original = chain.track(CourierClient.builder()
        .addInterceptor(interceptor)
        .readTimeout(Duration.ofSeconds(1))
        .build());

    CourierClient derived = chain.track(original.newBuilder().followRedirects(false).build());

    assertThat(derived.connectionPool()).isSameAs(original.connectionPool());
    assertThat(derived.dispatcher()).isSameAs(original.dispatcher());
    assertThat(derived.routeSelector()).isSameAs(original.routeSelector());
    assertThat(derived.interceptors()).containsExactly(interceptor);
    assertThat(derived.readTimeoutMillis()).isEqualTo(1_000);
    assertThat(derived.followRedirects()).isFalse();
    assertThat(original.followRedirects()).isTrue();
  }

  @Test
  void builtClientIsNotChangedByItsBuilder() {
    CourierClient.Builder builder = CourierClient.builder();
    CourierClient client = chain.track(builder.build());

    builder.addInterceptor(c -> c.proceed(c.request())).readTimeout(Duration.ofSeconds(1));

    assertThat(client.interceptors()).isEmpty();
    assertThat(client.readTimeoutMillis()).isEqualTo(10_000);
    assertThatThrownBy(() -> client.interceptors().add(c -> null))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void derivedClientsShareConnections() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().build());
    server.enqueue(ScriptedResponse.builder().build());
    CourierClient first = chain.client();
    CourierClient second = chain.track(first.newBuilder().readTimeout(Duration.ofSeconds(2)).build());

    try (Response response = first.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }
    try (Response response = second.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void tlsContextThatCannotBeCreatedFailsTheCallNamingTheHost() throws Exception {
    TestServer server = chain.unstartedServer();
    TestTls.useHttps(server);
    server.start();
    DeferredSslSocketFactory failing = new DeferredSslSocketFactory(() -> {
      throw new NoSuchAlgorithmException("Default SSLContext not available");
    }, task -> {
      Thread thread = new Thread(task, "Courier TLS context (test)");
      thread.setDaemon(true);
      return thread;
    });
    failing.startCreating();
    CourierClient client = chain.client(builder -> builder
        .sslSocketFactory(failing, TestCertificateAuthority.create("Unused CA").trustManager())
        .dns(TestTls.LOOPBACK_DNS));
    String url = server.url("/");

    assertThatThrownBy(() -> client.newCall(new Request.Builder().url(url).build()).execute())
        .isInstanceOf(SSLException.class)
        .hasMessageContaining("default TLS context")
        .hasMessageContaining(":" + server.port())
        .hasRootCauseMessage("Default SSLContext not available");
    assertThat(server.requestCount()).isZero();
  }
}
