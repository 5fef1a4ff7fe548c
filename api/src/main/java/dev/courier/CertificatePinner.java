package dev.courier;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import okio.ByteString;

/**
 * Constrains which certificates a host may present: at least one certificate in the server's
 * chain must have a public key whose SHA-256 hash is pinned for that host.
 *
 * <p>Patterns are a host name ({@code example.com}), one wildcard label ({@code *.example.com}:
 * exactly one more label) or any depth ({@code **.example.com}: zero or more labels). Pins are
 * {@code sha256/} followed by the base64 SHA-256 of the certificate's SubjectPublicKeyInfo.
 * Instances are immutable and thread-safe.
 */
public final class CertificatePinner {
  /** Pins nothing: every host is accepted. */
  public static final CertificatePinner DEFAULT = new Builder().build();

  private final Set<Pin> pins;

  private CertificatePinner(Set<Pin> pins) {
    this.pins = pins;
  }

  /**
   * Checks that {@code peerCertificates} satisfy the pins for {@code hostname}; passes if the host
   * has no pins.
   *
   * @throws SSLPeerUnverifiedException naming the host, the chain's hashes and the pins, if none match
   */
  public void check(String hostname, List<Certificate> peerCertificates) throws SSLPeerUnverifiedException {
    List<Pin> matching = findMatchingPins(hostname);
    if (matching.isEmpty()) {
      return;
    }
    List<ByteString> hashes = new ArrayList<>(peerCertificates.size());
    for (Certificate certificate : peerCertificates) {
      ByteString hash = sha256(certificate);
      for (Pin pin : matching) {
        if (pin.hash.equals(hash)) {
          return;
        }
      }
      hashes.add(hash);
    }
    StringBuilder message = new StringBuilder("Certificate pinning failure for ")
        .append(hostname).append("!\n  Peer certificate chain:");
    for (int i = 0; i < peerCertificates.size(); i++) {
      message.append("\n    sha256/").append(hashes.get(i).base64());
      Certificate certificate = peerCertificates.get(i);
      if (certificate instanceof X509Certificate) {
        message.append(": ").append(((X509Certificate) certificate).getSubjectX500Principal().getName());
      }
    }
    message.append("\n  Pinned certificates for ").append(hostname).append(':');
    for (Pin pin : matching) {
      message.append("\n    ").append(pin);
    }
    throw new SSLPeerUnverifiedException(message.toString());
  }

  /** Returns the pins that apply to {@code hostname}; empty if none. */
  public List<Pin> findMatchingPins(String hostname) {
    List<Pin> result = List.of();
    for (Pin pin : pins) {
      if (pin.matches(hostname)) {
        if (result.isEmpty()) {
          result = new ArrayList<>();
        }
        result.add(pin);
      }
    }
    return result;
  }

  /** Returns the SHA-256 hash of {@code certificate}'s public key, as used in pins. */
  public static ByteString sha256(Certificate certificate) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return ByteString.of(digest.digest(certificate.getPublicKey().getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Returns the pin string {@code sha256/<base64>} for {@code certificate}. */
  public static String pin(Certificate certificate) {
    return "sha256/" + sha256(certificate).base64();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CertificatePinner && ((CertificatePinner) other).pins.equals(pins);
  }

  @Override
  public int hashCode() {
    return pins.hashCode();
  }

  /** Pairs a host pattern with a public key hash. */
  public static final class Pin {
    private final String pattern;
    private final ByteString hash;

    Pin(String pattern, String pin) {
      String lower = pattern.toLowerCase(Locale.ROOT);
      if (lower.isEmpty() || lower.indexOf('*', lower.startsWith("**.") ? 3 : lower.startsWith("*.") ? 2 : 0) != -1) {
        throw new IllegalArgumentException("Unexpected pattern: " + pattern);
      }
      this.pattern = lower;
      if (!pin.startsWith("sha256/")) {
        throw new IllegalArgumentException("pins must start with 'sha256/': " + pin);
      }
      ByteString decoded = ByteString.decodeBase64(pin.substring("sha256/".length()));
      if (decoded == null || decoded.size() != 32) {
        throw new IllegalArgumentException("Invalid pin hash: " + pin);
      }
      this.hash = decoded;
    }

    /** Returns true if this pin applies to {@code hostname}. */
    public boolean matches(String hostname) {
      String host = hostname.toLowerCase(Locale.ROOT);
      if (pattern.startsWith("**.")) {
        String suffix = pattern.substring(3);
        return host.equals(suffix) || host.endsWith("." + suffix);
      }
      if (pattern.startsWith("*.")) {
        String suffix = pattern.substring(1);
        return host.endsWith(suffix) && host.lastIndexOf('.', host.length() - suffix.length() - 1) == -1
            && host.length() > suffix.length();
      }
      return host.equals(pattern);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Pin && ((Pin) other).pattern.equals(pattern) && ((Pin) other).hash.equals(hash);
    }

    @Override
    public int hashCode() {
      return pattern.hashCode() * 31 + hash.hashCode();
    }

    @Override
    public String toString() {
      return "sha256/" + hash.base64();
    }
  }

  /** Builds pinners; not thread-safe. */
  public static final class Builder {
    private final Set<Pin> pins = new LinkedHashSet<>();

    /** Creates a builder with no pins. */
    public Builder() {}

    /**
     * Pins {@code pins} for hosts matching {@code pattern}.
     *
     * @throws IllegalArgumentException if the pattern or a pin is malformed
     */
    public Builder add(String pattern, String... pins) {
      for (String pin : pins) {
        this.pins.add(new Pin(pattern, pin));
      }
      return this;
    }

    /** Returns the pinner. */
    public CertificatePinner build() {
      return new CertificatePinner(Set.copyOf(pins));
    }
  }
}
