package dev.courier.examples;

import dev.courier.tls.PemFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the TLS settings the command line asks for: trusted authorities from a PEM file
 * ({@code --cacert}), a client certificate and its key from PEM files ({@code --cert}, {@code
 * --key}), or no checking at all ({@code -k}). The files are read by {@link PemFiles}, which takes
 * unencrypted PKCS#8, PKCS#1 RSA and SEC1 EC keys and names what is wrong with a file.
 */
final class CliTls {
  /** The socket factory's context and the trust manager it checks servers with. */
  final SSLContext context;
  final X509TrustManager trustManager;

  private CliTls(SSLContext context, X509TrustManager trustManager) {
    this.context = context;
    this.trustManager = trustManager;
  }

  /**
   * Returns settings that trust {@code caCertificates} (or the JDK's authorities if null), or
   * anything if {@code insecure}, presenting the client certificate in {@code certificateFile}
   * with the key in {@code keyFile} (or in the certificate file if null) when given.
   *
   * @throws SetupFailure if a file cannot be read or holds no usable certificate or key
   */
  static CliTls create(Path caCertificates, boolean insecure, Path certificateFile, Path keyFile)
      throws SetupFailure {
    X509TrustManager trustManager;
    try {
      trustManager = insecure ? new TrustingTrustManager()
          : caCertificates != null ? PemFiles.trustManager(caCertificates)
          : systemTrustManager();
    } catch (IOException | GeneralSecurityException e) {
      throw new SetupFailure(ExitCode.CA_CERTIFICATE_ERROR, "could not use the authorities in "
          + caCertificates + ": " + detail(e, caCertificates), e);
    }
    X509KeyManager keyManager = null;
    if (certificateFile != null) {
      Path keySource = keyFile != null ? keyFile : certificateFile;
      try {
        keyManager = PemFiles.keyManager(certificateFile, keySource);
      } catch (IOException | IllegalStateException e) {
        throw new SetupFailure(ExitCode.CLIENT_CERTIFICATE_ERROR, "could not use the client"
            + " certificate " + certificateFile + " with the key in " + keySource + ": "
            + ExitCode.messageOf(e), e);
      }
    }
    try {
      return new CliTls(PemFiles.sslContext(trustManager, keyManager), trustManager);
    } catch (IllegalStateException e) {
      throw new SetupFailure(ExitCode.FAILURE, "could not set up TLS: " + ExitCode.messageOf(e), e);
    }
  }

  /** Returns the failure's message without the leading file name when it is {@code file}. */
  private static String detail(Exception e, Path file) {
    String message = ExitCode.messageOf(e);
    String prefix = file + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  /** The TLS options named files that could not be used; carries the exit code to end with. */
  static final class SetupFailure extends IOException {
    final int exitCode;

    SetupFailure(int exitCode, String message, Throwable cause) {
      super(message, cause);
      this.exitCode = exitCode;
    }
  }

  private static X509TrustManager systemTrustManager() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager) return (X509TrustManager) manager;
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  /** Accepts every certificate: what {@code -k} asks for, and warns about. */
  private static final class TrustingTrustManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
