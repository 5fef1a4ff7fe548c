package dev.courier.testing;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * Holds a certificate issued by a {@link TestCertificateAuthority} together with its private
 * key and the chain up to the authority. Immutable and safe to share between threads.
 */
public final class IssuedCertificate {
  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final X509Certificate authorityCertificate;

  IssuedCertificate(X509Certificate certificate, PrivateKey privateKey, X509Certificate authorityCertificate) {
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.authorityCertificate = authorityCertificate;
  }

  /** Returns the issued (leaf) certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** Returns the private key matching {@link #certificate()}. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** Returns a new array holding the leaf certificate followed by the authority's certificate. */
  public X509Certificate[] chain() {
    return new X509Certificate[] {certificate, authorityCertificate};
  }

  /** Returns the chain in PEM form, leaf first, for servers configured by file such as nginx. */
  public String chainPem() {
    return pem(certificate) + pem(authorityCertificate);
  }

  /** Returns the private key in unencrypted PKCS#8 PEM form ({@code BEGIN PRIVATE KEY}). */
  public String privateKeyPem() {
    return pem("PRIVATE KEY", privateKey.getEncoded());
  }

  @Override
  public String toString() {
    return "IssuedCertificate{" + certificate.getSubjectX500Principal().getName() + "}";
  }

  static String pem(X509Certificate certificate) {
    try {
      return pem("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode " + certificate.getSubjectX500Principal(), e);
    }
  }

  private static String pem(String type, byte[] der) {
    Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    return "-----BEGIN " + type + "-----\n" + encoder.encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}
