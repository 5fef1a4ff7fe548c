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

  @Test
  void authorityEndsAtTheFirstSlashBackslashQueryOrFragment() {
    assertThat(HttpUrl.parse("http://a.test:81?q/x").toString()).isEqualTo("http://a.test:81/?q/x");
    assertThat(HttpUrl.parse("http://a.test#f/x?y").toString()).isEqualTo("http://a.test/#f/x?y");
    assertThat(HttpUrl.parse("http://a.test\\p/q").toString()).isEqualTo("http://a.test/p/q");
    assertThat(HttpUrl.parse("http://u:p@a.test/b@c").encodedPath()).isEqualTo("/b@c");
  }

  @Test
  void lastAtBeforeTheAuthorityEndStartsTheHost() {
    HttpUrl url = HttpUrl.parse("http://u@v:w@x@a.test:82/p@q?r@s");

    assertThat(url.host()).isEqualTo("a.test");
    assertThat(url.port()).isEqualTo(82);
    assertThat(url.encodedUsername()).isEqualTo("u%40v");
    assertThat(url.encodedPassword()).isEqualTo("w%40x");
    assertThat(url.encodedQuery()).isEqualTo("r@s");
  }

  @Test
  void portColonIsTheFirstOutsideBrackets() {
    assertThat(HttpUrl.parse("http://[::1]:8080/").port()).isEqualTo(8080);
    assertThat(HttpUrl.parse("http://[::1]/").port()).isEqualTo(80);
    assertThat(HttpUrl.parse("http://[::1]/").host()).isEqualTo("::1");
    assertThat(HttpUrl.parse("http://u:p@[::1]:81/").port()).isEqualTo(81);
    assertThat(HttpUrl.parse("http://a.test:/").port()).isEqualTo(80);
    assertThatThrownBy(() -> HttpUrl.parse("http://a.test:1:2/"))
        .hasMessage("Invalid URL port: \"1:2\"");
  }

  @Test
  void tabsAndLineBreaksAnywhereAreRemoved() {
    assertThat(HttpUrl.parse(" http://a.\ttest/p\n/q\r ").toString()).isEqualTo("http://a.test/p/q");
    assertThat(HttpUrl.parse("http://a.test/p?q\t=1").encodedQuery()).isEqualTo("q=1");
  }
}
