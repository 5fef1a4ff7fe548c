package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.testing.ExternalProcess;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.NginxProcess;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.tls.PemFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the client against nginx requiring client certificates ({@code ssl_verify_client on}),
 * with trust and key material read by {@link PemFiles} from PEM files this test writes from
 * certificates it makes. Skipped where nginx is not installed, unless COURIER_REQUIRE_INTEROP is set.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NginxMutualTlsInteropTest {
  @TempDir static Path directory;
  static NginxProcess nginx;
  static TestCertificateAuthority authority;
  static int port;

  @BeforeAll
  static void startNginx() throws Exception {
    ExternalProcess.assumeInstalled("nginx");
    authority = TestCertificateAuthority.create("Courier mTLS CA");
    IssuedCertificate server = authority.issue("localhost", "127.0.0.1");
    write("server.pem", server.chainPem());
    write("server.key", server.privateKeyPem());
    write("ca.pem", authority.certificatePem());
    IssuedCertificate client = authority.issue("mtls-client.example");
    write("client.pem", client.chainPem());
    write("client.key", client.privateKeyPem());
    // An RSA client certificate with its key in PKCS#1, as older openssl writes them; nginx trusts
    // it as a second authority of its own.
    KeyPair rsa = rsaKeyPair();
    X509Certificate rsaCertificate = selfSigned("rsa-client.example", rsa);
    write("rsa-client.pem", pem("CERTIFICATE", rsaCertificate.getEncoded()));
    write("rsa-client.key", pem("RSA PRIVATE KEY",
        PrivateKeyInfo.getInstance(rsa.getPrivate().getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded()));
    write("client-cas.pem", authority.certificatePem() + pem("CERTIFICATE", rsaCertificate.getEncoded()));
    TestCertificateAuthority stranger = TestCertificateAuthority.create("Stranger CA");
    IssuedCertificate strangerClient = stranger.issue("stranger-client.example");
    write("stranger.pem", strangerClient.chainPem());
    write("stranger.key", strangerClient.privateKeyPem());

    port = ExternalProcess.freePort();
    nginx = NginxProcess.start(directory, String.join("\n",
        "  server {",
        "    listen 127.0.0.1:" + port + " ssl;",
        "    ssl_certificate " + directory.resolve("server.pem") + ";",
        "    ssl_certificate_key " + directory.resolve("server.key") + ";",
        "    ssl_protocols TLSv1.2 TLSv1.3;",
        "    ssl_verify_client on;",
        "    ssl_client_certificate " + directory.resolve("client-cas.pem") + ";",
        "    location / { return 200 \"client=$ssl_client_s_dn\\n\"; }",
        "  }"), port);
  }

  @AfterAll
  static void stopNginx() {
    if (nginx != null) {
      nginx.close();
    }
  }

  @Test
  void clientCertificateFromPemFilesIsAccepted() throws IOException {
    CourierClient client = client(PemFiles.keyManager(file("client.pem"), file("client.key")));

    try (Response response = call(client)) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).isEqualTo("client=CN=mtls-client.example\n");
    }
  }

  @Test
  void rsaClientCertificateWithPkcs1KeyIsAccepted() throws IOException {
    CourierClient client = client(PemFiles.keyManager(file("rsa-client.pem"), file("rsa-client.key")));

    try (Response response = call(client)) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).isEqualTo("client=CN=rsa-client.example\n");
    }
  }

  @Test
  void certificateFromAnotherAuthorityIsNotPresentedAndNginxRefusesTheCall() throws IOException {
    CourierClient client = client(PemFiles.keyManager(file("stranger.pem"), file("stranger.key")));

    // nginx names the authorities it accepts in its certificate request; the JDK's key manager
    // presents only a certificate issued by one of them, so it sends none here.
    try (Response response = call(client)) {
      assertThat(response.code()).isEqualTo(400);
      assertThat(response.body().string()).contains("No required SSL certificate was sent");
    }
  }

  @Test
  void noCertificateIsRefusedByNginx() throws IOException {
    CourierClient client = client(null);

    try (Response response = call(client)) {
      assertThat(response.code()).isEqualTo(400);
      assertThat(response.body().string()).contains("No required SSL certificate was sent");
    }
  }

  private static CourierClient client(X509KeyManager keyManager) throws IOException {
    X509TrustManager trustManager = PemFiles.trustManager(file("ca.pem"));
    SSLContext tls = PemFiles.sslContext(trustManager, keyManager);
    return CourierClient.builder()
        .protocols(List.of(Protocol.HTTP_1_1))
        .sslSocketFactory(tls.getSocketFactory(), trustManager)
        .build();
  }

  private static Response call(CourierClient client) throws IOException {
    return client.newCall(new Request.Builder().url("https://localhost:" + port + "/").build()).execute();
  }

  private static Path file(String name) {
    return directory.resolve(name);
  }

  private static void write(String name, String content) throws IOException {
    Files.writeString(directory.resolve(name), content, StandardCharsets.US_ASCII);
  }

  private static String pem(String label, byte[] der) {
    Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    return "-----BEGIN " + label + "-----\n" + encoder.encodeToString(der) + "\n-----END " + label + "-----\n";
  }

  private static KeyPair rsaKeyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static X509Certificate selfSigned(String commonName, KeyPair keys) throws Exception {
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=" + commonName);
    org.bouncycastle.cert.X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
        new BigInteger(64, new SecureRandom()).add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign));
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
  }
}
