package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CookieJarTest {
  private final HttpUrl url = HttpUrl.parse("https://example.com/");
  private final Cookie cookie = Cookie.parse(url, "a=b");

  @Test
  void noCookiesJarStoresNothingAndLoadsNothing() {
    CookieJar.NO_COOKIES.saveFromResponse(url, List.of(cookie));
    assertThat(CookieJar.NO_COOKIES.loadForRequest(url)).isEmpty();
    assertThat(CookieJar.NO_COOKIES).hasToString("CookieJar.NO_COOKIES");
  }

  @Test
  void inMemoryJarStoresAndLoadsCookies() {
    CookieJar jar = CookieJar.inMemory();
    jar.saveFromResponse(url, List.of(cookie));
    assertThat(jar.loadForRequest(url)).containsExactly(cookie);
  }

  @Test
  void eachInMemoryJarIsIndependent() {
    CookieJar first = CookieJar.inMemory();
    CookieJar second = CookieJar.inMemory();
    first.saveFromResponse(url, List.of(cookie));
    assertThat(second.loadForRequest(url)).isEmpty();
  }

  @Test
  void inMemoryJarDropsCookiesThatAreAlreadyExpired() {
    CookieJar jar = CookieJar.inMemory();
    jar.saveFromResponse(url, List.of(cookie));
    Cookie expired = Cookie.parse(url, "a=b; Expires=Sun, 06 Nov 1994 08:49:37 GMT");
    jar.saveFromResponse(url, List.of(expired));
    assertThat(jar.loadForRequest(url)).isEmpty();
  }

  @Test
  void publicSuffixCookieNeverReachesOtherSitesUnderTheSuffix() {
    CookieJar jar = CookieJar.inMemory();
    HttpUrl site = HttpUrl.parse("https://www.example.co.uk/");
    jar.saveFromResponse(site, Cookie.parseAll(site, Headers.of(
        "Set-Cookie", "tracker=1; Domain=co.uk",
        "Set-Cookie", "session=2; Domain=example.co.uk")));
    assertThat(jar.loadForRequest(HttpUrl.parse("https://other.co.uk/"))).isEmpty();
    assertThat(jar.loadForRequest(HttpUrl.parse("https://shop.example.co.uk/")))
        .extracting(Cookie::name)
        .containsExactly("session");
  }
}
