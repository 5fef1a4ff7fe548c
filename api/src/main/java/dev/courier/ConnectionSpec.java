package dev.courier;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Says how a client may talk to servers: in cleartext, or over TLS with which versions and cipher
 * suites. A client holds a list of specs ({@code CourierClient.Builder.connectionSpecs}); https
 * calls use its first TLS spec that has a version and a cipher suite in common with the TLS
 * socket, and http calls are allowed only if the list holds {@link #CLEARTEXT}.
 *
 * <p>A TLS spec is applied as an intersection: the versions enabled on a connection are those of
 * the spec that the TLS socket has enabled (its {@code SSLContext} and the JDK's {@code
 * jdk.tls.disabledAlgorithms} decide that), and likewise for cipher suites; a spec never turns on
 * what the JDK turned off. When nothing is left in common the connect fails before the handshake
 * with an {@code SSLHandshakeException} naming the host, what the spec asked for and what the
 * socket supports.
 *
 * <p>Instances are immutable and thread-safe; equal specs are interchangeable.
 */
public final class ConnectionSpec {
  /** TLS 1.3, the version name the JDK uses. */
  public static final String TLS_1_3 = "TLSv1.3";
  /** TLS 1.2. */
  public static final String TLS_1_2 = "TLSv1.2";
  /** TLS 1.1, disabled by the JDK since 16 (and in updates of 8 and 11). */
  public static final String TLS_1_1 = "TLSv1.1";
  /** TLS 1.0, disabled by the JDK since 16 (and in updates of 8 and 11). */
  public static final String TLS_1_0 = "TLSv1";

  /**
   * TLS 1.3 and 1.2 with authenticated encryption (AEAD) and forward secrecy only: the TLS 1.3
   * suites (AES-GCM, ChaCha20-Poly1305) and, for TLS 1.2, ECDHE key exchange with AES-GCM or
   * ChaCha20-Poly1305. Servers set up in the last decade speak these.
   */
  public static final ConnectionSpec MODERN_TLS = new Builder(true)
      .tlsVersions(TLS_1_3, TLS_1_2)
      .cipherSuites(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")
      .build();

  /**
   * TLS 1.3 down to 1.0 with every cipher suite the TLS socket enables, for old servers. TLS 1.1
   * and 1.0 are offered only where the JDK still enables them: since JDK 16 its {@code
   * jdk.tls.disabledAlgorithms} security property turns them off, so on a default JDK this spec
   * offers TLS 1.3 and 1.2 with the JDK's whole list of suites (CBC and RSA key exchange
   * included), and a server that speaks only TLS 1.1 is still refused.
   */
  public static final ConnectionSpec COMPATIBLE_TLS = new Builder(true)
      .tlsVersions(TLS_1_3, TLS_1_2, TLS_1_1, TLS_1_0)
      .allEnabledCipherSuites()
      .build();

  /** Unencrypted, unauthenticated connections for {@code http://} URLs. */
  public static final ConnectionSpec CLEARTEXT = new Builder(false).build();

  /** The specs a client uses unless told otherwise: {@link #MODERN_TLS} and {@link #CLEARTEXT}. */
  public static final List<ConnectionSpec> DEFAULT_CONNECTION_SPECS = List.of(MODERN_TLS, CLEARTEXT);

  private final boolean tls;
  private final List<String> tlsVersions;
  private final List<String> cipherSuites;

  private ConnectionSpec(Builder builder) {
    this.tls = builder.tls;
    this.tlsVersions = builder.tlsVersions;
    this.cipherSuites = builder.cipherSuites;
  }

  /** Returns true for a TLS spec, false for {@link #CLEARTEXT}. */
  public boolean isTls() {
    return tls;
  }

  /**
   * Returns the TLS versions to offer, in the JDK's names ({@code TLSv1.3}), most preferred
   * first; empty for cleartext. Immutable.
   */
  public List<String> tlsVersions() {
    return tlsVersions;
  }

  /**
   * Returns the cipher suites to offer, in their standard names, most preferred first; null when
   * the spec takes every suite the TLS socket enables, and empty for cleartext. Immutable.
   */
  public List<String> cipherSuites() {
    return cipherSuites;
  }

  /**
   * Returns true if this TLS spec has a version and a cipher suite in common with what a socket
   * enables.
   *
   * @param enabledVersions the socket's enabled versions
   * @param enabledCipherSuites the socket's enabled cipher suites
   */
  public boolean isCompatible(List<String> enabledVersions, List<String> enabledCipherSuites) {
    return tls && !intersect(tlsVersions, enabledVersions).isEmpty()
        && (cipherSuites == null ? !enabledCipherSuites.isEmpty()
            : !intersect(cipherSuites, enabledCipherSuites).isEmpty());
  }

  /** Returns the elements of {@code wanted} that are in {@code available}, in {@code wanted}'s order. */
  public static List<String> intersect(List<String> wanted, List<String> available) {
    List<String> result = new ArrayList<>(wanted.size());
    for (String name : wanted) {
      if (available.contains(name)) {
        result.add(name);
      }
    }
    return result;
  }

  /** Returns a builder holding this spec's settings. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  @Override
  public boolean equals(Object other) {
    return other == this || other instanceof ConnectionSpec
        && tls == ((ConnectionSpec) other).tls
        && tlsVersions.equals(((ConnectionSpec) other).tlsVersions)
        && Objects.equals(cipherSuites, ((ConnectionSpec) other).cipherSuites);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tls, tlsVersions, cipherSuites);
  }

  @Override
  public String toString() {
    if (!tls) {
      return "ConnectionSpec(CLEARTEXT)";
    }
    return "ConnectionSpec(tlsVersions=" + tlsVersions + ", cipherSuites="
        + (cipherSuites == null ? "[all enabled]" : cipherSuites) + ")";
  }

  /** Builds a {@link ConnectionSpec}. Not thread-safe. */
  public static final class Builder {
    private final boolean tls;
    private List<String> tlsVersions = List.of();
    private List<String> cipherSuites = List.of();

    /**
     * Creates a builder for a TLS spec ({@code tls} true), whose versions must be set and whose
     * cipher suites default to every suite the socket enables, or for a cleartext spec.
     */
    public Builder(boolean tls) {
      this.tls = tls;
      if (tls) {
        this.cipherSuites = null;
      }
    }

    /** Creates a builder holding {@code spec}'s settings. */
    public Builder(ConnectionSpec spec) {
      this.tls = spec.tls;
      this.tlsVersions = spec.tlsVersions;
      this.cipherSuites = spec.cipherSuites;
    }

    /**
     * Sets the TLS versions to offer, most preferred first, by their JDK names such as {@link
     * #TLS_1_3}. No default: a TLS spec must name at least one.
     *
     * @throws IllegalStateException if this is a cleartext spec
     * @throws IllegalArgumentException if none is given, or a name is blank
     */
    public Builder tlsVersions(String... versions) {
      if (!tls) {
        throw new IllegalStateException("a cleartext spec has no TLS versions");
      }
      this.tlsVersions = names("tlsVersions", versions);
      return this;
    }

    /**
     * Sets the cipher suites to offer, most preferred first, by their standard names such as
     * {@code TLS_AES_128_GCM_SHA256}. Suites that TLS 1.3 and TLS 1.2 use are both listed here.
     * Default: every suite the socket enables.
     *
     * @throws IllegalStateException if this is a cleartext spec
     * @throws IllegalArgumentException if none is given, or a name is blank
     */
    public Builder cipherSuites(String... suites) {
      if (!tls) {
        throw new IllegalStateException("a cleartext spec has no cipher suites");
      }
      this.cipherSuites = names("cipherSuites", suites);
      return this;
    }

    /**
     * Offers every cipher suite the TLS socket enables, in the socket's order (the default).
     *
     * @throws IllegalStateException if this is a cleartext spec
     */
    public Builder allEnabledCipherSuites() {
      if (!tls) {
        throw new IllegalStateException("a cleartext spec has no cipher suites");
      }
      this.cipherSuites = null;
      return this;
    }

    /**
     * Returns the spec.
     *
     * @throws IllegalArgumentException if this is a TLS spec without TLS versions
     */
    public ConnectionSpec build() {
      if (tls && tlsVersions.isEmpty()) {
        throw new IllegalArgumentException("tlsVersions: a TLS spec needs at least one TLS version");
      }
      return new ConnectionSpec(this);
    }

    private static List<String> names(String setting, String... names) {
      if (names.length == 0) {
        throw new IllegalArgumentException(setting + ": at least one is required");
      }
      List<String> result = new ArrayList<>(names.length);
      for (String name : names) {
        if (name == null || name.isBlank()) {
          throw new IllegalArgumentException(setting + ": a name is null or blank");
        }
        if (!result.contains(name)) {
          result.add(name);
        }
      }
      return List.copyOf(result);
    }
  }
}
