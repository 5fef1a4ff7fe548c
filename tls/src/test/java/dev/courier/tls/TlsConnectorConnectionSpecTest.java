package dev.courier.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.courier.Address;
import dev.courier.Authenticator;
import dev.courier.CertificatePinner;
import dev.courier.ConnectionSpec;
import dev.courier.Dns;
import dev.courier.Protocol;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs TLS handshakes on loopback with connection specs restricting versions and cipher suites. */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsConnectorConnectionSpecTest {
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("ConnectionSpec Test CA");
  private static final IssuedCertificate LOCALHOST = CA.issue("localhost", "127.0.0.1");
  private static final ConnectionSpec TLS_13_ONLY = new ConnectionSpec.Builder(true)
      .tlsVersions(ConnectionSpec.TLS_1_3)
      .build();

  private final TestServer server = new TestServer();
  private final List<Socket> sockets = new ArrayList<>();
  private final List<JdkTlsServer> jdkServers = new ArrayList<>();

  @AfterEach
  void tearDown() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    for (JdkTlsServer jdkServer : jdkServers) {
      jdkServer.close();
    }
    server.close();
  }

  private JdkTlsServer jdkServer(Consumer<SSLSocket> configure) throws IOException {
    JdkTlsServer result = new JdkTlsServer(CA.serverContext(LOCALHOST), configure);
    jdkServers.add(result);
    return result;
  }

  private void startHttpsServer() throws IOException {
    server.useHttps(CA.serverContext(LOCALHOST));
    server.protocols(List.of("http/1.1"));
    server.start();
  }

  private Socket rawSocket(int port) throws IOException {
    Socket socket = new Socket();
    sockets.add(socket);
    socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
    return socket;
  }

  private static Address address(int port, ConnectionSpec... specs) {
    return new Address("localhost", port, Dns.SYSTEM, SocketFactory.getDefault(), CA.clientSocketFactory(),
        StrictHostnameVerifier.INSTANCE, CertificatePinner.DEFAULT, Authenticator.NONE, null,
        ProxySelector.of(null), List.of(Protocol.HTTP_1_1), List.of(specs));
  }

  private static TlsResult connect(Socket raw, Address address) throws IOException {
    return TlsConnector.connect(raw, address, List.of(Protocol.HTTP_1_1), 5_000);
  }

  @Test
  void defaultSpecsOfferTls13And12WithModernSuitesOnly() throws IOException {
    startHttpsServer();
    Address defaults = new Address("localhost", server.port(), Dns.SYSTEM, SocketFactory.getDefault(),
        CA.clientSocketFactory(), StrictHostnameVerifier.INSTANCE, CertificatePinner.DEFAULT,
        Authenticator.NONE, null, ProxySelector.of(null), List.of(Protocol.HTTP_1_1));

    TlsResult result = connect(rawSocket(server.port()), defaults);

    assertThat(defaults.connectionSpecs()).isEqualTo(ConnectionSpec.DEFAULT_CONNECTION_SPECS);
    assertThat(result.socket().getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(result.socket().getEnabledCipherSuites())
        .isNotEmpty()
        .allSatisfy(suite -> assertThat(ConnectionSpec.MODERN_TLS.cipherSuites()).contains(suite))
        .doesNotContain("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256");
    assertThat(result.handshake().tlsVersion()).isEqualTo("TLSv1.3");
  }

  @Test
  void restrictedTls12CipherSuiteIsTheOneNegotiated() throws IOException {
    startHttpsServer();
    ConnectionSpec chacha = new ConnectionSpec.Builder(true)
        .tlsVersions(ConnectionSpec.TLS_1_2)
        .cipherSuites("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")
        .build();

    TlsResult result = connect(rawSocket(server.port()), address(server.port(), chacha));

    assertThat(result.handshake().tlsVersion()).isEqualTo("TLSv1.2");
    assertThat(result.handshake().cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    assertThat(result.socket().getEnabledCipherSuites())
        .containsExactly("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
  }

  @Test
  void restrictedTls13CipherSuiteIsTheOneNegotiated() throws IOException {
    startHttpsServer();
    ConnectionSpec aes256 = TLS_13_ONLY.newBuilder().cipherSuites("TLS_AES_256_GCM_SHA384").build();

    TlsResult result = connect(rawSocket(server.port()), address(server.port(), aes256));

    assertThat(result.handshake().tlsVersion()).isEqualTo("TLSv1.3");
    assertThat(result.handshake().cipherSuite()).isEqualTo("TLS_AES_256_GCM_SHA384");
  }

  @Test
  void serverAcceptingOnlyTls12FailsASpecWithOnlyTls13NamingTheHost() throws IOException {
    JdkTlsServer tls12 = jdkServer(socket -> socket.setEnabledProtocols(new String[] {"TLSv1.2"}));
    Socket raw = rawSocket(tls12.port());

    assertThatThrownBy(() -> connect(raw, address(tls12.port(), TLS_13_ONLY)))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageStartingWith("TLS handshake with localhost:" + tls12.port() + " failed: ")
        .hasMessageContaining("protocol_version")
        .hasMessageContaining("offered [TLSv1.3]")
        .hasCauseInstanceOf(SSLHandshakeException.class);
    assertThat(raw.isClosed()).isTrue();
  }

  @Test
  void serverOfferingNoAcceptableCipherSuiteFailsNamingTheHostAndTheSuitesOffered() throws IOException {
    JdkTlsServer cbcOnly = jdkServer(socket -> {
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});
    });
    Socket raw = rawSocket(cbcOnly.port());

    assertThatThrownBy(() -> connect(raw, address(cbcOnly.port(), ConnectionSpec.MODERN_TLS)))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageStartingWith("TLS handshake with localhost:" + cbcOnly.port() + " failed: ")
        .hasMessageContaining("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    assertThat(raw.isClosed()).isTrue();
  }

  @Test
  void compatibleSpecReachesACbcOnlyServer() throws IOException {
    JdkTlsServer cbcOnly = jdkServer(socket -> {
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});
    });

    TlsResult result = connect(rawSocket(cbcOnly.port()), address(cbcOnly.port(), ConnectionSpec.COMPATIBLE_TLS));

    assertThat(result.handshake().cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256");
    assertThat(result.socket().getEnabledCipherSuites())
        .containsExactly(CA.clientSocketFactory().getDefaultCipherSuites());
  }

  @Test
  void compatibleSpecOffersTls11OnlyIfTheJdkStillEnablesIt() throws Exception {
    boolean jdkEnablesTls11 = List.of(SSLContext.getDefault().getDefaultSSLParameters().getProtocols())
        .contains("TLSv1.1");
    JdkTlsServer tls11 = jdkServer(socket -> socket.setEnabledProtocols(new String[] {"TLSv1.1"}));
    Socket raw = rawSocket(tls11.port());

    if (jdkEnablesTls11) {
      assertThat(connect(raw, address(tls11.port(), ConnectionSpec.COMPATIBLE_TLS)).handshake().tlsVersion())
          .isEqualTo("TLSv1.1");
    } else {
      // Since JDK 16, jdk.tls.disabledAlgorithms turns TLS 1.1 off: the spec cannot turn it on.
      assertThatThrownBy(() -> connect(raw, address(tls11.port(), ConnectionSpec.COMPATIBLE_TLS)))
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageStartingWith("TLS handshake with localhost:" + tls11.port() + " failed: ")
          .hasMessageContaining("offered [TLSv1.3, TLSv1.2]");
    }
  }

  @Test
  void specWithNothingInCommonWithTheSocketFailsBeforeSendingAnything() throws IOException {
    ConnectionSpec tls11Only = new ConnectionSpec.Builder(true).tlsVersions(ConnectionSpec.TLS_1_1).build();
    List<String> jdkEnabled = jdkEnabledProtocols();
    assumeFalse(jdkEnabled.contains("TLSv1.1"), "this JDK still enables TLS 1.1");
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Socket raw = rawSocket(silent.getLocalPort());
      try (Socket accepted = silent.accept()) {
        assertThatThrownBy(() -> connect(raw, address(silent.getLocalPort(), tls11Only)))
            .isInstanceOf(SSLHandshakeException.class)
            .hasMessageStartingWith("Cannot connect to localhost:" + silent.getLocalPort()
                + ": no TLS version and cipher suite in common")
            .hasMessageContaining("the specs ask for [" + tls11Only + "]")
            .hasMessageContaining("the socket enables " + jdkEnabled);
        assertThat(raw.isClosed()).isTrue();
        accepted.setSoTimeout(5_000);
        assertThat(accepted.getInputStream().read()).as("bytes the client sent").isEqualTo(-1);
      }
    }
  }

  @Test
  void cleartextOnlySpecsRefuseTls() throws IOException {
    startHttpsServer();
    Socket raw = rawSocket(server.port());

    assertThatThrownBy(() -> connect(raw, address(server.port(), ConnectionSpec.CLEARTEXT)))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("localhost:" + server.port())
        .hasMessageContaining("hold no TLS spec");
    assertThat(raw.isClosed()).isTrue();
  }

  @Test
  void firstSpecWithSomethingInCommonIsUsed() throws IOException {
    startHttpsServer();
    ConnectionSpec tls11Only = new ConnectionSpec.Builder(true).tlsVersions(ConnectionSpec.TLS_1_1).build();
    assumeFalse(jdkEnabledProtocols().contains("TLSv1.1"), "the first spec is usable on this JDK");

    TlsResult result = connect(rawSocket(server.port()), address(server.port(), tls11Only, TLS_13_ONLY));

    assertThat(result.socket().getEnabledProtocols()).containsExactly("TLSv1.3");
    assertThat(result.handshake().tlsVersion()).isEqualTo("TLSv1.3");
  }

  private static List<String> jdkEnabledProtocols() {
    try {
      return List.of(SSLContext.getDefault().getDefaultSSLParameters().getProtocols());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
