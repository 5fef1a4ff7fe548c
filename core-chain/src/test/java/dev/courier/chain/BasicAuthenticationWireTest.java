package dev.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Authenticator;
import dev.courier.Credentials;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.chain.support.RawHttpPeer;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Answers real servers' challenges with {@link dev.courier.BasicAuthenticator}. */
@Timeout(20)
class BasicAuthenticationWireTest {
  private static final String CREDENTIALS = Credentials.basic("jesse", "password1");

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  private static ScriptedResponse unauthorized(String... challenges) {
    ScriptedResponse.Builder builder = ScriptedResponse.builder().status(401).body("who are you?");
    for (String challenge : challenges) {
      builder.header("WWW-Authenticate", challenge);
    }
    return builder.build();
  }

  @Test
  void answersTheChallengeOnceAndTheServerSeesTheCredentials() throws Exception {
    TestServer server = chain.server();
    server.enqueue(unauthorized("Basic realm=\"protected\", charset=\"UTF-8\""));
    server.enqueue(ScriptedResponse.builder().body("welcome").build());
    CourierClient client = chain.client(b -> b.authenticator(Authenticator.basic("jesse", "password1")));

    try (Response response = client.newCall(new Request.Builder().url(server.url("/private")).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).isEqualTo("welcome");
      assertThat(response.priorResponse().code()).isEqualTo(401);
    }
    assertThat(server.takeRequest().header("Authorization")).isNull();
    assertThat(server.takeRequest().header("Authorization")).isEqualTo(CREDENTIALS);
  }

  @Test
  void serverThatKeepsRefusingSeesTheCredentialsOnceAndTheCallReturnsThe401() throws Exception {
    TestServer server = chain.server();
    server.dispatcher(request -> unauthorized("Basic realm=\"protected\""));
    CourierClient client = chain.client(b -> b.authenticator(Authenticator.basic("jesse", "password1")));

    try (Response response = client.newCall(new Request.Builder().url(server.url("/private")).build()).execute()) {
      assertThat(response.code()).isEqualTo(401);
      assertThat(response.body().string()).isEqualTo("who are you?");
    }
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(server.takeRequest().header("Authorization")).isNull();
    assertThat(server.takeRequest().header("Authorization")).isEqualTo(CREDENTIALS);
  }

  @Test
  void malformedChallengesAreReadLenientlyWithoutFailingTheCall() throws Exception {
    TestServer server = chain.server();
    server.enqueue(unauthorized("Basic realm=\"unterminated", "=garbage, \"quoted\"",
        "Digest realm=\"x\" nonce, Basic realm=\"ok\""));
    server.enqueue(ScriptedResponse.builder().body("welcome").build());
    server.enqueue(unauthorized("Newauth realm=", ",,,", "Bearer realm=\"x\" junk"));
    CourierClient client = chain.client(b -> b.authenticator(Authenticator.basic("jesse", "password1")));

    try (Response response = client.newCall(new Request.Builder().url(server.url("/a")).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }
    // Nothing Basic is left to answer: the 401 comes back as it is, after one request.
    try (Response response = client.newCall(new Request.Builder().url(server.url("/b")).build()).execute()) {
      assertThat(response.code()).isEqualTo(401);
      assertThat(response.challenges()).extracting(c -> c.scheme()).containsExactly("Newauth");
      assertThat(response.challenges().get(0).token68()).isEqualTo("realm=");
    }
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void proxyChallengeIsAnsweredWithProxyAuthorizationOnce() throws Exception {
    TestServer proxy = chain.server();
    proxy.dispatcher(request -> request.header("Proxy-Authorization") == null
        ? ScriptedResponse.builder().status(407).header("Proxy-Authenticate", "Basic realm=\"proxy\"").build()
        : ScriptedResponse.builder().body("via proxy to " + request.target()).build());
    CourierClient client = chain.client(b -> b
        .proxy(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(proxy.hostName(), proxy.port())))
        .proxyAuthenticator(Authenticator.basic("jesse", "password1")));

    try (Response response = client.newCall(new Request.Builder().url("http://origin.example/x").build()).execute()) {
      assertThat(response.body().string()).isEqualTo("via proxy to http://origin.example/x");
    }
    RecordedRequest first = proxy.takeRequest();
    RecordedRequest second = proxy.takeRequest();
    assertThat(first.header("Proxy-Authorization")).isNull();
    assertThat(second.header("Proxy-Authorization")).isEqualTo(CREDENTIALS);
    assertThat(second.header("Authorization")).isNull();
  }

  @Test
  void tunnelProxyThatKeepsRefusingSeesTheCredentialsOncePerConnection() throws Exception {
    List<String> connects = new CopyOnWriteArrayList<>();
    try (RawHttpPeer proxy = RawHttpPeer.start((index, socket, in, out) -> {
      while (true) {
        String head;
        try {
          head = RawHttpPeer.readHead(in);
        } catch (IOException e) {
          return; // The client gave up on this connection.
        }
        String authorization = head.lines().filter(line -> line.startsWith("Proxy-Authorization: "))
            .findFirst().orElse("none");
        connects.add(index + " " + head.lines().findFirst().orElse("") + " " + authorization);
        RawHttpPeer.write(out, "HTTP/1.1 407 Proxy Authentication Required\r\n"
            + "Proxy-Authenticate: Basic realm=\"proxy\"\r\nContent-Length: 0\r\n\r\n");
      }
    })) {
      CourierClient client = chain.client(b -> b
          .proxy(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", proxy.port())))
          .proxyAuthenticator(Authenticator.basic("jesse", "password1")));

      assertThatThrownBy(() -> client.newCall(new Request.Builder().url("https://origin.example/").build()).execute())
          .isInstanceOf(IOException.class)
          .hasMessageContaining("Failed to authenticate with proxy")
          .hasMessageContaining(proxy.peer());
      assertThat(connects).isNotEmpty();
      for (int i = 0; i < proxy.acceptedCount(); i++) {
        String prefix = i + " CONNECT origin.example:443 HTTP/1.1 ";
        assertThat(connects).as("CONNECTs on connection %d", i)
            .filteredOn(c -> c.startsWith(prefix))
            .containsExactly(prefix + "none", prefix + "Proxy-Authorization: " + CREDENTIALS);
      }
    }
  }
}
