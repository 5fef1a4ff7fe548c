package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlHostParserTest {
  private static String host(String host) {
    return UrlHostParser.canonicalHost(host, 0, host.length());
  }

  @Test
  void readsOnlyTheGivenRange() {
    assertThat(UrlHostParser.canonicalHost("//Example.COM:80", 2, 13)).isEqualTo("example.com");
    assertThat(UrlHostParser.canonicalHost("x[::1]:80", 1, 6)).isEqualTo("::1");
  }

  @Test
  void canonicalAsciiHostIsReturnedAsIs() {
    assertThat(host("example.com")).isEqualTo("example.com");
    assertThat(host("EXAMPLE.COM")).isEqualTo("example.com");
  }

  @Test
  void percentEscapesAreDecodedBeforeValidation() {
    assertThat(host("%65xample.com")).isEqualTo("example.com");
    assertThat(host("%E2%98%83.net")).isEqualTo("xn--n3h.net");
    assertThat(host("a%2Eb")).isEqualTo("a.b");
    assertThat(host("a%3Ab")).isNull();
  }

  @Test
  void internationalizedNamesBecomePunycode() {
    assertThat(host("☃.NET")).isEqualTo("xn--n3h.net");
    assertThat(host("münchen.DE")).isEqualTo("xn--mnchen-3ya.de");
  }

  @Test
  void ipv6NeedsBothBracketsOrNone() {
    assertThat(host("[::1]")).isEqualTo("::1");
    assertThat(host("::1")).isEqualTo("::1");
    assertThat(host("[::1")).isNull();
    assertThat(host("::1]")).isNull();
    assertThat(host("[")).isNull();
  }

  @Test
  void emptyHostIsInvalid() {
    assertThat(host("")).isNull();
    assertThat(UrlHostParser.canonicalHost("abc", 1, 1)).isNull();
  }

  @Test
  void numericHostMustBeIpv4() {
    assertThat(host("10.0.0.1")).isEqualTo("10.0.0.1");
    assertThat(host("010.0.0.1")).isEqualTo("8.0.0.1");
    assertThat(host("10.0.0.256")).isNull();
  }
}
