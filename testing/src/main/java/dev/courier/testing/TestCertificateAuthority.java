package dev.courier.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * Issues certificates from a throw-away, self-signed certificate authority, and builds the
 * {@link SSLContext}s that use them, so TLS tests need no files or system trust store.
 *
 * <p>Keys are EC P-256 and signatures SHA256withECDSA. Certificates are valid from one hour
 * before creation (to tolerate clock skew) until one day after. Issued certificates carry
 * the given names as subject alternative names, the first one also as common name, and may
 * be used for server and client authentication.
 *
 * <pre>{@code
 * TestCertificateAuthority ca = TestCertificateAuthority.create("Courier Test CA");
 * IssuedCertificate localhost = ca.issue("localhost", "127.0.0.1");
 * server.useHttps(ca.serverContext(localhost));
 * SSLSocketFactory clientSockets = ca.clientSocketFactory();
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe. Security providers are the JDK's; Bouncy
 * Castle is used only to build certificates and is not registered as a provider.
 */
public final class TestCertificateAuthority {
  private static final Duration VALIDITY = Duration.ofDays(1);
  private static final Duration BACKDATING = Duration.ofHours(1);
  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  private static final char[] KEY_STORE_PASSWORD = "password".toCharArray();

  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final X509TrustManager trustManager;
  private final SSLContext clientContext;
  private final SecureRandom random = new SecureRandom();

  private TestCertificateAuthority(X509Certificate certificate, PrivateKey privateKey) throws GeneralSecurityException {
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.trustManager = newTrustManager(certificate);
    this.clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, new TrustManager[] {trustManager}, null);
  }

  /**
   * Creates a new self-signed certificate authority named {@code CN=commonName}.
   *
   * @throws IllegalStateException if the JDK cannot generate keys or sign certificates
   */
  public static TestCertificateAuthority create(String commonName) {
    Objects.requireNonNull(commonName, "commonName");
    try {
      KeyPair keys = newKeyPair();
      X500Name name = name(commonName);
      Instant now = Instant.now();
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          name, serialNumber(new SecureRandom()), Date.from(now.minus(BACKDATING)), Date.from(now.plus(VALIDITY)),
          name, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate certificate = sign(builder, keys.getPrivate());
      return new TestCertificateAuthority(certificate, keys.getPrivate());
    } catch (Exception e) {
      throw new IllegalStateException("cannot create test certificate authority CN=" + commonName, e);
    }
  }

  /** Returns the authority's self-signed certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** Returns the authority's certificate in PEM form, for clients configured by file. */
  public String certificatePem() {
    return IssuedCertificate.pem(certificate);
  }

  /**
   * Issues a certificate with a new key for {@code subjectAltNames}. Each entry is a DNS name
   * ({@code "localhost"}, {@code "*.example.com"}) or an IPv4 or IPv6 literal ({@code
   * "127.0.0.1"}, {@code "::1"}); the first entry is also the subject's common name.
   *
   * @throws IllegalArgumentException if no name is given
   * @throws IllegalStateException if the JDK cannot generate keys or sign certificates
   */
  public IssuedCertificate issue(String... subjectAltNames) {
    if (subjectAltNames.length == 0) {
      throw new IllegalArgumentException("issue() needs at least one subject alternative name");
    }
    try {
      KeyPair keys = newKeyPair();
      GeneralName[] names = new GeneralName[subjectAltNames.length];
      for (int i = 0; i < subjectAltNames.length; i++) {
        String altName = Objects.requireNonNull(subjectAltNames[i], "subjectAltNames[" + i + "]");
        names[i] = IPAddress.isValid(altName)
            ? new GeneralName(GeneralName.iPAddress, altName)
            : new GeneralName(GeneralName.dNSName, altName);
      }
      Instant now = Instant.now();
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      PublicKey publicKey = keys.getPublic();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          certificate, serialNumber(random), Date.from(now.minus(BACKDATING)), Date.from(now.plus(VALIDITY)),
          name(subjectAltNames[0]), publicKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
          .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey))
          .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
      return new IssuedCertificate(sign(builder, privateKey), keys.getPrivate(), certificate);
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue test certificate for " + String.join(", ", subjectAltNames), e);
    }
  }

  /**
   * Returns a new server {@link SSLContext} (TLSv1.3 and TLSv1.2) presenting {@code issued}
   * and its chain. It trusts this authority for client certificates, should a server ask for
   * them.
   *
   * @throws IllegalStateException if the JDK cannot build the context
   */
  public SSLContext serverContext(IssuedCertificate issued) {
    return contextPresenting(issued, "server");
  }

  /** Returns a trust manager that trusts certificates issued by this authority and nothing else. */
  public X509TrustManager trustManager() {
    return trustManager;
  }

  /** Returns a client {@link SSLContext} that trusts only this authority; the same instance each time. */
  public SSLContext clientContext() {
    return clientContext;
  }

  /**
   * Returns a new client {@link SSLContext} that trusts only this authority and presents
   * {@code clientCertificate} when a server asks for one.
   *
   * @throws IllegalStateException if the JDK cannot build the context
   */
  public SSLContext clientContext(IssuedCertificate clientCertificate) {
    return contextPresenting(clientCertificate, "client");
  }

  /** Returns a context that presents {@code issued} as {@code role} and trusts this authority. */
  private SSLContext contextPresenting(IssuedCertificate issued, String role) {
    try {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry(role, issued.privateKey(), KEY_STORE_PASSWORD, issued.chain());
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keyStore, KEY_STORE_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), new TrustManager[] {trustManager}, null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException("cannot build " + role + " SSLContext for " + issued, e);
    }
  }

  /** Returns a socket factory from {@link #clientContext()}. */
  public SSLSocketFactory clientSocketFactory() {
    return clientContext.getSocketFactory();
  }

  @Override
  public String toString() {
    return "TestCertificateAuthority{" + certificate.getSubjectX500Principal().getName() + "}";
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  private static BigInteger serialNumber(SecureRandom random) {
    // Positive and at most 20 octets, as RFC 5280 requires.
    return new BigInteger(64, random).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) throws Exception {
    ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signingKey);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static X509TrustManager newTrustManager(X509Certificate authority) throws GeneralSecurityException {
    try {
      KeyStore trustStore = KeyStore.getInstance("PKCS12");
      trustStore.load(null, null);
      trustStore.setCertificateEntry("authority", authority);
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trustStore);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager) {
          return (X509TrustManager) manager;
        }
      }
      throw new GeneralSecurityException("no X509TrustManager from " + factory.getAlgorithm());
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException("cannot create in-memory trust store", e);
    }
  }
}
