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
  void internationalizedNamesAreMappedWithUts46NonTransitionalProcessing() {
    // java.net.IDN (IDNA 2003) maps 'ß' to "ss"; UTS #46 non-transitional processing keeps it.
    assertThat(host("faß.example")).isEqualTo("xn--fa-hia.example");
    assertThat(host("FASS.example")).isEqualTo("fass.example");
    assertThat(host("ＥＸＡＭＰＬＥ。com")).isEqualTo("example.com"); // Full-width, ideographic stop.
    assertThat(host("a\u00ADb.com")).isEqualTo("ab.com"); // Soft hyphen is ignored.
  }

  @Test
  void asciiPunycodeLabelsAreValidated() {
    assertThat(host("XN--FA-HIA.example")).isEqualTo("xn--fa-hia.example");
    assertThat(host("www.xn--fa-hia.example")).isEqualTo("www.xn--fa-hia.example");
    assertThat(host("xn--a.example")).isNull(); // Decodes to ASCII only.
    assertThat(host("a.xn--.example")).isNull(); // Decodes to nothing.
    assertThat(host("axn--b.example")).isEqualTo("axn--b.example"); // Not at a label start.
  }

  @Test
  void hostThatUts46RefusesIsInvalid() {
    assertThat(host("a\uFFFDb.com")).isNull(); // Disallowed.
    assertThat(host("a\u200Db.com")).isNull(); // A joiner without a virama.
    assertThat(host("0a.\u05D0.com")).isNull(); // Fails the bidi rule.
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
