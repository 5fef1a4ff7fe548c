package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.Authenticator;
import dev.courier.CertificatePinner;
import dev.courier.Dns;
import dev.courier.Protocol;
import dev.courier.tls.StrictHostnameVerifier;
import java.net.Proxy;
import java.net.ProxySelector;
import java.util.List;
import javax.net.SocketFactory;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLSocketFactory;

/** Builds addresses for tests. Defaults: cleartext, system DNS, no proxy, HTTP/1.1. */
public final class AddressBuilder {
  /** One selector instance, so addresses built separately are equal. */
  public static final ProxySelector NO_PROXY_SELECTOR = ProxySelector.of(null);

  private final String host;
  private final int port;
  private Dns dns = Dns.SYSTEM;
  private SocketFactory socketFactory = SocketFactory.getDefault();
  private SSLSocketFactory sslSocketFactory;
  private HostnameVerifier hostnameVerifier;
  private CertificatePinner certificatePinner;
  private Authenticator proxyAuthenticator = Authenticator.NONE;
  private Proxy proxy;
  private ProxySelector proxySelector = NO_PROXY_SELECTOR;
  private List<Protocol> protocols = List.of(Protocol.HTTP_1_1);

  public AddressBuilder(String host, int port) {
    this.host = host;
    this.port = port;
  }

  public AddressBuilder dns(Dns dns) {
    this.dns = dns;
    return this;
  }

  public AddressBuilder socketFactory(SocketFactory socketFactory) {
    this.socketFactory = socketFactory;
    return this;
  }

  /** Makes the address https with the strict verifier and no pins. */
  public AddressBuilder https(SSLSocketFactory sslSocketFactory) {
    this.sslSocketFactory = sslSocketFactory;
    this.hostnameVerifier = StrictHostnameVerifier.INSTANCE;
    this.certificatePinner = CertificatePinner.DEFAULT;
    return this;
  }

  public AddressBuilder hostnameVerifier(HostnameVerifier hostnameVerifier) {
    this.hostnameVerifier = hostnameVerifier;
    return this;
  }

  public AddressBuilder certificatePinner(CertificatePinner certificatePinner) {
    this.certificatePinner = certificatePinner;
    return this;
  }

  public AddressBuilder proxyAuthenticator(Authenticator proxyAuthenticator) {
    this.proxyAuthenticator = proxyAuthenticator;
    return this;
  }

  public AddressBuilder proxy(Proxy proxy) {
    this.proxy = proxy;
    return this;
  }

  public AddressBuilder proxySelector(ProxySelector proxySelector) {
    this.proxySelector = proxySelector;
    return this;
  }

  public AddressBuilder protocols(Protocol... protocols) {
    this.protocols = List.of(protocols);
    return this;
  }

  public Address build() {
    return new Address(host, port, dns, socketFactory, sslSocketFactory, hostnameVerifier,
        certificatePinner, proxyAuthenticator, proxy, proxySelector, protocols);
  }
}
