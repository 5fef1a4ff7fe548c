package dev.courier.chain.internal;

import dev.courier.Address;
import dev.courier.CertificatePinner;
import dev.courier.HttpUrl;
import dev.courier.chain.CourierClient;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLSocketFactory;

/**
 * Makes the {@link Address} of a URL's origin with one client's connection settings, handing back
 * the previous address when the origin is the same. Most clients call one origin over and over,
 * and an address is immutable, so one remembered address saves building a new one (and its URL)
 * on every call. Thread-safe.
 */
final class AddressCache {
  private final CourierClient client;
  private volatile Address last;

  AddressCache(CourierClient client) {
    this.client = client;
  }

  /** Returns the address of {@code url}'s origin: its scheme, host and port with the client's settings. */
  Address addressFor(HttpUrl url) {
    Address cached = last;
    if (cached != null
        && cached.isHttps() == url.isHttps()
        && cached.port() == url.port()
        && cached.host().equals(url.host())) {
      return cached;
    }
    Address address = create(url);
    last = address;
    return address;
  }

  private Address create(HttpUrl url) {
    SSLSocketFactory sslSocketFactory = null;
    HostnameVerifier hostnameVerifier = null;
    CertificatePinner certificatePinner = null;
    if (url.isHttps()) {
      sslSocketFactory = client.sslSocketFactory();
      hostnameVerifier = client.hostnameVerifier();
      certificatePinner = client.certificatePinner();
    }
    return new Address(url.host(), url.port(), client.dns(), client.socketFactory(),
        sslSocketFactory, hostnameVerifier, certificatePinner, client.proxyAuthenticator(),
        client.proxy(), client.proxySelector(), client.protocols(), client.connectionSpecs());
  }
}
