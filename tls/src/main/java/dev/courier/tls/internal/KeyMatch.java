package dev.courier.tls.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Checks that a private key belongs to the first certificate of a chain, by signing a test
 * message with the key and verifying it with the certificate's public key; works alike for RSA,
 * EC and EdDSA keys.
 */
public final class KeyMatch {
  private static final byte[] MESSAGE = "Courier key check".getBytes(StandardCharsets.US_ASCII);

  private KeyMatch() {}

  /**
   * Passes if {@code key} belongs to {@code chain}'s first certificate, or if the key's algorithm
   * is one this check cannot sign with (the handshake will then find a mismatch).
   *
   * @throws IOException naming both files if it does not, and which certificate it does belong
   *     to if it belongs to another in the chain
   */
  public static void check(PrivateKey key, List<X509Certificate> chain, String keySource,
      String chainSource) throws IOException {
    String algorithm = signatureAlgorithm(key);
    if (algorithm == null) {
      return;
    }
    if (matches(key, chain.get(0).getPublicKey(), algorithm)) {
      return;
    }
    String leaf = chain.get(0).getSubjectX500Principal().getName();
    for (int i = 1; i < chain.size(); i++) {
      if (matches(key, chain.get(i).getPublicKey(), algorithm)) {
        throw new IOException(keySource + ": the private key belongs to certificate " + (i + 1)
            + " (" + chain.get(i).getSubjectX500Principal().getName() + ") of " + chainSource
            + ", not to the first (" + leaf + "); put the client's own certificate first");
      }
    }
    throw new IOException(keySource + ": the private key (" + key.getAlgorithm()
        + ") does not match the certificate " + leaf + " in " + chainSource);
  }

  private static boolean matches(PrivateKey key, PublicKey publicKey, String algorithm) {
    if (!sameFamily(key.getAlgorithm(), publicKey.getAlgorithm())) {
      return false;
    }
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(MESSAGE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(MESSAGE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false; // A key of another curve or size: not this certificate's key.
    }
  }

  private static boolean sameFamily(String keyAlgorithm, String publicKeyAlgorithm) {
    if (keyAlgorithm.equals(publicKeyAlgorithm)) {
      return true;
    }
    return isEdDsa(keyAlgorithm) && isEdDsa(publicKeyAlgorithm);
  }

  private static boolean isEdDsa(String algorithm) {
    return algorithm.equals("EdDSA") || algorithm.equals("Ed25519") || algorithm.equals("Ed448");
  }

  /** Returns a signature algorithm for the key, or null if this check does not know one. */
  private static String signatureAlgorithm(PrivateKey key) {
    String algorithm = key.getAlgorithm();
    if (algorithm.equals("RSA")) {
      return "SHA256withRSA";
    }
    if (algorithm.equals("EC")) {
      return "SHA256withECDSA";
    }
    if (isEdDsa(algorithm)) {
      return "EdDSA";
    }
    return null;
  }
}
