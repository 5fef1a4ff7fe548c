package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UrlParserTest {
  private final HttpUrl base = HttpUrl.parse("https://example.com:8443/a/b?q#f");

  @Test
  void otherSchemeIsNullWithBaseAndAnErrorWithout() {
    assertThat(UrlParser.parse(base, "ftp://example.com/")).isNull();
    assertThatThrownBy(() -> UrlParser.parse(null, "ftp://example.com/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected URL scheme 'http' or 'https' but was 'ftp'");
  }

  @Test
  void invalidReferenceIsAnErrorEvenWithBase() {
    assertThatThrownBy(() -> UrlParser.parse(base, "//exa mple.com/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid URL host: \"exa mple.com\"");
  }

  @Test
  void schemeMayContainDigitsPlusMinusAndDots() {
    assertThatThrownBy(() -> UrlParser.parse(null, "a1+-.:x"))
        .hasMessage("Expected URL scheme 'http' or 'https' but was 'a1+-.'");
  }

  @Test
  void schemeMustStartWithLetter() {
    assertThatThrownBy(() -> UrlParser.parse(null, "1http://example.com/"))
        .hasMessageContaining("no scheme was found");
  }

  @Test
  void relativeReferenceKeepsBaseDefaultPortImplicit() {
    HttpUrl.Builder builder = UrlParser.parse(HttpUrl.parse("http://example.com/a"), "b");

    assertThat(builder.scheme("https").build()).hasToString("https://example.com/b");
  }

  @Test
  void relativeReferenceKeepsBaseExplicitPort() {
    assertThat(UrlParser.parse(base, "c").build()).hasToString("https://example.com:8443/a/c");
  }

  @Test
  void quoteShortensLongText() {
    assertThat(UrlParser.quote("abc")).isEqualTo("abc");
    assertThat(UrlParser.quote("x".repeat(65))).isEqualTo("x".repeat(64) + "...");
  }
}
