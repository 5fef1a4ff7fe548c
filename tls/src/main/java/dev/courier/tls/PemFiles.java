package dev.courier.tls;

import dev.courier.tls.internal.KeyMatch;
import dev.courier.tls.internal.PemBlocks;
import dev.courier.tls.internal.PrivateKeyDecoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Builds TLS trust and key material from PEM files, for a custom certificate authority and for
 * client certificates (mutual TLS):
 *
 * <pre>{@code
 * X509TrustManager trustManager = PemFiles.trustManager(Path.of("ca.pem"));
 * X509KeyManager keyManager = PemFiles.keyManager(Path.of("client.pem"), Path.of("client.key"));
 * SSLContext tls = PemFiles.sslContext(trustManager, keyManager);
 * CourierClient client = CourierClient.builder()
 *     .sslSocketFactory(tls.getSocketFactory(), trustManager)
 *     .build();
 * }</pre>
 *
 * <p>Files hold PEM blocks (RFC 7468) as openssl writes them; text between blocks is ignored.
 * Certificates are {@code BEGIN CERTIFICATE} blocks. Private keys must be unencrypted: PKCS#8
 * ({@code BEGIN PRIVATE KEY}) of RSA, EC or EdDSA, PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) or
 * SEC1 EC with a named curve ({@code BEGIN EC PRIVATE KEY}). An encrypted key is refused with a
 * message saying how to decrypt it ({@code openssl pkcs8 -topk8 -nocrypt}).
 *
 * <p>Every failure is an {@link IOException} whose message names the file and what is wrong: no
 * certificate, no key, an encrypted key, a key that does not belong to the certificate. Stateless
 * and thread-safe.
 */
public final class PemFiles {
  private static final char[] NO_PASSWORD = new char[0];

  private PemFiles() {}

  /**
   * Reads every certificate of a PEM file, in file order.
   *
   * @throws IOException if the file cannot be read, holds no {@code BEGIN CERTIFICATE} block, or a
   *     certificate is malformed (naming the file and the block)
   */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    String source = file.toString();
    List<X509Certificate> result = new ArrayList<>();
    CertificateFactory factory = certificateFactory();
    for (PemBlocks.Block block : PemBlocks.parse(read(file), source)) {
      if (!block.label().equals("CERTIFICATE")) {
        continue;
      }
      try {
        result.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
      } catch (CertificateException e) {
        throw new IOException(source + ": PEM block " + block.number()
            + " (CERTIFICATE) is not a valid X.509 certificate: " + e.getMessage(), e);
      }
    }
    if (result.isEmpty()) {
      throw new IOException(source + ": no certificate (expected a '-----BEGIN CERTIFICATE-----' block)");
    }
    return result;
  }

  /**
   * Reads the private key of a PEM file: the first private key block in it, which may follow
   * certificates in the same file.
   *
   * @throws IOException if the file cannot be read, holds no private key, or the key is encrypted,
   *     malformed or of an unknown kind (naming the file, and saying how to convert where that helps)
   */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    String source = file.toString();
    for (PemBlocks.Block block : PemBlocks.parse(read(file), source)) {
      if (PrivateKeyDecoder.isPrivateKey(block.label())) {
        return PrivateKeyDecoder.decode(block, source);
      }
    }
    throw new IOException(source + ": no private key (expected '-----BEGIN PRIVATE KEY-----', "
        + "'-----BEGIN RSA PRIVATE KEY-----' or '-----BEGIN EC PRIVATE KEY-----')");
  }

  /**
   * Returns a trust manager that trusts the certificate authorities in {@code file} (one or more
   * certificates) and nothing else: not the platform's authorities.
   *
   * @throws IOException as {@link #readCertificates} does
   */
  public static X509TrustManager trustManager(Path file) throws IOException {
    return trustManager(readCertificates(file));
  }

  /**
   * Returns a trust manager that trusts {@code authorities} and nothing else.
   *
   * @throws IllegalArgumentException if {@code authorities} is empty
   */
  public static X509TrustManager trustManager(List<X509Certificate> authorities) {
    if (authorities.isEmpty()) {
      throw new IllegalArgumentException("authorities is empty");
    }
    try {
      KeyStore store = emptyKeyStore();
      for (int i = 0; i < authorities.size(); i++) {
        store.setCertificateEntry("ca-" + i, Objects.requireNonNull(authorities.get(i), "authorities[" + i + "]"));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager) {
          return (X509TrustManager) manager;
        }
      }
      throw new IllegalStateException("the JDK's TrustManagerFactory made no X509TrustManager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust manager: " + e.getMessage(), e);
    }
  }

  /**
   * Returns a key manager that presents the certificate chain in {@code certificateChainFile}
   * (the client's certificate first, then any intermediates) with the private key in {@code
   * privateKeyFile} when a server asks for a client certificate. Both may be the same file.
   *
   * @throws IOException if a file cannot be read, holds no certificate or no key, the key is
   *     encrypted, or the key does not belong to the first certificate (the message names both
   *     files, and says so when the key belongs to another certificate of the chain)
   */
  public static X509KeyManager keyManager(Path certificateChainFile, Path privateKeyFile)
      throws IOException {
    List<X509Certificate> chain = readCertificates(certificateChainFile);
    PrivateKey key = readPrivateKey(privateKeyFile);
    KeyMatch.check(key, chain, privateKeyFile.toString(), certificateChainFile.toString());
    return keyManager(chain, key);
  }

  /**
   * Returns a key manager that presents {@code chain} (leaf first) with {@code key}.
   *
   * @throws IllegalArgumentException if {@code chain} is empty
   * @throws IllegalStateException if the JDK cannot hold the key (an algorithm it does not know)
   */
  public static X509KeyManager keyManager(List<X509Certificate> chain, PrivateKey key) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain is empty");
    }
    try {
      KeyStore store = emptyKeyStore();
      store.setKeyEntry("client", Objects.requireNonNull(key, "key == null"), NO_PASSWORD,
          chain.toArray(new X509Certificate[0]));
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, NO_PASSWORD);
      for (KeyManager manager : factory.getKeyManagers()) {
        if (manager instanceof X509KeyManager) {
          return (X509KeyManager) manager;
        }
      }
      throw new IllegalStateException("the JDK's KeyManagerFactory made no X509KeyManager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a key manager for "
          + chain.get(0).getSubjectX500Principal().getName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Returns a new TLS context that checks servers with {@code trustManager} and, if {@code
   * keyManager} is not null, presents its client certificate when asked.
   *
   * @param keyManager the client certificate's key manager, or null to present none
   * @throws IllegalStateException if the JDK has no TLS context
   */
  public static SSLContext sslContext(X509TrustManager trustManager, X509KeyManager keyManager) {
    Objects.requireNonNull(trustManager, "trustManager == null");
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManager != null ? new KeyManager[] {keyManager} : null,
          new TrustManager[] {trustManager}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  private static String read(Path file) throws IOException {
    // PEM is ASCII; ISO-8859-1 reads any byte, so stray bytes around the blocks cannot fail the read.
    return Files.readString(Objects.requireNonNull(file, "file == null"), StandardCharsets.ISO_8859_1);
  }

  private static KeyStore emptyKeyStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  private static CertificateFactory certificateFactory() {
    try {
      return CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
    }
  }
}
