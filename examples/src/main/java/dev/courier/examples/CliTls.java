package dev.courier.examples;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the TLS settings the command line asks for: trusted authorities from a PEM file
 * ({@code --cacert}), a client certificate and its key from PEM files ({@code --cert}, {@code
 * --key}), or no checking at all ({@code -k}).
 *
 * <p>Private keys are read in unencrypted PKCS#8 form ({@code BEGIN PRIVATE KEY}) or as PKCS#1
 * RSA keys ({@code BEGIN RSA PRIVATE KEY}); {@code openssl pkcs8 -topk8 -nocrypt} converts others.
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
          : caCertificates != null ? trustManagerFor(readCertificates(caCertificates))
          : systemTrustManager();
    } catch (IOException | GeneralSecurityException e) {
      throw new SetupFailure(ExitCode.CA_CERTIFICATE_ERROR, "could not use the authorities in "
          + caCertificates + ": " + ExitCode.messageOf(e), e);
    }
    KeyManager[] keyManagers = null;
    if (certificateFile != null) {
      Path keySource = keyFile != null ? keyFile : certificateFile;
      try {
        keyManagers = keyManagersFor(readCertificates(certificateFile), readPrivateKey(keySource));
      } catch (IOException | GeneralSecurityException e) {
        throw new SetupFailure(ExitCode.CLIENT_CERTIFICATE_ERROR, "could not use the client"
            + " certificate " + certificateFile + " with the key in " + keySource + ": "
            + ExitCode.messageOf(e), e);
      }
    }
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, new TrustManager[] {trustManager}, null);
      return new CliTls(context, trustManager);
    } catch (GeneralSecurityException e) {
      throw new SetupFailure(ExitCode.FAILURE, "could not set up TLS: " + ExitCode.messageOf(e), e);
    }
  }

  /** Reads every {@code CERTIFICATE} block of a PEM file, skipping keys and text around them. */
  static List<X509Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> result = new ArrayList<>();
    String begin = "-----BEGIN CERTIFICATE-----";
    String end = "-----END CERTIFICATE-----";
    for (int start = pem.indexOf(begin); start != -1; start = pem.indexOf(begin, start + 1)) {
      int stop = pem.indexOf(end, start);
      if (stop == -1) break;
      byte[] block = pem.substring(start, stop + end.length()).getBytes(StandardCharsets.US_ASCII);
      result.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block)));
    }
    if (result.isEmpty()) throw new IOException("no PEM certificate (BEGIN CERTIFICATE) in " + file);
    return result;
  }

  /** The TLS options named files that could not be used; carries the exit code to end with. */
  static final class SetupFailure extends IOException {
    final int exitCode;

    SetupFailure(int exitCode, String message, Throwable cause) {
      super(message, cause);
      this.exitCode = exitCode;
    }
  }

  static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    byte[] pkcs1 = pemBlock(pem, "RSA PRIVATE KEY");
    if (pkcs1 != null) {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(rsaPkcs8(pkcs1)));
    }
    byte[] pkcs8 = pemBlock(pem, "PRIVATE KEY");
    if (pkcs8 == null) {
      throw new IOException("no unencrypted private key (BEGIN PRIVATE KEY) in " + file
          + "; convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
    for (String algorithm : new String[] {"EC", "RSA", "Ed25519", "Ed448", "RSASSA-PSS"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // Not this algorithm; try the next.
      }
    }
    throw new IOException("unsupported private key algorithm in " + file);
  }

  /** Returns the Base64 body of the first {@code BEGIN type} block of {@code pem}, or null. */
  private static byte[] pemBlock(String pem, String type) {
    String begin = "-----BEGIN " + type + "-----";
    int start = pem.indexOf(begin);
    if (start == -1) return null;
    int end = pem.indexOf("-----END " + type + "-----", start);
    if (end == -1) return null;
    return Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (RFC 5208 §5). */
  private static byte[] rsaPkcs8(byte[] pkcs1) {
    byte[] version = {0x02, 0x01, 0x00};
    // AlgorithmIdentifier: rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters.
    byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
        0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    byte[] octets = der(0x04, pkcs1);
    byte[] body = new byte[version.length + algorithm.length + octets.length];
    System.arraycopy(version, 0, body, 0, version.length);
    System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
    System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
    return der(0x30, body);
  }

  /** Returns a DER element of {@code tag} holding {@code content}. */
  private static byte[] der(int tag, byte[] content) {
    int length = content.length;
    int lengthBytes = length < 0x80 ? 0 : length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
    byte[] result = new byte[2 + lengthBytes + length];
    result[0] = (byte) tag;
    if (lengthBytes == 0) {
      result[1] = (byte) length;
    } else {
      result[1] = (byte) (0x80 | lengthBytes);
      for (int i = 0; i < lengthBytes; i++) {
        result[2 + i] = (byte) (length >>> (8 * (lengthBytes - 1 - i)));
      }
    }
    System.arraycopy(content, 0, result, 2 + lengthBytes, length);
    return result;
  }

  private static X509TrustManager trustManagerFor(List<X509Certificate> authorities)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    for (int i = 0; i < authorities.size(); i++) {
      store.setCertificateEntry("ca-" + i, authorities.get(i));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return firstX509(factory.getTrustManagers());
  }

  private static X509TrustManager systemTrustManager() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    return firstX509(factory.getTrustManagers());
  }

  private static X509TrustManager firstX509(TrustManager[] managers) throws GeneralSecurityException {
    for (TrustManager manager : managers) {
      if (manager instanceof X509TrustManager) return (X509TrustManager) manager;
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  private static KeyManager[] keyManagersFor(List<X509Certificate> chain, PrivateKey key)
      throws GeneralSecurityException, IOException {
    char[] password = new char[0];
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("client", key, password, chain.toArray(new X509Certificate[0]));
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password);
    return factory.getKeyManagers();
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
