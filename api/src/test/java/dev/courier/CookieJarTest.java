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
}
