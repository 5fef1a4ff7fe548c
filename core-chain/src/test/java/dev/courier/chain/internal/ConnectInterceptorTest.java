package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Call;
import dev.courier.Callback;
import dev.courier.CertificatePinner;
import dev.courier.Connection;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.H2c;
import dev.courier.chain.support.TestTls;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(10)
class ConnectInterceptorTest {
  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  @Test
  void networkResponseIsTheHeadTheListenerSawWithoutItsBody() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().header("X-Seen", "yes").body("payload").build());

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      Response head = chain.events().events("responseHeadersEnd").get(0).argument(Response.class);
      Response network = response.networkResponse();
      assertThat(network).isSameAs(head);
      assertThat(network.header("X-Seen")).isEqualTo("yes");
      assertThat(network.request().header("Host")).isEqualTo("127.0.0.1:" + server.port());
      assertThat(network.networkResponse()).isNull();
      assertThat(network.body().contentLength()).isZero();
      assertThat(network.body().string()).isEmpty();
      assertThat(response.body().string()).isEqualTo("payload");
      assertThat(network.trailers()).isEqualTo(response.trailers());
    }
  }

  @Test
  void networkResponseIsWhatTheNetworkInterceptorsReturned() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("payload").build());
    CourierClient client = chain.client(b -> b.addNetworkInterceptor(c ->
        c.proceed(c.request()).newBuilder().header("X-Added", "by interceptor").build()));

    try (Response response = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      Response head = chain.events().events("responseHeadersEnd").get(0).argument(Response.class);
      Response network = response.networkResponse();
      assertThat(network).isNotSameAs(head);
      assertThat(network.header("X-Added")).isEqualTo("by interceptor");
      assertThat(head.header("X-Added")).isNull();
      assertThat(network.body().string()).isEmpty();
      assertThat(response.body().string()).isEqualTo("payload");
    }
  }

  @Test
  void connectionIsReusedAcrossCalls() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("one").build());
    server.enqueue(ScriptedResponse.builder().body("two").build());
    CourierClient client = chain.client();

    Call first = client.newCall(new Request.Builder().url(server.url("/1")).build());
    try (Response response = first.execute()) {
      assertThat(response.body().string()).isEqualTo("one");
    }
    Call second = client.newCall(new Request.Builder().url(server.url("/2")).build());
    try (Response response = second.execute()) {
      assertThat(response.body().string()).isEqualTo("two");
    }

    RecordedRequest request1 = server.takeRequest();
    RecordedRequest request2 = server.takeRequest();
    assertThat(request2.connectionIndex()).isEqualTo(request1.connectionIndex());
    assertThat(request2.sequenceNumber()).isEqualTo(1);
    assertThat(chain.events().eventNames(second)).doesNotContain("connectStart", "connectEnd")
        .contains("connectionAcquired", "connectionReleased");
    List<Connection> acquired = chain.events().events("connectionAcquired").stream()
        .map(event -> event.argument(Connection.class)).toList();
    assertThat(acquired.get(1)).isSameAs(acquired.get(0));
  }

  @Test
  void networkInterceptorsSeeTheConnection() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().build());
    AtomicReference<Connection> seen = new AtomicReference<>();
    CourierClient client = chain.client(b -> b.addNetworkInterceptor(c -> {
      seen.set(c.connection());
      return c.proceed(c.request());
    }));

    try (Response response = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.connection()).isSameAs(seen.get());
    }
    assertThat(seen.get().protocol()).isEqualTo(Protocol.HTTP_1_1);
    assertThat(seen.get().route().socketAddress().getPort()).isEqualTo(server.port());
    assertThat(seen.get().handshake()).isNull();
  }

  @Test
  void httpsCallCarriesTheHandshake() throws Exception {
    TestServer server = chain.unstartedServer();
    TestTls.useHttps(server);
    server.hostName("localhost");
    server.start();
    server.enqueue(ScriptedResponse.builder().body("secret").build());
    CourierClient client = chain.client(b -> {
      TestTls.trustTestAuthority(b);
      b.dns(TestTls.LOOPBACK_DNS);
    });
    Call call = client.newCall(new Request.Builder().url(server.url("/")).build());

    try (Response response = call.execute()) {
      assertThat(response.body().string()).isEqualTo("secret");
      assertThat(response.handshake()).isNotNull();
      assertThat(response.handshake().tlsVersion()).isIn("TLSv1.3", "TLSv1.2");
      assertThat(response.handshake().peerCertificates()).isNotEmpty();
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_1_1);
    }
    assertThat(chain.events().eventNames(call))
        .containsSubsequence("connectStart", "secureConnectStart", "secureConnectEnd", "connectEnd");
    // A single label such as localhost is not sent as SNI (the JDK's rule; TlsConnectorTest).
    assertThat(server.takeRequest().sniHostName()).isNull();
  }

  @Test
  void httpsCallNegotiatesHttp2WhenTheServerOffersIt() throws Exception {
    TestServer server = chain.unstartedServer();
    TestTls.useHttps(server);
    server.protocols(List.of("h2", "http/1.1"));
    server.hostName("localhost");
    server.start();
    server.enqueue(ScriptedResponse.builder().body("over h2").build());
    server.enqueue(ScriptedResponse.builder().body("again").build());
    CourierClient client = chain.client(b -> {
      TestTls.trustTestAuthority(b);
      b.dns(TestTls.LOOPBACK_DNS);
    });

    try (Response response = client.newCall(new Request.Builder().url(server.url("/a")).build()).execute()) {
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(response.body().string()).isEqualTo("over h2");
    }
    try (Response response = client.newCall(new Request.Builder().url(server.url("/b")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("again");
    }
    RecordedRequest first = server.takeRequest();
    assertThat(first.version()).isEqualTo("HTTP/2");
    assertThat(first.authority()).isEqualTo("localhost:" + server.port());
    assertThat(server.takeRequest().connectionIndex()).isEqualTo(first.connectionIndex());
  }

  @Test
  void concurrentHttp2CallsShareOneConnection() throws Exception {
    TestServer server = H2c.server(chain);
    server.dispatcher(request -> ScriptedResponse.builder()
        .headersDelay(100, TimeUnit.MILLISECONDS)
        .body("answer to " + request.path())
        .build());
    CourierClient client = chain.client(H2c::priorKnowledge);
    // Open the connection first, so the concurrent calls find it in the pool.
    client.newCall(new Request.Builder().url(server.url("/warm")).build()).execute().close();

    List<CompletableFuture<String>> bodies = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Call call = client.newCall(new Request.Builder().url(server.url("/" + i)).build());
      CompletableFuture<String> body = new CompletableFuture<>();
      call.enqueue(new Callback() {
        @Override
        public void onFailure(Call call, IOException e) {
          body.completeExceptionally(e);
        }

        @Override
        public void onResponse(Call call, Response response) throws IOException {
          try (response) {
            body.complete(response.body().string());
          }
        }
      });
      bodies.add(body);
    }

    for (int i = 0; i < 4; i++) {
      assertThat(bodies.get(i).get(5, TimeUnit.SECONDS)).isEqualTo("answer to /" + i);
    }
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void untrustedCertificateFailsWithoutRetry() throws Exception {
    TestServer server = chain.unstartedServer();
    TestTls.useHttps(server);
    server.hostName("localhost");
    server.start();
    // A second route exists, but a certificate the client does not trust is not worth retrying.
    CourierClient client = chain.client(b -> b.dns(host -> List.of(
        InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}),
        InetAddress.getByAddress(host, new byte[] {127, 0, 0, 2}))));

    assertThatThrownBy(() -> client.newCall(new Request.Builder().url(server.url("/")).build()).execute())
        .isInstanceOf(SSLHandshakeException.class);
    assertThat(chain.events().eventNames()).containsOnlyOnce("connectStart");
  }

  @Test
  void pinningFailureIsNotRetried() throws Exception {
    TestServer server = chain.unstartedServer();
    TestTls.useHttps(server);
    server.hostName("localhost");
    server.start();
    CertificatePinner pinner = new CertificatePinner.Builder()
        .add("localhost", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        .build();
    CourierClient client = chain.client(b -> {
      TestTls.trustTestAuthority(b);
      b.certificatePinner(pinner).dns(host -> List.of(
          InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}),
          InetAddress.getByAddress(host, new byte[] {127, 0, 0, 2})));
    });

    assertThatThrownBy(() -> client.newCall(new Request.Builder().url(server.url("/")).build()).execute())
        .isInstanceOf(SSLPeerUnverifiedException.class)
        .hasMessageContaining("localhost");
    assertThat(chain.events().eventNames()).containsOnlyOnce("connectStart");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void refusedConnectionFailsTheCall() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Call call = chain.client().newCall(new Request.Builder().url("http://127.0.0.1:" + closedPort + "/").build());

    assertThatThrownBy(call::execute).isInstanceOf(IOException.class);
    assertThat(chain.events().eventNames(call))
        .containsSubsequence("connectStart", "connectFailed", "callFailed")
        .doesNotContain("connectionAcquired");
  }

  @Test
  void idleHttp2ConnectionOutlivesTheReadTimeout() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(ScriptedResponse.builder().body("one").build());
    server.enqueue(ScriptedResponse.builder().body("two").build());
    CourierClient client = chain.client(builder -> {
      H2c.priorKnowledge(builder);
      builder.readTimeout(300, TimeUnit.MILLISECONDS);
    });

    try (Response response = client.newCall(new Request.Builder().url(server.url("/1")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("one");
    }
    // Stay idle for longer than the read timeout; elapsed time itself is what is being tested.
    Thread.sleep(1_000);
    try (Response response = client.newCall(new Request.Builder().url(server.url("/2")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("two");
    }
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void pooledHttp1ConnectionHonoursALongerReadTimeoutOfALaterCall() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("quick").build());
    server.enqueue(ScriptedResponse.builder().headersDelay(600, TimeUnit.MILLISECONDS).body("slow").build());
    CourierClient quick = chain.client(builder -> builder.readTimeout(300, TimeUnit.MILLISECONDS));
    CourierClient patient = quick.newBuilder().readTimeout(5, TimeUnit.SECONDS).build();

    try (Response response = quick.newCall(new Request.Builder().url(server.url("/1")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("quick");
    }
    try (Response response = patient.newCall(new Request.Builder().url(server.url("/2")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("slow");
    }
    assertThat(server.connectionCount()).isEqualTo(1);
  }
}
