package dev.courier;

import java.net.Proxy;
import java.net.ProxySelector;
import java.util.List;
import java.util.Objects;
import javax.net.SocketFactory;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLSocketFactory;

/**
 * Holds everything that must match for two requests to share a connection: the origin (scheme,
 * host, port) and the client's connection settings (DNS, socket factories, TLS verification,
 * proxy choice, protocols, connection specs).
 *
 * <p>Instances are immutable and thread-safe; equal addresses may share pooled connections.
 */
public final class Address {
  private final HttpUrl url;
  private final Dns dns;
  private final SocketFactory socketFactory;
  private final SSLSocketFactory sslSocketFactory;
  private final HostnameVerifier hostnameVerifier;
  private final CertificatePinner certificatePinner;
  private final Authenticator proxyAuthenticator;
  private final Proxy proxy;
  private final ProxySelector proxySelector;
  private final List<Protocol> protocols;
  private final List<ConnectionSpec> connectionSpecs;
  // Addresses are hashed on every pool lookup; computed once, they are immutable.
  private final int hashCode;

  /**
   * Creates an address with {@link ConnectionSpec#DEFAULT_CONNECTION_SPECS}.
   *
   * @throws IllegalArgumentException if the port is out of range, protocols are empty, or TLS
   *     settings are incomplete
   */
  public Address(String host, int port, Dns dns, SocketFactory socketFactory,
      SSLSocketFactory sslSocketFactory, HostnameVerifier hostnameVerifier,
      CertificatePinner certificatePinner, Authenticator proxyAuthenticator, Proxy proxy,
      ProxySelector proxySelector, List<Protocol> protocols) {
    this(host, port, dns, socketFactory, sslSocketFactory, hostnameVerifier, certificatePinner,
        proxyAuthenticator, proxy, proxySelector, protocols, ConnectionSpec.DEFAULT_CONNECTION_SPECS);
  }

  /**
   * Creates an address.
   *
   * @param host the origin's host name or IP literal
   * @param port the origin's port
   * @param sslSocketFactory the TLS socket factory, or null for cleartext; when set, the verifier
   *     and pinner must be set too
   * @param proxy an explicit proxy, or null to ask {@code proxySelector}
   * @param protocols the protocols to offer, most preferred first
   * @param connectionSpecs the client's connection specs: TLS versions and cipher suites for
   *     https, and whether cleartext is allowed
   * @throws IllegalArgumentException if the port is out of range, protocols or connection specs
   *     are empty, or TLS settings are incomplete
   */
  public Address(String host, int port, Dns dns, SocketFactory socketFactory,
      SSLSocketFactory sslSocketFactory, HostnameVerifier hostnameVerifier,
      CertificatePinner certificatePinner, Authenticator proxyAuthenticator, Proxy proxy,
      ProxySelector proxySelector, List<Protocol> protocols, List<ConnectionSpec> connectionSpecs) {
    this.url = new HttpUrl.Builder()
        .scheme(sslSocketFactory != null ? "https" : "http")
        .host(host)
        .port(port)
        .build();
    this.dns = Objects.requireNonNull(dns, "dns == null");
    this.socketFactory = Objects.requireNonNull(socketFactory, "socketFactory == null");
    this.sslSocketFactory = sslSocketFactory;
    if (sslSocketFactory != null && (hostnameVerifier == null || certificatePinner == null)) {
      throw new IllegalArgumentException("TLS addresses need a hostname verifier and a certificate pinner");
    }
    this.hostnameVerifier = hostnameVerifier;
    this.certificatePinner = certificatePinner;
    this.proxyAuthenticator = Objects.requireNonNull(proxyAuthenticator, "proxyAuthenticator == null");
    this.proxy = proxy;
    this.proxySelector = Objects.requireNonNull(proxySelector, "proxySelector == null");
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("protocols is empty");
    }
    this.protocols = List.copyOf(protocols);
    if (connectionSpecs.isEmpty()) {
      throw new IllegalArgumentException("connectionSpecs is empty");
    }
    this.connectionSpecs = List.copyOf(connectionSpecs);
    this.hashCode = computeHashCode();
  }

  /** Returns the origin as a URL with only scheme, host and port, such as {@code https://example.com/}. */
  public HttpUrl url() {
    return url;
  }

  /** Returns the origin's host. */
  public String host() {
    return url.host();
  }

  /** Returns the origin's port. */
  public int port() {
    return url.port();
  }

  /** Returns true if connections to this address use TLS. */
  public boolean isHttps() {
    return sslSocketFactory != null;
  }

  /** Returns the resolver for the origin's (or proxy's) host name. */
  public Dns dns() {
    return dns;
  }

  /** Returns the factory for plain sockets. */
  public SocketFactory socketFactory() {
    return socketFactory;
  }

  /** Returns the TLS socket factory, or null for cleartext. */
  public SSLSocketFactory sslSocketFactory() {
    return sslSocketFactory;
  }

  /** Returns the hostname verifier, or null for cleartext. */
  public HostnameVerifier hostnameVerifier() {
    return hostnameVerifier;
  }

  /** Returns the certificate pinner, or null for cleartext. */
  public CertificatePinner certificatePinner() {
    return certificatePinner;
  }

  /** Returns the authenticator for proxy challenges (407). */
  public Authenticator proxyAuthenticator() {
    return proxyAuthenticator;
  }

  /** Returns the explicit proxy, or null when the proxy selector decides. */
  public Proxy proxy() {
    return proxy;
  }

  /** Returns the proxy selector, used when no explicit proxy is set. */
  public ProxySelector proxySelector() {
    return proxySelector;
  }

  /** Returns the protocols to offer, most preferred first. */
  public List<Protocol> protocols() {
    return protocols;
  }

  /**
   * Returns the client's connection specs: the TLS versions and cipher suites https connections
   * may use, and, by holding {@link ConnectionSpec#CLEARTEXT}, whether http is allowed. Immutable.
   */
  public List<ConnectionSpec> connectionSpecs() {
    return connectionSpecs;
  }

  /** Returns true if {@link #connectionSpecs()} allow unencrypted connections. */
  public boolean allowsCleartext() {
    return connectionSpecs.contains(ConnectionSpec.CLEARTEXT);
  }

  /** Returns true if everything but the host matches, so a connection to {@code other} could be coalesced. */
  public boolean equalsNonHost(Address other) {
    return dns.equals(other.dns)
        && proxyAuthenticator.equals(other.proxyAuthenticator)
        && protocols.equals(other.protocols)
        && connectionSpecs.equals(other.connectionSpecs)
        && proxySelector.equals(other.proxySelector)
        && Objects.equals(proxy, other.proxy)
        && socketFactory.equals(other.socketFactory)
        && Objects.equals(sslSocketFactory, other.sslSocketFactory)
        && Objects.equals(hostnameVerifier, other.hostnameVerifier)
        && Objects.equals(certificatePinner, other.certificatePinner)
        && url.port() == other.url.port();
  }

  @Override
  public boolean equals(Object other) {
    return other == this || other instanceof Address
        && ((Address) other).hashCode == hashCode
        && url.equals(((Address) other).url)
        && equalsNonHost((Address) other);
  }

  @Override
  public int hashCode() {
    return hashCode;
  }

  private int computeHashCode() {
    int result = 17;
    result = 31 * result + url.hashCode();
    result = 31 * result + dns.hashCode();
    result = 31 * result + proxyAuthenticator.hashCode();
    result = 31 * result + protocols.hashCode();
    result = 31 * result + connectionSpecs.hashCode();
    result = 31 * result + proxySelector.hashCode();
    result = 31 * result + Objects.hashCode(proxy);
    result = 31 * result + Objects.hashCode(sslSocketFactory);
    result = 31 * result + Objects.hashCode(hostnameVerifier);
    result = 31 * result + Objects.hashCode(certificatePinner);
    return result;
  }

  @Override
  public String toString() {
    return "Address{" + url.host() + ":" + url.port()
        + (proxy != null ? ", proxy=" + proxy : "") + "}";
  }
}
