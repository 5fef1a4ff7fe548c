package dev.courier.tls;

import static dev.courier.tls.PemTestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Authenticator;
import dev.courier.CertificatePinner;
import dev.courier.Dns;
import dev.courier.Protocol;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.TestCertificateAuthority;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PemFilesTest {
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("PemFiles Test CA");
  private static final TestCertificateAuthority OTHER_CA = TestCertificateAuthority.create("PemFiles Other CA");
  private static final IssuedCertificate LOCALHOST = CA.issue("localhost", "127.0.0.1");
  private static final IssuedCertificate CLIENT = CA.issue("pem-client.example");
  private static final PemTestFiles.SelfSigned RSA_CLIENT = PemTestFiles.selfSigned("rsa-client.example", "RSA");

  @TempDir Path directory;
  private final List<Socket> sockets = new ArrayList<>();
  private final List<JdkTlsServer> servers = new ArrayList<>();

  @AfterEach
  void tearDown() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    for (JdkTlsServer server : servers) {
      server.close();
    }
  }

  @Test
  void readsEveryCertificateOfAFileInOrder() throws IOException {
    Path file = write(directory, "cas.pem", "Bag Attributes: text openssl leaves around blocks\n"
        + CA.certificatePem() + "\n" + OTHER_CA.certificatePem());

    assertThat(PemFiles.readCertificates(file)).containsExactly(CA.certificate(), OTHER_CA.certificate());
  }

  @Test
  void trustManagerFromAFileOfTwoAuthoritiesTrustsServersOfEither() throws IOException {
    Path file = write(directory, "cas.pem", CA.certificatePem() + OTHER_CA.certificatePem());
    X509TrustManager trustManager = PemFiles.trustManager(file);
    SSLContext client = PemFiles.sslContext(trustManager, null);

    assertThat(trustManager.getAcceptedIssuers()).containsExactlyInAnyOrder(CA.certificate(), OTHER_CA.certificate());
    JdkTlsServer first = server(CA.serverContext(LOCALHOST), null);
    assertThat(handshake(first, client).handshake().peerCertificates()).first().isEqualTo(LOCALHOST.certificate());
    IssuedCertificate otherLocalhost = OTHER_CA.issue("localhost");
    JdkTlsServer second = server(OTHER_CA.serverContext(otherLocalhost), null);
    assertThat(handshake(second, client).handshake().peerCertificates()).first().isEqualTo(otherLocalhost.certificate());
  }

  @Test
  void trustManagerRefusesServersOfAnAuthorityNotInTheFile() throws IOException {
    Path file = write(directory, "ca.pem", OTHER_CA.certificatePem());
    X509TrustManager trustManager = PemFiles.trustManager(file);
    JdkTlsServer server = server(CA.serverContext(LOCALHOST), null);

    assertThatThrownBy(() -> handshake(server, PemFiles.sslContext(trustManager, null)))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageStartingWith("TLS handshake with localhost:" + server.port() + " failed: ")
        .hasMessageNotContaining("offered");
  }

  @Test
  void clientCertificateFromPkcs8EcKeyIsPresented() throws IOException {
    Path chain = write(directory, "client.pem", CLIENT.chainPem());
    Path key = write(directory, "client.key", CLIENT.privateKeyPem());
    BlockingQueue<String> clientPrincipals = new ArrayBlockingQueue<>(1);
    JdkTlsServer server = server(CA.serverContext(LOCALHOST), clientPrincipals);

    X509KeyManager keyManager = PemFiles.keyManager(chain, key);
    handshake(server, PemFiles.sslContext(CA.trustManager(), keyManager));

    assertThat(poll(clientPrincipals)).isEqualTo("CN=pem-client.example");
  }

  @Test
  void clientCertificateWithPkcs1RsaKeyIsPresented() throws IOException {
    Path chain = write(directory, "rsa.pem", PemTestFiles.pem(RSA_CLIENT.certificate()));
    Path key = write(directory, "rsa.key", PemTestFiles.pkcs1(RSA_CLIENT.privateKey()));
    SSLContext serverContext = PemFiles.sslContext(PemFiles.trustManager(List.of(RSA_CLIENT.certificate())),
        PemFiles.keyManager(List.of(LOCALHOST.chain()), LOCALHOST.privateKey()));
    BlockingQueue<String> clientPrincipals = new ArrayBlockingQueue<>(1);
    JdkTlsServer server = server(serverContext, clientPrincipals);

    handshake(server, PemFiles.sslContext(CA.trustManager(), PemFiles.keyManager(chain, key)));

    assertThat(poll(clientPrincipals)).isEqualTo("CN=rsa-client.example");
  }

  @Test
  void readsRsaKeysInPkcs8AndPkcs1AndEcKeysInPkcs8AndSec1() throws IOException {
    PemTestFiles.SelfSigned ec = PemTestFiles.selfSigned("ec.example", "EC");
    PrivateKey rsaKey = RSA_CLIENT.privateKey();

    assertThat(PemFiles.readPrivateKey(write(directory, "rsa8.key", PemTestFiles.pkcs8(rsaKey))))
        .isEqualTo(rsaKey);
    assertThat(PemFiles.readPrivateKey(write(directory, "rsa1.key", PemTestFiles.pkcs1(rsaKey))).getEncoded())
        .isEqualTo(rsaKey.getEncoded());
    assertThat(PemFiles.readPrivateKey(write(directory, "ec8.key", PemTestFiles.pkcs8(ec.privateKey()))))
        .isEqualTo(ec.privateKey());
    PrivateKey fromSec1 = PemFiles.readPrivateKey(write(directory, "ec1.key", PemTestFiles.sec1(ec.privateKey())));
    assertThat(fromSec1.getAlgorithm()).isEqualTo("EC");
    assertThat(((java.security.interfaces.ECPrivateKey) fromSec1).getS())
        .isEqualTo(((java.security.interfaces.ECPrivateKey) ec.privateKey()).getS());
    // A SEC1 key is usable: it signs for its certificate.
    Path chain = write(directory, "ec.pem", PemTestFiles.pem(ec.certificate()));
    assertThat(PemFiles.keyManager(chain, directory.resolve("ec1.key")).getCertificateChain("client"))
        .containsExactly(ec.certificate());
  }

  @Test
  void certificateAndKeyMayShareOneFile() throws IOException {
    Path both = write(directory, "both.pem", CLIENT.chainPem() + CLIENT.privateKeyPem());

    X509KeyManager keyManager = PemFiles.keyManager(both, both);

    assertThat(keyManager.getCertificateChain("client")).containsExactly(CLIENT.chain());
    assertThat(keyManager.getPrivateKey("client")).isEqualTo(CLIENT.privateKey());
  }

  @Test
  void fileWithoutCertificateIsNamedInTheFailure() throws IOException {
    Path keyOnly = write(directory, "key-only.pem", CLIENT.privateKeyPem());
    Path empty = write(directory, "empty.pem", "");

    assertThatThrownBy(() -> PemFiles.trustManager(keyOnly))
        .isInstanceOf(IOException.class)
        .hasMessage(keyOnly + ": no certificate (expected a '-----BEGIN CERTIFICATE-----' block)");
    assertThatThrownBy(() -> PemFiles.keyManager(empty, keyOnly))
        .hasMessageStartingWith(empty + ": no certificate");
  }

  @Test
  void fileWithoutPrivateKeyIsNamedInTheFailure() throws IOException {
    Path chain = write(directory, "client.pem", CLIENT.chainPem());

    assertThatThrownBy(() -> PemFiles.keyManager(chain, chain))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(chain + ": no private key (expected '-----BEGIN PRIVATE KEY-----'");
  }

  @Test
  void keyOfAnotherCertificateIsRefusedNamingBothFiles() throws IOException {
    Path chain = write(directory, "client.pem", CLIENT.chainPem());
    Path otherKey = write(directory, "other.key", CA.issue("other.example").privateKeyPem());

    assertThatThrownBy(() -> PemFiles.keyManager(chain, otherKey))
        .isInstanceOf(IOException.class)
        .hasMessage(otherKey + ": the private key (EC) does not match the certificate CN=pem-client.example in "
            + chain);
    Path rsaKey = write(directory, "rsa.key", PemTestFiles.pkcs8(RSA_CLIENT.privateKey()));
    assertThatThrownBy(() -> PemFiles.keyManager(chain, rsaKey))
        .hasMessage(rsaKey + ": the private key (RSA) does not match the certificate CN=pem-client.example in "
            + chain);
  }

  @Test
  void chainInTheWrongOrderIsExplained() throws IOException {
    PemTestFiles.SelfSigned ec = PemTestFiles.selfSigned("ec.example", "EC");
    Path chain = write(directory, "reversed.pem", CA.certificatePem() + PemTestFiles.pem(ec.certificate()));
    Path key = write(directory, "ec.key", PemTestFiles.pkcs8(ec.privateKey()));

    assertThatThrownBy(() -> PemFiles.keyManager(chain, key))
        .hasMessage(key + ": the private key belongs to certificate 2 (CN=ec.example) of " + chain
            + ", not to the first (CN=PemFiles Test CA); put the client's own certificate first");
  }

  @Test
  void encryptedKeysAreRefusedSayingHowToDecrypt() throws IOException {
    Path pkcs8 = write(directory, "encrypted.key", PemTestFiles.encryptedPkcs8(CLIENT.privateKey()));
    Path legacy = write(directory, "legacy.key", "-----BEGIN RSA PRIVATE KEY-----\n"
        + "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n"
        + "c29tZSBlbmNyeXB0ZWQgYnl0ZXM=\n-----END RSA PRIVATE KEY-----\n");

    assertThatThrownBy(() -> PemFiles.readPrivateKey(pkcs8))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(pkcs8 + ": the private key is encrypted (ENCRYPTED PRIVATE KEY)")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    assertThatThrownBy(() -> PemFiles.readPrivateKey(legacy))
        .hasMessageStartingWith(legacy + ": the private key is encrypted (RSA PRIVATE KEY)");
  }

  @Test
  void malformedBlocksAreNamed() throws IOException {
    Path truncated = write(directory, "truncated.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n");
    Path notBase64 = write(directory, "garbage.pem", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
    Path notCertificate = write(directory, "wrong.pem", PemTestFiles.pem("CERTIFICATE", new byte[] {1, 2, 3}));
    Path unknownKey = write(directory, "dsa.key", PemTestFiles.pem("DSA PRIVATE KEY", new byte[] {1, 2, 3}));
    Path badKey = write(directory, "bad.key", PemTestFiles.pem("PRIVATE KEY", new byte[] {1, 2, 3}));

    assertThatThrownBy(() -> PemFiles.readCertificates(truncated))
        .hasMessage(truncated + ": PEM block 1 (CERTIFICATE) has no '-----END CERTIFICATE-----' line");
    assertThatThrownBy(() -> PemFiles.readCertificates(notBase64))
        .hasMessageStartingWith(notBase64 + ": PEM block 1 (CERTIFICATE) is not valid Base64");
    assertThatThrownBy(() -> PemFiles.readCertificates(notCertificate))
        .hasMessageStartingWith(notCertificate + ": PEM block 1 (CERTIFICATE) is not a valid X.509 certificate");
    assertThatThrownBy(() -> PemFiles.readPrivateKey(unknownKey))
        .hasMessageStartingWith(unknownKey + ": unsupported private key format (DSA PRIVATE KEY)")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    assertThatThrownBy(() -> PemFiles.readPrivateKey(badKey))
        .hasMessage(badKey + ": the private key (PRIVATE KEY) is malformed or of an algorithm this JDK does not know");
  }

  @Test
  void missingFileFailsWithItsName() {
    Path missing = directory.resolve("missing.pem");

    assertThatThrownBy(() -> PemFiles.trustManager(missing))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("missing.pem");
  }

  /** Starts a server presenting {@code context}'s certificate; records client principals if given a queue. */
  private JdkTlsServer server(SSLContext context, BlockingQueue<String> clientPrincipals) throws IOException {
    JdkTlsServer server = new JdkTlsServer(context, socket -> {
      if (clientPrincipals != null) {
        socket.setNeedClientAuth(true);
        socket.addHandshakeCompletedListener(event -> {
          try {
            clientPrincipals.offer(((X509Certificate) event.getPeerCertificates()[0])
                .getSubjectX500Principal().getName());
          } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            clientPrincipals.offer("none");
          }
        });
      }
    });
    servers.add(server);
    return server;
  }

  private TlsResult handshake(JdkTlsServer server, SSLContext client) throws IOException {
    Socket raw = new Socket();
    sockets.add(raw);
    raw.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.port()), 5_000);
    Address address = new Address("localhost", server.port(), Dns.SYSTEM, SocketFactory.getDefault(),
        client.getSocketFactory(), StrictHostnameVerifier.INSTANCE, CertificatePinner.DEFAULT,
        Authenticator.NONE, null, ProxySelector.of(null), List.of(Protocol.HTTP_1_1));
    TlsResult result = TlsConnector.connect(raw, address, List.of(Protocol.HTTP_1_1), 5_000);
    SSLSocket socket = result.socket();
    sockets.add(socket);
    // TLS 1.3 sends the client's certificate after the client's handshake is done; a read makes
    // the server's verdict arrive.
    socket.setSoTimeout(200);
    try {
      socket.getInputStream().read();
    } catch (java.net.SocketTimeoutException expected) {
      // The server accepted the certificate and waits for the client.
    }
    return result;
  }

  private static String poll(BlockingQueue<String> queue) {
    try {
      return queue.poll(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
