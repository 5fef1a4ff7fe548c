package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Cookie;
import dev.courier.CookieJar;
import dev.courier.HttpUrl;
import dev.courier.MediaType;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.StreamResetException;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.H2c;
import dev.courier.chain.support.RecordedEvent;
import dev.courier.chain.support.TestTls;
import dev.courier.testing.Fault;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class RetryAndFollowUpInterceptorTest {
  private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  private static ScriptedResponse redirect(int code, String location) {
    return ScriptedResponse.builder().status(code).header("Location", location).build();
  }

  private static Request post(String url, RequestBody body) {
    return new Request.Builder().url(url).post(body).build();
  }

  @ParameterizedTest
  @ValueSource(ints = {300, 301, 302, 303})
  void redirectTurnsPostIntoGetAndDropsTheBody(int code) throws Exception {
    TestServer server = chain.server();
    server.enqueue(redirect(code, "/b"));
    server.enqueue(ScriptedResponse.builder().body("landed").build());
    CourierClient client = chain.client();

    try (Response response = client.newCall(post(server.url("/a"), RequestBody.create("payload", TEXT))).execute()) {
      assertThat(response.body().string()).isEqualTo("landed");
      assertThat(response.request().method()).isEqualTo("GET");
      assertThat(response.priorResponse().code()).isEqualTo(code);
    }
    RecordedRequest first = server.takeRequest();
    assertThat(first.method()).isEqualTo("POST");
    assertThat(first.bodyUtf8()).isEqualTo("payload");
    RecordedRequest second = server.takeRequest();
    assertThat(second.method()).isEqualTo("GET");
    assertThat(second.path()).isEqualTo("/b");
    assertThat(second.bodySize()).isZero();
    assertThat(second.header("Content-Type")).isNull();
    assertThat(second.header("Content-Length")).isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {307, 308})
  void temporaryAndPermanentRedirectsKeepMethodAndBody(int code) throws Exception {
    TestServer server = chain.server();
    server.enqueue(redirect(code, "/b"));
    server.enqueue(ScriptedResponse.builder().body("landed").build());
    CourierClient client = chain.client();

    try (Response response = client.newCall(post(server.url("/a"), RequestBody.create("payload", TEXT))).execute()) {
      assertThat(response.body().string()).isEqualTo("landed");
    }
    server.takeRequest();
    RecordedRequest second = server.takeRequest();
    assertThat(second.method()).isEqualTo("POST");
    assertThat(second.path()).isEqualTo("/b");
    assertThat(second.bodyUtf8()).isEqualTo("payload");
    assertThat(second.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
  }

  @Test
  void relativeLocationIsResolvedAgainstTheRequestUrl() throws Exception {
    TestServer server = chain.server();
    server.enqueue(redirect(302, "sibling?q=1"));
    server.enqueue(ScriptedResponse.builder().build());

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/dir/page")).build()).execute()) {
      assertThat(response.request().url().toString()).endsWith("/dir/sibling?q=1");
    }
    server.takeRequest();
    assertThat(server.takeRequest().target()).isEqualTo("/dir/sibling?q=1");
  }

  @Test
  void twentyRedirectsAreFollowed() throws Exception {
    TestServer server = chain.server();
    for (int i = 0; i < 20; i++) {
      server.enqueue(ScriptedResponse.builder().status(302).header("Location", "/" + (i + 1)).body("moved").build());
    }
    server.enqueue(ScriptedResponse.builder().body("finally").build());

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/0")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("finally");
      int priors = 0;
      for (Response prior = response.priorResponse(); prior != null; prior = prior.priorResponse()) {
        assertThat(prior.code()).isEqualTo(302);
        assertThat(prior.body().contentLength()).isZero();
        priors++;
      }
      assertThat(priors).isEqualTo(20);
    }
    assertThat(server.requestCount()).isEqualTo(21);
  }

  @Test
  void twentyOneRedirectsFail() throws Exception {
    TestServer server = chain.server();
    for (int i = 0; i < 21; i++) {
      server.enqueue(redirect(302, "/" + (i + 1)));
    }

    assertThatThrownBy(() -> chain.client().newCall(new Request.Builder().url(server.url("/0")).build()).execute())
        .isInstanceOf(ProtocolException.class)
        .hasMessageStartingWith("Too many follow-up requests: 21, the last to http://");
    assertThat(server.requestCount()).isEqualTo(21);
    List<RecordedEvent> decisions = chain.events().events("followUpDecision");
    assertThat(decisions).hasSize(21);
    RecordedEvent last = decisions.get(20);
    assertThat(last.arguments().get(1)).isNull();
    assertThat((String) last.arguments().get(2)).contains("already followed 20");
  }

  @Test
  void followUpLimitIsConfigurable() throws Exception {
    TestServer server = chain.server();
    for (int i = 0; i < 3; i++) {
      server.enqueue(redirect(302, "/" + (i + 1)));
    }
    server.enqueue(ScriptedResponse.builder().body("end").build());
    CourierClient twoHops = chain.client(b -> b.maxFollowUps(2));

    assertThatThrownBy(() -> twoHops.newCall(new Request.Builder().url(server.url("/0")).build()).execute())
        .isInstanceOf(ProtocolException.class)
        .hasMessageStartingWith("Too many follow-up requests: 3, the last to http://");
    assertThat(server.requestCount()).isEqualTo(3);
    assertThat(twoHops.newBuilder().build().maxFollowUps()).isEqualTo(2);
    assertThatThrownBy(() -> CourierClient.builder().maxFollowUps(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFollowUps");
  }

  @Test
  void redirectAfterConnectionCloseConnectsAgain() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().status(301).header("Location", "/b")
        .header("Connection", "close").closeConnectionAfter().build());
    server.enqueue(ScriptedResponse.builder().body("new connection").build());

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/a")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("new connection");
    }
    assertThat(server.connectionCount()).isEqualTo(2);
  }

  @Test
  void redirectsAreReturnedWhenNotFollowed() throws Exception {
    TestServer server = chain.server();
    server.enqueue(redirect(302, "/b"));
    CourierClient client = chain.client(b -> b.followRedirects(false));

    try (Response response = client.newCall(new Request.Builder().url(server.url("/a")).build()).execute()) {
      assertThat(response.code()).isEqualTo(302);
      assertThat(response.header("Location")).isEqualTo("/b");
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void httpsToHttpRedirectIsRefusedWhenSslRedirectsAreOff() throws Exception {
    TestServer plain = chain.server();
    TestServer secure = chain.unstartedServer();
    TestTls.useHttps(secure);
    secure.hostName("localhost");
    secure.start();
    secure.enqueue(redirect(302, plain.url("/plain")));
    CourierClient client = chain.client(b -> {
      TestTls.trustTestAuthority(b);
      b.dns(TestTls.LOOPBACK_DNS).followSslRedirects(false);
    });

    try (Response response = client.newCall(new Request.Builder().url(secure.url("/secure")).build()).execute()) {
      assertThat(response.code()).isEqualTo(302);
    }
    assertThat(plain.requestCount()).isZero();
  }

  @Test
  void httpsToHttpRedirectIsReturnedByDefault() throws Exception {
    TestServer plain = chain.server();
    plain.enqueue(ScriptedResponse.builder().body("plain").build());
    TestServer secure = chain.unstartedServer();
    TestTls.useHttps(secure);
    secure.hostName("localhost");
    secure.start();
    secure.enqueue(redirect(302, plain.url("/plain")));
    CourierClient client = chain.client(b -> {
      TestTls.trustTestAuthority(b);
      b.dns(TestTls.LOOPBACK_DNS);
    });

    try (Response response = client.newCall(new Request.Builder().url(secure.url("/secure")).build()).execute()) {
      assertThat(response.code()).isEqualTo(302);
      assertThat(response.header("Location")).isEqualTo(plain.url("/plain"));
      assertThat(response.handshake()).isNotNull();
    }
    assertThat(plain.requestCount()).isZero();
    RecordedEvent decision = chain.events().events("followUpDecision").get(0);
    assertThat(decision.arguments().get(1)).isNull();
    assertThat((String) decision.arguments().get(2)).contains("followSslRedirects is off");
  }

  @Test
  void httpsToHttpRedirectIsFollowedWhenAllowed() throws Exception {
    TestServer plain = chain.server();
    plain.enqueue(ScriptedResponse.builder().body("plain").build());
    TestServer secure = chain.unstartedServer();
    TestTls.useHttps(secure);
    secure.hostName("localhost");
    secure.start();
    secure.enqueue(redirect(302, plain.url("/plain")));
    CourierClient client = chain.client(b -> {
      TestTls.trustTestAuthority(b);
      b.dns(TestTls.LOOPBACK_DNS).followSslRedirects(true);
    });

    try (Response response = client.newCall(new Request.Builder().url(secure.url("/secure")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("plain");
      assertThat(response.priorResponse().handshake()).isNotNull();
      assertThat(response.handshake()).isNull();
    }
  }

  @Test
  void crossOriginRedirectDropsCredentialsAndCallerCookies() throws Exception {
    TestServer server = chain.server();
    server.hostName("localhost");
    String otherOriginUrl = "http://127.0.0.1:" + server.port() + "/b";
    server.enqueue(redirect(302, otherOriginUrl));
    server.enqueue(ScriptedResponse.builder().build());
    CourierClient client = chain.client(b -> b.dns(TestTls.LOOPBACK_DNS));

    Request request = new Request.Builder().url(server.url("/a"))
        .header("Authorization", "Bearer x")
        .header("Cookie", "session=secret")
        .header("Proxy-Authorization", "Basic cHJveHk6cGFzcw==")
        .header("X-Trace", "kept")
        .build();
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.request().url().host()).isEqualTo("127.0.0.1");
    }

    RecordedRequest first = server.takeRequest();
    assertThat(first.header("Host")).isEqualTo("localhost:" + server.port());
    assertThat(first.header("Authorization")).isEqualTo("Bearer x");
    assertThat(first.header("Cookie")).isEqualTo("session=secret");
    assertThat(first.header("Proxy-Authorization")).isEqualTo("Basic cHJveHk6cGFzcw==");
    RecordedRequest second = server.takeRequest();
    assertThat(second.header("Host")).isEqualTo("127.0.0.1:" + server.port());
    assertThat(second.header("Authorization")).isNull();
    assertThat(second.header("Cookie")).isNull();
    assertThat(second.header("Proxy-Authorization")).isNull();
    assertThat(second.header("X-Trace")).isEqualTo("kept");
  }

  @Test
  void redirectToAnotherPortIsAnotherOrigin() throws Exception {
    TestServer first = chain.server();
    TestServer second = chain.server();
    first.enqueue(redirect(307, second.url("/b")));
    second.enqueue(ScriptedResponse.builder().body("other port").build());

    Request request = new Request.Builder().url(first.url("/a")).header("Cookie", "session=secret").build();
    try (Response response = chain.client().newCall(request).execute()) {
      assertThat(response.body().string()).isEqualTo("other port");
    }
    assertThat(second.takeRequest().header("Cookie")).isNull();
  }

  @Test
  void sameOriginRedirectKeepsCallerCredentialsAndCookies() throws Exception {
    TestServer server = chain.server();
    server.enqueue(redirect(302, "/b"));
    server.enqueue(ScriptedResponse.builder().build());

    Request request = new Request.Builder().url(server.url("/a"))
        .header("Authorization", "Bearer x")
        .header("Cookie", "session=secret")
        .build();
    chain.client().newCall(request).execute().close();

    server.takeRequest();
    RecordedRequest second = server.takeRequest();
    assertThat(second.header("Authorization")).isEqualTo("Bearer x");
    assertThat(second.header("Cookie")).isEqualTo("session=secret");
  }

  @Test
  void cookieJarDecidesAfreshForTheNewOrigin() throws Exception {
    TestServer server = chain.server();
    server.hostName("localhost");
    server.enqueue(redirect(302, "http://127.0.0.1:" + server.port() + "/b"));
    server.enqueue(ScriptedResponse.builder().build());
    List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    CookieJar jar = new CookieJar() {
      @Override
      public void saveFromResponse(HttpUrl url, List<Cookie> cookies) {}

      @Override
      public List<Cookie> loadForRequest(HttpUrl url) {
        asked.add(url.host());
        return List.of(new Cookie.Builder().name("for").value(url.host().replace('.', '-'))
            .hostOnlyDomain(url.host()).build());
      }
    };
    CourierClient client = chain.client(b -> b.dns(TestTls.LOOPBACK_DNS).cookieJar(jar));

    Request request = new Request.Builder().url(server.url("/a")).header("Cookie", "caller=set").build();
    client.newCall(request).execute().close();

    assertThat(asked).containsExactly("localhost", "127.0.0.1");
    assertThat(server.takeRequest().header("Cookie")).isEqualTo("for=localhost");
    assertThat(server.takeRequest().header("Cookie")).isEqualTo("for=127-0-0-1");
  }

  @Test
  void followUpDecisionsAreReported() throws Exception {
    TestServer server = chain.server();
    server.enqueue(redirect(301, "/b"));
    server.enqueue(ScriptedResponse.builder().status(503).header("Retry-After", "0").build());
    server.enqueue(ScriptedResponse.builder().body("done").build());

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/a")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("done");
    }
    List<RecordedEvent> decisions = chain.events().events("followUpDecision");
    assertThat(decisions).hasSize(2);
    assertThat(decisions.get(0).argument(Response.class).code()).isEqualTo(301);
    assertThat(decisions.get(0).argument(Request.class).url().encodedPath()).isEqualTo("/b");
    assertThat((String) decisions.get(0).arguments().get(2)).startsWith("redirect (301) to http://");
    assertThat(decisions.get(1).argument(Response.class).code()).isEqualTo(503);
    assertThat((String) decisions.get(1).arguments().get(2)).contains("Retry-After: 0");
  }

  @Test
  void authenticatorAnswersA401Challenge() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().status(401).header("WWW-Authenticate", "Basic realm=\"test\"").build());
    server.enqueue(ScriptedResponse.builder().body("welcome").build());
    AtomicInteger challenges = new AtomicInteger();
    CourierClient client = chain.client(b -> b.authenticator((route, response) -> {
      challenges.incrementAndGet();
      assertThat(route).isNotNull();
      return response.request().newBuilder().header("Authorization", "Basic dXNlcjpwYXNz").build();
    }));

    try (Response response = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("welcome");
      assertThat(response.priorResponse().code()).isEqualTo(401);
    }
    assertThat(challenges).hasValue(1);
    assertThat(server.takeRequest().header("Authorization")).isNull();
    assertThat(server.takeRequest().header("Authorization")).isEqualTo("Basic dXNlcjpwYXNz");
  }

  @Test
  void unansweredChallengeReturnsThe401() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().status(401).body("denied").build());

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.code()).isEqualTo(401);
      assertThat(response.body().string()).isEqualTo("denied");
    }
  }

  @Test
  void proxyAuthenticatorAnswersA407Challenge() throws Exception {
    TestServer proxy = chain.server();
    proxy.enqueue(ScriptedResponse.builder().status(407).header("Proxy-Authenticate", "Basic realm=\"proxy\"").build());
    proxy.enqueue(ScriptedResponse.builder().body("proxied").build());
    CourierClient client = chain.client(b -> b
        .proxy(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", proxy.port())))
        .proxyAuthenticator((route, response) -> response.request().newBuilder()
            .header("Proxy-Authorization", "Basic cHJveHk6cGFzcw==").build()));

    try (Response response = client.newCall(new Request.Builder().url("http://origin.test/page").build()).execute()) {
      assertThat(response.body().string()).isEqualTo("proxied");
    }
    RecordedRequest first = proxy.takeRequest();
    assertThat(first.target()).isEqualTo("http://origin.test/page");
    assertThat(first.header("Proxy-Authorization")).isNull();
    assertThat(proxy.takeRequest().header("Proxy-Authorization")).isEqualTo("Basic cHJveHk6cGFzcw==");
  }

  @Test
  void proxyChallengeWithoutAProxyIsAProtocolError() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().status(407).build());

    assertThatThrownBy(() -> chain.client().newCall(new Request.Builder().url(server.url("/")).build()).execute())
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("407");
  }

  @Test
  void requestTimeoutIsRetriedOnce() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().status(408).build());
    server.enqueue(ScriptedResponse.builder().body("second try").build());

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("second try");
      assertThat(response.priorResponse().code()).isEqualTo(408);
    }
  }

  @Test
  void secondRequestTimeoutIsReturned() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().status(408).build());
    server.enqueue(ScriptedResponse.builder().status(408).build());
    server.enqueue(ScriptedResponse.builder().body("never").build());

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.code()).isEqualTo(408);
    }
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void requestTimeoutWithRetryAfterIsNotRetried() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().status(408).header("Retry-After", "1").build());

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.code()).isEqualTo(408);
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void serviceUnavailableWithRetryAfterZeroIsRetriedOnce() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().status(503).header("Retry-After", "0").build());
    server.enqueue(ScriptedResponse.builder().status(503).header("Retry-After", "0").build());
    server.enqueue(ScriptedResponse.builder().body("never").build());

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.code()).isEqualTo(503);
      assertThat(response.priorResponse().code()).isEqualTo(503);
    }
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void serviceUnavailableWithoutRetryAfterIsNotRetried() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().status(503).build());

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.code()).isEqualTo(503);
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void stalePooledConnectionIsRetriedTransparently() throws Exception {
    TestServer server = chain.server();
    // The server hangs up after the first response without saying so, as idle servers do.
    server.enqueue(ScriptedResponse.builder().body("first").closeConnectionAfter().build());
    server.enqueue(ScriptedResponse.builder().body("second").build());
    CourierClient client = chain.client();

    try (Response response = client.newCall(new Request.Builder().url(server.url("/1")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("first");
    }
    try (Response response = client.newCall(new Request.Builder().url(server.url("/2")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("second");
    }
    RecordedRequest first = server.takeRequest();
    RecordedRequest second = server.takeRequest();
    assertThat(second.connectionIndex()).isNotEqualTo(first.connectionIndex());
    assertThat(server.connectionCount()).isEqualTo(2);
  }

  @Test
  void stalePooledConnectionFailsWhenRetriesAreOff() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("first").closeConnectionAfter().build());
    server.enqueue(ScriptedResponse.builder().body("second").build());
    CourierClient client = chain.client(b -> b.retryOnConnectionFailure(false));

    try (Response response = client.newCall(new Request.Builder().url(server.url("/1")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("first");
    }
    assertThatThrownBy(() -> client.newCall(new Request.Builder().url(server.url("/2")).build()).execute())
        .isInstanceOf(IOException.class);
  }

  @Test
  void replayablePostBodyIsNotResentAfterAPooledConnectionFails() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("warm").build());
    server.enqueue(ScriptedResponse.builder().fault(Fault.CLOSE_AFTER_REQUEST).build());
    server.enqueue(ScriptedResponse.builder().body("never").build());
    CourierClient client = chain.client();
    client.newCall(new Request.Builder().url(server.url("/warm")).build()).execute().close();

    assertThatThrownBy(() -> client.newCall(post(server.url("/upload"), RequestBody.create("data", TEXT))).execute())
        .isInstanceOf(IOException.class);
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void replayableBodyWithAnIdempotencyKeyIsResentAfterAPooledConnectionFails() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("warm").build());
    server.enqueue(ScriptedResponse.builder().fault(Fault.CLOSE_AFTER_REQUEST).build());
    server.enqueue(ScriptedResponse.builder().body("accepted").build());
    CourierClient client = chain.client();
    client.newCall(new Request.Builder().url(server.url("/warm")).build()).execute().close();

    Request request = post(server.url("/upload"), RequestBody.create("data", TEXT)).newBuilder()
        .header("Idempotency-Key", "upload-1").build();
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.body().string()).isEqualTo("accepted");
    }
    server.takeRequest();
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("data");
    RecordedRequest resent = server.takeRequest();
    assertThat(resent.bodyUtf8()).isEqualTo("data");
    assertThat(resent.header("Idempotency-Key")).isEqualTo("upload-1");
  }

  @Test
  void oneShotBodyIsNotRetried() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("warm").build());
    server.enqueue(ScriptedResponse.builder().fault(Fault.CLOSE_AFTER_REQUEST).build());
    server.enqueue(ScriptedResponse.builder().body("never").build());
    CourierClient client = chain.client();
    client.newCall(new Request.Builder().url(server.url("/warm")).build()).execute().close();

    // The key makes the POST safe to resend; the spent one-shot body is what forbids it.
    Request request = post(server.url("/upload"), new OneShotBody("data")).newBuilder()
        .header("Idempotency-Key", "upload-1").build();
    assertThatThrownBy(() -> client.newCall(request).execute())
        .isInstanceOf(IOException.class);
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat((String) chain.events().events("retryDecision").get(0).arguments().get(2)).contains("one-shot");
  }

  @Test
  void oneShotBodyIsNotResentOnA307() throws Exception {
    TestServer server = chain.server();
    server.enqueue(redirect(307, "/b"));

    try (Response response = chain.client().newCall(post(server.url("/a"), new OneShotBody("data"))).execute()) {
      assertThat(response.code()).isEqualTo(307);
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void oneShotBodyRequestFollowsA303AsGet() throws Exception {
    TestServer server = chain.server();
    server.enqueue(redirect(303, "/b"));
    server.enqueue(ScriptedResponse.builder().body("see other").build());

    try (Response response = chain.client().newCall(post(server.url("/a"), new OneShotBody("data"))).execute()) {
      assertThat(response.body().string()).isEqualTo("see other");
    }
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("data");
    assertThat(server.takeRequest().method()).isEqualTo("GET");
  }

  @Test
  void refusedStreamIsRetried() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(ScriptedResponse.builder().resetStream(0x7).build());
    server.enqueue(ScriptedResponse.builder().body("accepted").build());
    CourierClient client = chain.client(H2c::priorKnowledge);

    try (Response response = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
      assertThat(response.body().string()).isEqualTo("accepted");
    }
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void otherStreamResetsAreNotRetriedAndSpareTheConnection() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(ScriptedResponse.builder().resetStream(0x2).build());
    server.enqueue(ScriptedResponse.builder().body("still here").build());
    CourierClient client = chain.client(H2c::priorKnowledge);

    assertThatThrownBy(() -> client.newCall(new Request.Builder().url(server.url("/1")).build()).execute())
        .isInstanceOf(StreamResetException.class)
        .satisfies(e -> assertThat(((StreamResetException) e).errorCode()).isEqualTo(0x2));
    try (Response response = client.newCall(new Request.Builder().url(server.url("/2")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("still here");
    }
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void streamResetOnAReusedConnectionIsNotRetried() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(ScriptedResponse.builder().body("first").build());
    server.enqueue(ScriptedResponse.builder().resetStream(0x2).build());
    server.enqueue(ScriptedResponse.builder().body("must not be requested").build());
    CourierClient client = chain.client(H2c::priorKnowledge);

    try (Response response = client.newCall(new Request.Builder().url(server.url("/1")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("first");
    }
    Request post = new Request.Builder().url(server.url("/2"))
        .post(RequestBody.create("replayable", TEXT)).build();
    assertThatThrownBy(() -> client.newCall(post).execute())
        .isInstanceOf(StreamResetException.class);
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void connectionShutDownByGoAwayIsReplacedTransparently() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(ScriptedResponse.builder().body("last on this connection").goAwayAfter(0, 0).build());
    server.enqueue(ScriptedResponse.builder().body("on a new connection").build());
    CourierClient client = chain.client(H2c::priorKnowledge);

    try (Response response = client.newCall(new Request.Builder().url(server.url("/1")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("last on this connection");
    }
    try (Response response = client.newCall(new Request.Builder().url(server.url("/2")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("on a new connection");
    }
    assertThat(server.connectionCount()).isEqualTo(2);
  }

  @Test
  void misdirectedRequestOnACoalescedConnectionIsResentOnAConnectionOfItsOwn() throws Exception {
    TestCertificateAuthority authority = TestCertificateAuthority.create("Coalescing test CA");
    TestServer server = chain.unstartedServer();
    server.useHttps(authority.serverContext(authority.issue("a.test", "b.test")));
    server.protocols(List.of("h2", "http/1.1"));
    // The first connection was made for a.test; this server will not answer for b.test on it.
    server.dispatcher(request -> request.authority().startsWith("b.test") && request.connectionIndex() == 0
        ? ScriptedResponse.builder().status(421).build()
        : ScriptedResponse.builder()
            .body(request.authority().substring(0, 6) + " on connection " + request.connectionIndex())
            .build());
    server.start();
    CourierClient client = chain.client(builder -> builder.dns(TestTls.LOOPBACK_DNS)
        .sslSocketFactory(authority.clientSocketFactory(), authority.trustManager()));

    try (Response response = client.newCall(new Request.Builder()
        .url("https://a.test:" + server.port() + "/").build()).execute()) {
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(response.body().string()).isEqualTo("a.test on connection 0");
    }
    try (Response response = client.newCall(new Request.Builder()
        .url("https://b.test:" + server.port() + "/").build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.priorResponse().code()).isEqualTo(421);
      assertThat(response.body().string()).isEqualTo("b.test on connection 1");
    }
    assertThat(server.requestCount()).isEqualTo(3);
    assertThat(server.connectionCount()).isEqualTo(2);
  }

  @Test
  void misdirectedRequestOnAConnectionOfItsOwnIsReturned() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(ScriptedResponse.builder().status(421).build());
    CourierClient client = chain.client(H2c::priorKnowledge);

    try (Response response = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.code()).isEqualTo(421);
      assertThat(response.priorResponse()).isNull();
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  /** A body that can be written once, such as one streamed from a socket. */
  static final class OneShotBody extends RequestBody {
    private final String content;
    private boolean written;

    OneShotBody(String content) {
      this.content = content;
    }

    @Override
    public MediaType contentType() {
      return TEXT;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      if (written) {
        throw new IllegalStateException("one-shot body written twice");
      }
      written = true;
      sink.writeUtf8(content);
    }

    @Override
    public boolean isOneShot() {
      return true;
    }
  }
}
