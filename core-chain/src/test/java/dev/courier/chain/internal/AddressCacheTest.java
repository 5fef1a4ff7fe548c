package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Address;
import dev.courier.HttpUrl;
import dev.courier.chain.CourierClient;
import org.junit.jupiter.api.Test;

class AddressCacheTest {
  private final CourierClient client = new CourierClient();
  private final AddressCache cache = new AddressCache(client);

  @Test
  void sameOriginReusesTheAddress() {
    Address first = cache.addressFor(HttpUrl.parse("http://example.com:8080/a?q=1"));
    Address second = cache.addressFor(HttpUrl.parse("http://example.com:8080/b"));

    assertThat(second).isSameAs(first);
  }

  @Test
  void addressCarriesTheOriginAndTheClientSettings() {
    Address address = cache.addressFor(HttpUrl.parse("https://example.com/"));

    assertThat(address.host()).isEqualTo("example.com");
    assertThat(address.port()).isEqualTo(443);
    assertThat(address.isHttps()).isTrue();
    assertThat(address.sslSocketFactory()).isSameAs(client.sslSocketFactory());
    assertThat(address.hostnameVerifier()).isSameAs(client.hostnameVerifier());
    assertThat(address.certificatePinner()).isSameAs(client.certificatePinner());
    assertThat(address.dns()).isSameAs(client.dns());
    assertThat(address.protocols()).isEqualTo(client.protocols());
    assertThat(address.connectionSpecs()).isEqualTo(client.connectionSpecs());
  }

  @Test
  void cleartextAddressHasNoTlsSettings() {
    Address address = cache.addressFor(HttpUrl.parse("http://example.com/"));

    assertThat(address.isHttps()).isFalse();
    assertThat(address.sslSocketFactory()).isNull();
    assertThat(address.hostnameVerifier()).isNull();
    assertThat(address.certificatePinner()).isNull();
  }

  @Test
  void differentHostPortOrSchemeGetsItsOwnAddress() {
    Address original = cache.addressFor(HttpUrl.parse("http://example.com:8080/"));

    Address otherHost = cache.addressFor(HttpUrl.parse("http://example.org:8080/"));
    Address otherPort = cache.addressFor(HttpUrl.parse("http://example.org:8081/"));
    Address otherScheme = cache.addressFor(HttpUrl.parse("https://example.org:8081/"));

    assertThat(otherHost.host()).isEqualTo("example.org");
    assertThat(otherHost).isNotEqualTo(original);
    assertThat(otherPort.port()).isEqualTo(8081);
    assertThat(otherPort).isNotEqualTo(otherHost);
    assertThat(otherScheme.isHttps()).isTrue();
    assertThat(otherScheme).isNotEqualTo(otherPort);
  }

  @Test
  void returningToAnEarlierOriginGivesAnEqualAddress() {
    Address first = cache.addressFor(HttpUrl.parse("http://example.com/"));
    cache.addressFor(HttpUrl.parse("http://example.org/"));

    Address again = cache.addressFor(HttpUrl.parse("http://example.com/"));

    assertThat(again).isEqualTo(first);
    assertThat(again.hashCode()).isEqualTo(first.hashCode());
  }
}
