package dev.courier.chain.support;

import dev.courier.Dns;
import dev.courier.chain.CourierClient;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import java.net.InetAddress;
import java.util.List;

/**
 * Shares one test certificate authority and one server certificate for {@code localhost} and
 * {@code 127.0.0.1} between tests, since making keys is slow.
 */
public final class TestTls {
  private static final TestCertificateAuthority AUTHORITY = TestCertificateAuthority.create("Courier core-chain test CA");
  private static final IssuedCertificate SERVER_CERTIFICATE = AUTHORITY.issue("localhost", "127.0.0.1");

  /** Resolves every host name to 127.0.0.1, where test servers listen. */
  public static final Dns LOOPBACK_DNS = host -> List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));

  private TestTls() {}

  /** Makes {@code server} serve HTTPS with a certificate the test clients trust. */
  public static void useHttps(TestServer server) {
    server.useHttps(AUTHORITY.serverContext(SERVER_CERTIFICATE));
  }

  /** Returns a server TLS context with the shared certificate, for servers other than TestServer. */
  public static javax.net.ssl.SSLContext serverContext() {
    return AUTHORITY.serverContext(SERVER_CERTIFICATE);
  }

  /** Makes a client builder trust the test authority. */
  public static void trustTestAuthority(CourierClient.Builder builder) {
    builder.sslSocketFactory(AUTHORITY.clientSocketFactory(), AUTHORITY.trustManager());
  }
}
