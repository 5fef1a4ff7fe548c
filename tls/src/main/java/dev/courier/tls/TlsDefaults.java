package dev.courier.tls;

import java.security.NoSuchAlgorithmException;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/** Supplies the TLS settings a client uses when the user sets none. Thread-safe. */
public final class TlsDefaults {
  private TlsDefaults() {}

  /**
   * Returns the socket factory of the JDK's default {@link SSLContext}, which trusts the
   * platform's certificate authorities. The {@link TlsConnector} restricts it to the versions and
   * cipher suites of the client's {@link dev.courier.ConnectionSpec}s (by default TLSv1.3 and
   * TLSv1.2).
   *
   * @throws IllegalStateException if the JDK has no default TLS context
   */
  public static SSLSocketFactory sslSocketFactory() {
    return DefaultFactory.INSTANCE;
  }

  /** Returns {@link StrictHostnameVerifier#INSTANCE}. */
  public static HostnameVerifier hostnameVerifier() {
    return StrictHostnameVerifier.INSTANCE;
  }

  /** Creates the default factory once, on first use. */
  private static final class DefaultFactory {
    static final SSLSocketFactory INSTANCE = create();

    private static SSLSocketFactory create() {
      try {
        return SSLContext.getDefault().getSocketFactory();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("No default TLS context in this JDK", e);
      }
    }
  }
}
