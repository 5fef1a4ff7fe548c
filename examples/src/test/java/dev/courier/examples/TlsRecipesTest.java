package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownServiceException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the connection-spec recipes of docs/recipes.md against local TLS servers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsRecipesTest {
  private static final TestCertificateAuthority AUTHORITY = TestCertificateAuthority.create("TLS Recipes CA");
  private static final IssuedCertificate LOCALHOST = AUTHORITY.issue("localhost", "127.0.0.1");
  private static final String CBC_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256";

  private final TestServer server = new TestServer();
  private final CourierClient trusting = CourierClient.builder()
      .sslSocketFactory(AUTHORITY.clientSocketFactory(), AUTHORITY.trustManager())
      .build();
  private HttpsServer oldServer;

  @AfterEach
  void tearDown() {
    server.close();
    if (oldServer != null) {
      oldServer.stop(0);
    }
    trusting.close();
  }

  private void startHttps() throws IOException {
    server.useHttps(AUTHORITY.serverContext(LOCALHOST));
    server.dispatcher(request -> ScriptedResponse.builder().body("secure").build());
    server.start();
  }

  private static String handshakeAndBody(CourierClient client, String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.handshake().tlsVersion() + " " + response.handshake().cipherSuite() + " "
          + response.body().string();
    }
  }

  @Test
  void tlsVersionsAndCipherSuitesAreThoseOfTheSpec() throws IOException {
    startHttps();
    CourierClient strict = new TlsRecipes(trusting).tlsVersionsAndCipherSuites();

    assertThat(handshakeAndBody(strict, server.url("/")))
        .isIn("TLSv1.3 TLS_AES_256_GCM_SHA384 secure", "TLSv1.3 TLS_CHACHA20_POLY1305_SHA256 secure");
  }

  @Test
  void httpsOnlyRefusesCleartextWithoutSendingAnything() throws IOException {
    server.start();
    CourierClient httpsOnly = new TlsRecipes(trusting).httpsOnly();

    assertThatThrownBy(() -> httpsOnly.newCall(new Request.Builder().url(server.url("/")).build()).execute())
        .isInstanceOf(UnknownServiceException.class)
        .hasMessageContaining("CLEARTEXT communication to 127.0.0.1:" + server.port() + " is not allowed");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void httpsOnlyStillCallsHttps() throws IOException {
    startHttps();
    CourierClient httpsOnly = new TlsRecipes(trusting).httpsOnly();

    assertThat(handshakeAndBody(httpsOnly, server.url("/"))).endsWith(" secure");
  }

  @Test
  void compatibleTlsReachesAServerSpeakingOnlyACbcSuiteThatTheDefaultRefuses() throws IOException {
    int port = startOldServer();
    String url = "https://localhost:" + port + "/";

    assertThatThrownBy(() -> handshakeAndBody(trusting, url))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("TLS handshake with localhost:" + port + " failed");
    CourierClient legacy = new TlsRecipes(trusting).compatibleTls();
    assertThat(handshakeAndBody(legacy, url)).isEqualTo("TLSv1.2 " + CBC_SUITE + " old server");
  }

  /** Starts the JDK's HTTPS server speaking only TLS 1.2 with one CBC suite; returns its port. */
  private int startOldServer() throws IOException {
    oldServer = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    oldServer.setHttpsConfigurator(new HttpsConfigurator(AUTHORITY.serverContext(LOCALHOST)) {
      @Override
      public void configure(HttpsParameters parameters) {
        SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
        ssl.setProtocols(new String[] {"TLSv1.2"});
        ssl.setCipherSuites(new String[] {CBC_SUITE});
        parameters.setSSLParameters(ssl);
      }
    });
    oldServer.createContext("/", exchange -> {
      byte[] body = "old server".getBytes(StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    oldServer.start();
    return oldServer.getAddress().getPort();
  }
}
