package dev.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.ConnectionSpec;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.ConnectCounter;
import dev.courier.chain.support.TestTls;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.net.UnknownServiceException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs calls with connection specs over real TLS and cleartext on loopback. */
@Timeout(20)
class CourierClientConnectionSpecTest {
  private static final ConnectionSpec TLS_12_CHACHA = new ConnectionSpec.Builder(true)
      .tlsVersions(ConnectionSpec.TLS_1_2)
      .cipherSuites("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")
      .build();

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  private TestServer httpsServer() throws IOException {
    TestServer server = chain.unstartedServer();
    TestTls.useHttps(server);
    server.protocols(List.of("http/1.1"));
    server.dispatcher(request -> ScriptedResponse.builder().body("hello").build());
    server.start();
    return server;
  }

  private static String get(CourierClient client, String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.handshake().tlsVersion() + " " + response.handshake().cipherSuite() + " "
          + response.body().string();
    }
  }

  @Test
  void defaultSpecsAreModernTlsAndCleartext() {
    CourierClient client = chain.client();

    assertThat(client.connectionSpecs()).isEqualTo(ConnectionSpec.DEFAULT_CONNECTION_SPECS);
    assertThat(client.newBuilder().build().connectionSpecs()).isEqualTo(ConnectionSpec.DEFAULT_CONNECTION_SPECS);
  }

  @Test
  void restrictedCipherSuiteShowsInTheResponseHandshake() throws IOException {
    TestServer server = httpsServer();
    CourierClient client = chain.client(builder -> {
      TestTls.trustTestAuthority(builder);
      builder.connectionSpecs(List.of(TLS_12_CHACHA));
    });

    assertThat(get(client, server.url("/")))
        .isEqualTo("TLSv1.2 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 hello");
  }

  @Test
  void cleartextCallIsRefusedWhenCleartextIsNotListedAndNothingIsSent() throws IOException {
    TestServer server = chain.server();
    ConnectCounter connects = new ConnectCounter();
    CourierClient client = chain.track(CourierClient.builder()
        .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS))
        .eventListener(connects)
        .build());
    String url = server.url("/");

    assertThatThrownBy(() -> client.newCall(new Request.Builder().url(url).build()).execute())
        .isInstanceOf(UnknownServiceException.class)
        .hasMessageContaining("CLEARTEXT communication to " + "127.0.0.1" + ":" + server.port()
            + " is not allowed")
        .hasMessageContaining("do not include ConnectionSpec.CLEARTEXT");
    assertThat(connects.connectStarts()).isZero();
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void httpsStillWorksWithoutCleartext() throws IOException {
    TestServer server = httpsServer();
    CourierClient client = chain.client(builder -> {
      TestTls.trustTestAuthority(builder);
      builder.connectionSpecs(List.of(ConnectionSpec.MODERN_TLS));
    });

    assertThat(get(client, server.url("/"))).startsWith("TLSv1.3 TLS_").endsWith(" hello");
  }

  @Test
  void clientsSharingAPoolWithDifferentSpecsNeverShareConnections() throws IOException {
    TestServer server = httpsServer();
    ConnectCounter connects = new ConnectCounter();
    CourierClient.Builder builder = CourierClient.builder()
        .protocols(List.of(Protocol.HTTP_1_1))
        .eventListener(connects);
    TestTls.trustTestAuthority(builder);
    CourierClient modern = chain.track(builder.build());
    CourierClient restricted = chain.track(modern.newBuilder().connectionSpecs(List.of(TLS_12_CHACHA)).build());
    String url = server.url("/");

    assertThat(restricted.connectionPool()).isSameAs(modern.connectionPool());
    assertThat(get(modern, url)).startsWith("TLSv1.3 ");
    assertThat(get(restricted, url)).isEqualTo("TLSv1.2 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 hello");
    assertThat(connects.connectStarts()).isEqualTo(2);
    // Each client finds its own connection again.
    assertThat(get(modern, url)).startsWith("TLSv1.3 ");
    assertThat(get(restricted, url)).startsWith("TLSv1.2 ");
    assertThat(connects.connectStarts()).isEqualTo(2);
    assertThat(modern.connectionPool().connectionCount()).isEqualTo(2);
  }

  @Test
  void emptySpecsAreRefused() {
    assertThatThrownBy(() -> CourierClient.builder().connectionSpecs(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectionSpecs is empty");
  }
}
