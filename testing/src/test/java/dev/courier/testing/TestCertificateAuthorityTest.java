package dev.courier.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class TestCertificateAuthorityTest {
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("Courier Test CA");
  private static final IssuedCertificate LOCALHOST = CA.issue("localhost", "127.0.0.1");

  private final TestServer server = new TestServer();

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void jdkClientVerifiesCertificateForLocalhost() throws Exception {
    server.useHttps(CA.serverContext(LOCALHOST));
    server.hostName("localhost");
    server.enqueue(ScriptedResponse.builder().body("secure").build());
    server.start();

    assertThat(server.url("/s")).startsWith("https://localhost:");
    assertThat(httpsGet(server.url("/s"))).isEqualTo("secure");

    assertThat(server.takeRequest().tlsVersion()).isEqualTo("TLSv1.3");
  }

  @Test
  void sniHostNameIsRecorded() throws Exception {
    server.useHttps(CA.serverContext(CA.issue("api.courier.test")));
    server.start();

    // The JDK sends SNI only for dotted names, so use one.
    try (RawConnection connection = RawConnection.openTls(server, CA.clientSocketFactory(), "api.courier.test")) {
      connection.get("/").readResponse();
    }
    assertThat(server.takeRequest().sniHostName()).isEqualTo("api.courier.test");
  }

  @Test
  void jdkClientVerifiesCertificateForIpAddress() throws Exception {
    server.useHttps(CA.serverContext(LOCALHOST));
    server.enqueue(ScriptedResponse.builder().body("by ip").build());
    server.start();

    assertThat(httpsGet(server.url("/"))).isEqualTo("by ip");
    assertThat(server.takeRequest().sniHostName()).isNull();
  }

  @Test
  void keepAliveWorksOverTls() throws Exception {
    server.useHttps(CA.serverContext(LOCALHOST));
    server.enqueue(ScriptedResponse.builder().body("one").build());
    server.enqueue(ScriptedResponse.builder().body("two").build());
    server.start();

    try (RawConnection connection = RawConnection.openTls(server, CA.clientSocketFactory(), "localhost")) {
      assertThat(connection.get("/1").readResponse().body()).isEqualTo("one");
      assertThat(connection.get("/2").readResponse().body()).isEqualTo("two");
    }
    assertThat(server.takeRequest().sequenceNumber()).isZero();
    assertThat(server.takeRequest().sequenceNumber()).isEqualTo(1);
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void certificateForAnotherHostFailsHostnameVerification() throws Exception {
    server.useHttps(CA.serverContext(CA.issue("other.example")));
    server.hostName("localhost");
    server.start();

    assertThatThrownBy(() -> httpsGet(server.url("/"))).isInstanceOf(IOException.class);
  }

  @Test
  void clientTrustingAnotherAuthorityRejectsServer() throws Exception {
    TestCertificateAuthority otherCa = TestCertificateAuthority.create("Other CA");
    server.useHttps(CA.serverContext(LOCALHOST));
    server.start();

    assertThatThrownBy(() -> RawConnection.openTls(server, otherCa.clientSocketFactory(), "localhost"))
        .isInstanceOf(SSLException.class);
  }

  @Test
  void trustManagerAcceptsIssuedChainAndRejectsForeignOne() throws Exception {
    CA.trustManager().checkServerTrusted(LOCALHOST.chain(), "ECDHE_ECDSA");

    IssuedCertificate foreign = TestCertificateAuthority.create("Foreign").issue("localhost");
    assertThatThrownBy(() -> CA.trustManager().checkServerTrusted(foreign.chain(), "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void issuedCertificateCarriesNamesAndIsSignedByAuthority() throws Exception {
    IssuedCertificate issued = CA.issue("*.example.com", "::1", "192.168.0.1");
    X509Certificate certificate = issued.certificate();

    certificate.verify(CA.certificate().getPublicKey());
    certificate.checkValidity();
    List<String> names = new ArrayList<>();
    for (List<?> name : certificate.getSubjectAlternativeNames()) {
      names.add(name.get(0) + "=" + name.get(1));
    }
    assertThat(names).containsExactly("2=*.example.com", "7=0:0:0:0:0:0:0:1", "7=192.168.0.1");
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=*.example.com");
    assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    assertThat(issued.chain()).containsExactly(certificate, CA.certificate());
    assertThat(issued.privateKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void authorityCertificateIsSelfSignedCa() throws Exception {
    X509Certificate certificate = CA.certificate();

    certificate.verify(certificate.getPublicKey());
    assertThat(certificate.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=Courier Test CA");
  }

  @Test
  void pemFormsHaveStandardArmour() {
    assertThat(CA.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
    assertThat(LOCALHOST.chainPem().split("BEGIN CERTIFICATE")).hasSize(3);
    assertThat(LOCALHOST.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
  }

  @Test
  void issueWithoutNamesIsRejected() {
    assertThatThrownBy(CA::issue).isInstanceOf(IllegalArgumentException.class);
  }

  private static String httpsGet(String url) throws IOException {
    HttpsURLConnection connection = (HttpsURLConnection) new URL(url).openConnection();
    connection.setSSLSocketFactory(CA.clientSocketFactory());
    try (InputStream body = connection.getInputStream()) {
      return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      connection.disconnect();
    }
  }
}
