package dev.courier;

import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Records a completed TLS handshake: protocol version, cipher suite and certificates.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Handshake {
  private final String tlsVersion;
  private final String cipherSuite;
  private final List<Certificate> peerCertificates;
  private final List<Certificate> localCertificates;

  /** Creates a handshake record from its parts. */
  public Handshake(String tlsVersion, String cipherSuite,
      List<Certificate> peerCertificates, List<Certificate> localCertificates) {
    this.tlsVersion = tlsVersion;
    this.cipherSuite = cipherSuite;
    this.peerCertificates = List.copyOf(peerCertificates);
    this.localCertificates = List.copyOf(localCertificates);
  }

  /**
   * Returns the handshake of {@code session}.
   *
   * @throws java.io.IOException if the session has no cipher suite or protocol (a failed handshake)
   */
  public static Handshake get(SSLSession session) throws java.io.IOException {
    String cipherSuite = session.getCipherSuite();
    String protocol = session.getProtocol();
    if (cipherSuite == null || "SSL_NULL_WITH_NULL_NULL".equals(cipherSuite)
        || protocol == null || "NONE".equals(protocol)) {
      throw new java.io.IOException("TLS handshake did not complete: cipher suite " + cipherSuite
          + ", protocol " + protocol);
    }
    List<Certificate> peer;
    try {
      Certificate[] certificates = session.getPeerCertificates();
      peer = certificates == null ? List.of() : List.of(certificates);
    } catch (SSLPeerUnverifiedException e) {
      peer = List.of();
    }
    Certificate[] local = session.getLocalCertificates();
    return new Handshake(protocol, cipherSuite, peer, local == null ? List.of() : List.of(local));
  }

  /** Returns the negotiated TLS version, such as {@code TLSv1.3}. */
  public String tlsVersion() {
    return tlsVersion;
  }

  /** Returns the negotiated cipher suite, such as {@code TLS_AES_128_GCM_SHA256}. */
  public String cipherSuite() {
    return cipherSuite;
  }

  /** Returns the server's certificate chain, leaf first; empty if none was presented. */
  public List<Certificate> peerCertificates() {
    return peerCertificates;
  }

  /** Returns the certificates this client presented; usually empty. */
  public List<Certificate> localCertificates() {
    return localCertificates;
  }

  /** Returns the subject of the server's leaf certificate, or null. */
  public Principal peerPrincipal() {
    return peerCertificates.isEmpty() || !(peerCertificates.get(0) instanceof X509Certificate)
        ? null
        : ((X509Certificate) peerCertificates.get(0)).getSubjectX500Principal();
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Handshake)) {
      return false;
    }
    Handshake that = (Handshake) other;
    return tlsVersion.equals(that.tlsVersion) && cipherSuite.equals(that.cipherSuite)
        && peerCertificates.equals(that.peerCertificates)
        && localCertificates.equals(that.localCertificates);
  }

  @Override
  public int hashCode() {
    return ((tlsVersion.hashCode() * 31 + cipherSuite.hashCode()) * 31
        + peerCertificates.hashCode()) * 31 + localCertificates.hashCode();
  }

  @Override
  public String toString() {
    return "Handshake{tlsVersion=" + tlsVersion + ", cipherSuite=" + cipherSuite
        + ", peer=" + peerPrincipal() + "}";
  }
}
