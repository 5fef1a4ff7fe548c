package dev.courier.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Makes keys, self-signed certificates and the PEM encodings tests write to files. */
final class PemTestFiles {
  private PemTestFiles() {}

  /** A key pair with a self-signed certificate that may act as a client certificate. */
  record SelfSigned(X509Certificate certificate, PrivateKey privateKey) {}

  /** Returns a self-signed RSA (2048-bit) or EC (P-256) certificate for client use. */
  static SelfSigned selfSigned(String commonName, String algorithm) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (algorithm.equals("EC")) {
        generator.initialize(new ECGenParameterSpec("secp256r1"));
      } else {
        generator.initialize(2048);
      }
      KeyPair keys = generator.generateKeyPair();
      Instant now = Instant.now();
      X500Name name = new X500Name("CN=" + commonName);
      org.bouncycastle.cert.X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
          new BigInteger(64, new SecureRandom()).add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))),
          Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}));
      String signature = algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
      return new SelfSigned(certificate, keys.getPrivate());
    } catch (Exception e) {
      throw new IllegalStateException("cannot make a self-signed " + algorithm + " certificate", e);
    }
  }

  static String pem(X509Certificate certificate) {
    try {
      return pem("CERTIFICATE", certificate.getEncoded());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns {@code key} as unencrypted PKCS#8: {@code BEGIN PRIVATE KEY}. */
  static String pkcs8(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  /** Returns an RSA key as PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), as {@code openssl genrsa} used to. */
  static String pkcs1(PrivateKey rsaKey) {
    try {
      byte[] pkcs1 = PrivateKeyInfo.getInstance(rsaKey.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
      return pem("RSA PRIVATE KEY", pkcs1);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns a P-256 key as SEC1 naming its curve ({@code BEGIN EC PRIVATE KEY}), as {@code openssl ecparam -genkey} does. */
  static String sec1(PrivateKey ecKey) {
    try {
      org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256,
          ((ECPrivateKey) ecKey).getS(), X9ObjectIdentifiers.prime256v1);
      return pem("EC PRIVATE KEY", sec1.getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns {@code key} encrypted with a password: {@code BEGIN ENCRYPTED PRIVATE KEY}. */
  static String encryptedPkcs8(PrivateKey key) {
    try {
      OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
          .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
          .setPassword("secret".toCharArray())
          .build();
      PemObject encrypted = new JcaPKCS8Generator(key, encryptor).generate();
      return pem(encrypted.getType(), encrypted.getContent());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String label, byte[] der) {
    Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    return "-----BEGIN " + label + "-----\n" + encoder.encodeToString(der) + "\n-----END " + label + "-----\n";
  }

  static Path write(Path directory, String name, String content) throws IOException {
    return Files.writeString(directory.resolve(name), content, StandardCharsets.US_ASCII);
  }
}
