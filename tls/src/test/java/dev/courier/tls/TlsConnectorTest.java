package dev.courier.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Authenticator;
import dev.courier.CertificatePinner;
import dev.courier.Dns;
import dev.courier.Protocol;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import dev.courier.tls.internal.DeferredSslSocketFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.SocketFactory;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsConnectorTest {
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("TlsConnector Test CA");
  private static final IssuedCertificate LOCALHOST = CA.issue("localhost", "127.0.0.1");
  private static final IssuedCertificate SNI_HOST = CA.issue("sni.courier.test");

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
    return jdkServer(LOCALHOST, configure);
  }

  private JdkTlsServer jdkServer(IssuedCertificate certificate, Consumer<SSLSocket> configure) throws IOException {
    JdkTlsServer result = new JdkTlsServer(CA.serverContext(certificate), configure);
    jdkServers.add(result);
    return result;
  }

  private void startHttpsServer(List<String> protocols) throws IOException {
    server.useHttps(CA.serverContext(LOCALHOST));
    server.protocols(protocols);
    server.start();
  }

  private Socket rawSocket(int port) throws IOException {
    Socket socket = new Socket();
    sockets.add(socket);
    socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
    return socket;
  }

  private static Address address(String host, int port, SSLSocketFactory factory, CertificatePinner pinner) {
    return new Address(host, port, Dns.SYSTEM, SocketFactory.getDefault(), factory,
        StrictHostnameVerifier.INSTANCE, pinner, Authenticator.NONE, null, ProxySelector.of(null),
        List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
  }

  private static Address address(String host, int port) {
    return address(host, port, CA.clientSocketFactory(), CertificatePinner.DEFAULT);
  }

  @Test
  void handshakeExposesVersionCipherAndPeerCertificates() throws IOException {
    startHttpsServer(List.of("http/1.1"));
    TlsResult result = TlsConnector.connect(rawSocket(server.port()), address("localhost", server.port()),
        List.of(Protocol.HTTP_1_1), 5_000);

    assertThat(result.handshake().tlsVersion()).isEqualTo("TLSv1.3");
    assertThat(result.handshake().cipherSuite()).startsWith("TLS_");
    assertThat(result.handshake().peerCertificates()).first().isEqualTo(LOCALHOST.certificate());
    assertThat(result.handshake().peerPrincipal().getName()).isEqualTo("CN=localhost");
    assertThat(result.negotiated()).isEqualTo(Protocol.HTTP_1_1);
  }

  @Test
  void connectedSocketCarriesHttp() throws IOException {
    server.enqueue(ScriptedResponse.builder().body("secure hello").build());
    startHttpsServer(List.of("http/1.1"));
    TlsResult result = TlsConnector.connect(rawSocket(server.port()), address("localhost", server.port()),
        List.of(Protocol.HTTP_1_1), 5_000);

    OutputStream out = result.socket().getOutputStream();
    out.write(("GET /greeting HTTP/1.1\r\nHost: localhost:" + server.port()
        + "\r\nConnection: close\r\n\r\n").getBytes(US_ASCII));
    out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(result.socket().getInputStream(), US_ASCII));
    assertThat(in.readLine()).startsWith("HTTP/1.1 200");
  }

  @Test
  void onlyTls13AndTls12AreEnabledEvenIfTheFactoryEnablesOlderVersions() throws IOException {
    startHttpsServer(List.of("http/1.1"));
    SSLSocketFactory legacyEnabling = new DelegatingSslSocketFactory(CA.clientSocketFactory(),
        socket -> socket.setEnabledProtocols(new String[] {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}));
    TlsResult result = TlsConnector.connect(rawSocket(server.port()),
        address("localhost", server.port(), legacyEnabling, CertificatePinner.DEFAULT), List.of(Protocol.HTTP_1_1), 5_000);

    assertThat(result.socket().getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
  }

  @Test
  void serverSpeakingOnlyTls11IsRefused() throws IOException {
    JdkTlsServer legacy = jdkServer(socket -> socket.setEnabledProtocols(new String[] {"TLSv1.1"}));
    Socket raw = rawSocket(legacy.port());

    assertThatThrownBy(() -> TlsConnector.connect(raw, address("localhost", legacy.port()),
        List.of(Protocol.HTTP_1_1), 5_000))
        .isInstanceOf(SSLHandshakeException.class);
    assertThat(raw.isClosed()).isTrue();
  }

  @Test
  void socketSupportingNeitherTls13NorTls12IsRefusedBeforeTheHandshake() throws IOException {
    startHttpsServer(List.of("http/1.1"));
    LegacyOnlySslSocketFactory legacyOnly = new LegacyOnlySslSocketFactory();
    Socket raw = rawSocket(server.port());

    assertThatThrownBy(() -> TlsConnector.connect(raw,
        address("localhost", server.port(), legacyOnly, CertificatePinner.DEFAULT), List.of(Protocol.HTTP_1_1), 5_000))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("localhost:" + server.port())
        .hasMessageContaining("no TLS version and cipher suite in common")
        .hasMessageContaining("the socket enables [TLSv1, TLSv1.1]");
    assertThat(legacyOnly.lastSocket.isClosed()).isTrue();
  }

  @Test
  void wrongHostIsRefusedNamingTheCertificate() throws IOException {
    startHttpsServer(List.of("http/1.1"));
    Socket raw = rawSocket(server.port());

    assertThatThrownBy(() -> TlsConnector.connect(raw, address("wrong.example.com", server.port()),
        List.of(Protocol.HTTP_1_1), 5_000))
        .isInstanceOf(SSLPeerUnverifiedException.class)
        .hasMessage("Hostname wrong.example.com not verified:"
            + "\n    certificate: " + CertificatePinner.pin(LOCALHOST.certificate())
            + "\n    DN: CN=localhost"
            + "\n    subjectAltNames: [localhost, 127.0.0.1]");
    assertThat(raw.isClosed()).isTrue();
  }

  @Test
  void ipLiteralHostIsVerifiedAgainstIpSubjectAltName() throws IOException {
    startHttpsServer(List.of("http/1.1"));
    TlsResult result = TlsConnector.connect(rawSocket(server.port()), address("127.0.0.1", server.port()),
        List.of(Protocol.HTTP_1_1), 5_000);

    assertThat(result.handshake().peerCertificates()).first().isEqualTo(LOCALHOST.certificate());
  }

  @Test
  void matchingPinPasses() throws IOException {
    startHttpsServer(List.of("http/1.1"));
    CertificatePinner pinner = new CertificatePinner.Builder()
        .add("localhost", CertificatePinner.pin(LOCALHOST.certificate()))
        .build();

    TlsResult result = TlsConnector.connect(rawSocket(server.port()),
        address("localhost", server.port(), CA.clientSocketFactory(), pinner), List.of(Protocol.HTTP_1_1), 5_000);

    assertThat(result.socket().isClosed()).isFalse();
  }

  @Test
  void mismatchedPinFailsAndClosesTheSocket() throws IOException {
    startHttpsServer(List.of("http/1.1"));
    IssuedCertificate other = CA.issue("other.example.com");
    CertificatePinner pinner = new CertificatePinner.Builder()
        .add("localhost", CertificatePinner.pin(other.certificate()))
        .build();
    Socket raw = rawSocket(server.port());

    assertThatThrownBy(() -> TlsConnector.connect(raw,
        address("localhost", server.port(), CA.clientSocketFactory(), pinner), List.of(Protocol.HTTP_1_1), 5_000))
        .isInstanceOf(SSLPeerUnverifiedException.class)
        .hasMessageStartingWith("Certificate pinning failure for localhost!");
    assertThat(raw.isClosed()).isTrue();
  }

  @Test
  void alpnNegotiatesHttp2WhenBothOffered() throws IOException {
    startHttpsServer(List.of("h2", "http/1.1"));
    TlsResult result = TlsConnector.connect(rawSocket(server.port()), address("localhost", server.port()),
        List.of(Protocol.HTTP_2, Protocol.HTTP_1_1), 5_000);

    assertThat(result.negotiated()).isEqualTo(Protocol.HTTP_2);
    assertThat(result.socket().getApplicationProtocol()).isEqualTo("h2");
  }

  @Test
  void alpnNegotiatesHttp11WhenOnlyItIsOffered() throws IOException {
    startHttpsServer(List.of("h2", "http/1.1"));
    TlsResult result = TlsConnector.connect(rawSocket(server.port()), address("localhost", server.port()),
        List.of(Protocol.HTTP_1_1), 5_000);

    assertThat(result.negotiated()).isEqualTo(Protocol.HTTP_1_1);
  }

  @Test
  void priorKnowledgeIsNeverOfferedInAlpn() throws IOException {
    List<String> offeredByClient = new ArrayList<>();
    JdkTlsServer jdk = jdkServer(socket ->
        socket.setHandshakeApplicationProtocolSelector((engine, offered) -> {
          offeredByClient.addAll(offered);
          return offered.isEmpty() ? null : offered.get(0);
        }));

    TlsResult result = TlsConnector.connect(rawSocket(jdk.port()), address("localhost", jdk.port()),
        List.of(Protocol.H2_PRIOR_KNOWLEDGE, Protocol.HTTP_2, Protocol.HTTP_1_1), 5_000);

    assertThat(offeredByClient).containsExactly("h2", "http/1.1");
    assertThat(result.negotiated()).isEqualTo(Protocol.HTTP_2);
  }

  @Test
  void protocolCourierDoesNotKnowIsOfferedAndNegotiated() throws IOException {
    Protocol custom = Protocol.of("x-courier-test/1", false);
    List<String> offeredByClient = new ArrayList<>();
    JdkTlsServer jdk = jdkServer(socket ->
        socket.setHandshakeApplicationProtocolSelector((engine, offered) -> {
          offeredByClient.addAll(offered);
          return "x-courier-test/1";
        }));

    TlsResult result = TlsConnector.connect(rawSocket(jdk.port()), address("localhost", jdk.port()),
        List.of(custom, Protocol.HTTP_1_1), 5_000);

    assertThat(offeredByClient).containsExactly("x-courier-test/1", "http/1.1");
    assertThat(result.negotiated()).isSameAs(custom);
    assertThat(result.negotiated().isKnown()).isFalse();
  }

  @Test
  void hostNameIsSentAsSni() throws IOException {
    List<SNIServerName> requested = new ArrayList<>();
    JdkTlsServer jdk = jdkServer(SNI_HOST, socket -> socket.setHandshakeApplicationProtocolSelector((s, offered) -> {
      requested.addAll(((ExtendedSSLSession) s.getHandshakeSession()).getRequestedServerNames());
      return "http/1.1";
    }));

    TlsResult result = TlsConnector.connect(rawSocket(jdk.port()), address("sni.courier.test", jdk.port()),
        List.of(Protocol.HTTP_1_1), 5_000);

    assertThat(requested).containsExactly(new SNIHostName("sni.courier.test"));
    assertThat(result.handshake().peerPrincipal().getName()).isEqualTo("CN=sni.courier.test");
  }

  @Test
  void fullyQualifiedHostIsSentAsSniWithoutItsTrailingDot() throws IOException {
    List<SNIServerName> requested = new ArrayList<>();
    JdkTlsServer jdk = jdkServer(SNI_HOST, socket -> socket.setHandshakeApplicationProtocolSelector((s, offered) -> {
      requested.addAll(((ExtendedSSLSession) s.getHandshakeSession()).getRequestedServerNames());
      return "http/1.1";
    }));

    try {
      TlsConnector.connect(rawSocket(jdk.port()), address("sni.courier.test.", jdk.port()),
          List.of(Protocol.HTTP_1_1), 5_000);
    } catch (SSLPeerUnverifiedException e) {
      // Whether the verifier accepts the trailing dot is not what this test is about.
    }

    assertThat(requested).containsExactly(new SNIHostName("sni.courier.test"));
  }

  @Test
  void singleLabelHostIsNotSentAsSniAsTheJdkDoes() throws IOException {
    List<SNIServerName> requested = new ArrayList<>();
    List<Boolean> asked = new ArrayList<>();
    JdkTlsServer jdk = jdkServer(socket -> socket.setHandshakeApplicationProtocolSelector((s, offered) -> {
      asked.add(true);
      requested.addAll(((ExtendedSSLSession) s.getHandshakeSession()).getRequestedServerNames());
      return "http/1.1";
    }));

    TlsResult result = TlsConnector.connect(rawSocket(jdk.port()), address("localhost", jdk.port()),
        List.of(Protocol.HTTP_1_1), 5_000);

    assertThat(asked).containsExactly(true);
    assertThat(requested).isEmpty();
    // The host is still verified against the certificate without SNI.
    assertThat(result.handshake().peerPrincipal().getName()).isEqualTo("CN=localhost");
  }

  @Test
  void sniNameFollowsTheJdksRule() {
    assertThat(TlsConnector.sniHostName("example.com")).isEqualTo("example.com");
    assertThat(TlsConnector.sniHostName("example.com.")).isEqualTo("example.com");
    assertThat(TlsConnector.sniHostName("xn--bcher-kva.example")).isEqualTo("xn--bcher-kva.example");
    assertThat(TlsConnector.sniHostName("localhost")).isNull();
    assertThat(TlsConnector.sniHostName("localhost.")).isNull();
    assertThat(TlsConnector.sniHostName(".example")).isNull();
    assertThat(TlsConnector.sniHostName("example..")).isNull();
    assertThat(TlsConnector.sniHostName("192.168.1.1")).isNull();
    assertThat(TlsConnector.sniHostName("::1")).isNull();
    assertThat(TlsConnector.sniHostName("[::1]")).isNull();
  }

  @Test
  void ipLiteralIsNotSentAsSni() throws IOException {
    List<SNIServerName> requested = new ArrayList<>();
    List<Boolean> asked = new ArrayList<>();
    JdkTlsServer jdk = jdkServer(socket -> socket.setHandshakeApplicationProtocolSelector((s, offered) -> {
      asked.add(true);
      requested.addAll(((ExtendedSSLSession) s.getHandshakeSession()).getRequestedServerNames());
      return "http/1.1";
    }));

    TlsConnector.connect(rawSocket(jdk.port()), address("127.0.0.1", jdk.port()), List.of(Protocol.HTTP_1_1), 5_000);

    assertThat(asked).containsExactly(true);
    assertThat(requested).isEmpty();
  }

  @Test
  void serverChoosingNoProtocolMeansHttp11() throws IOException {
    JdkTlsServer jdk = jdkServer(socket -> {});

    TlsResult result = TlsConnector.connect(rawSocket(jdk.port()), address("localhost", jdk.port()),
        List.of(Protocol.HTTP_2, Protocol.HTTP_1_1), 5_000);

    assertThat(result.negotiated()).isEqualTo(Protocol.HTTP_1_1);
  }

  @Test
  void serverChoosingAProtocolThatWasNotOfferedFails() throws IOException {
    JdkTlsServer jdk = jdkServer(socket -> socket.setHandshakeApplicationProtocolSelector((engine, offered) -> "h2"));
    Socket raw = rawSocket(jdk.port());

    assertThatThrownBy(() -> TlsConnector.connect(raw, address("localhost", jdk.port()),
        List.of(Protocol.HTTP_1_1), 5_000))
        .isInstanceOf(IOException.class);
    assertThat(raw.isClosed()).isTrue();
  }

  @Test
  void silentServerTimesOutTheHandshake() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Socket raw = rawSocket(silent.getLocalPort());
      assertThatThrownBy(() -> TlsConnector.connect(raw, address("localhost", silent.getLocalPort()),
          List.of(Protocol.HTTP_1_1), 100))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessage("TLS handshake with localhost:" + silent.getLocalPort() + " timed out after 100 ms");
      assertThat(raw.isClosed()).isTrue();
    }
  }

  @Test
  void handshakeRunsWithoutASocketTimeoutAndEndsByTheWatchdog() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Socket raw = rawSocket(silent.getLocalPort());
      raw.setSoTimeout(60_000); // Were it used, the handshake would wait a minute.
      assertThatThrownBy(() -> TlsConnector.connect(raw, address("localhost", silent.getLocalPort()),
          List.of(Protocol.HTTP_1_1), 100))
          .isInstanceOf(SocketTimeoutException.class)
          .hasMessageContaining("localhost:" + silent.getLocalPort());
      assertThat(raw.isClosed()).isTrue();
    }
  }

  @Test
  void readTimeoutOfTheSocketIsRestoredAfterTheHandshake() throws IOException {
    startHttpsServer(List.of("http/1.1"));
    Socket raw = rawSocket(server.port());
    raw.setSoTimeout(4_321);

    TlsResult result = TlsConnector.connect(raw, address("localhost", server.port()), List.of(Protocol.HTTP_1_1), 5_000);

    assertThat(result.socket().getSoTimeout()).isEqualTo(4_321);
  }

  @Test
  void cleartextAddressIsRejected() throws IOException {
    startHttpsServer(List.of("http/1.1"));
    Address cleartext = new Address("localhost", server.port(), Dns.SYSTEM, SocketFactory.getDefault(), null,
        null, null, Authenticator.NONE, null, ProxySelector.of(null), List.of(Protocol.HTTP_1_1));
    Socket raw = rawSocket(server.port());

    assertThatThrownBy(() -> TlsConnector.connect(raw, cleartext, List.of(Protocol.HTTP_1_1), 5_000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void defaultContextThatCannotBeCreatedFailsTheConnectNamingTheHostAndClosesTheSocket() throws IOException {
    startHttpsServer(List.of("http/1.1"));
    DeferredSslSocketFactory failing = new DeferredSslSocketFactory(() -> {
      throw new NoSuchAlgorithmException("Default SSLContext not available");
    }, task -> {
      Thread thread = new Thread(task, "Courier TLS context (test)");
      thread.setDaemon(true);
      return thread;
    });
    failing.startCreating();
    Socket raw = rawSocket(server.port());

    assertThatThrownBy(() -> TlsConnector.connect(raw, address("localhost", server.port(), failing,
        CertificatePinner.DEFAULT), List.of(Protocol.HTTP_1_1), 5_000))
        .isInstanceOf(SSLException.class)
        .hasMessageContaining("localhost:" + server.port())
        .hasRootCauseMessage("Default SSLContext not available");
    assertThat(raw.isClosed()).isTrue();
  }

  @Test
  void defaultFactoryIsOneInstanceWhoseContextIsMadeOnAThreadThatEnds() throws Exception {
    SSLSocketFactory factory = TlsDefaults.sslSocketFactory();

    assertThat(TlsDefaults.sslSocketFactory()).isSameAs(factory);
    assertThat(factory.getDefaultCipherSuites()).isNotEmpty();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals(TlsDefaults.CONTEXT_THREAD_NAME)) {
        assertThat(thread.isDaemon()).isTrue();
        thread.join(10_000);
        assertThat(thread.isAlive()).isFalse();
      }
    }
  }
}
