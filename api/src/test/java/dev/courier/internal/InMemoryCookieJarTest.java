package dev.courier.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Cookie;
import dev.courier.HttpUrl;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class InMemoryCookieJarTest {
  private static final long START = Instant.parse("2021-06-09T10:18:14Z").toEpochMilli();

  private final AtomicLong clock = new AtomicLong(START);
  private final InMemoryCookieJar jar = new InMemoryCookieJar(clock::get);

  private final HttpUrl url = HttpUrl.parse("https://example.com/");
  private final HttpUrl www = HttpUrl.parse("https://www.example.com/");

  private Cookie cookie(String name, String value) {
    return cookie(name, value, "/");
  }

  private Cookie cookie(String name, String value, String path) {
    return new Cookie.Builder().name(name).value(value).hostOnlyDomain("example.com").path(path)
        .build();
  }

  private Cookie expiringCookie(String name, String value, long expiresAt) {
    return cookie(name, value).newBuilder().expiresAt(expiresAt).build();
  }

  @Test
  void emptyJarLoadsNothing() {
    assertThat(jar.loadForRequest(url)).isEmpty();
  }

  @Test
  void savedCookiesAreLoadedForMatchingRequests() {
    Cookie a = cookie("a", "1");
    Cookie b = cookie("b", "2");
    jar.saveFromResponse(url, List.of(a, b));
    assertThat(jar.loadForRequest(url)).containsExactly(a, b);
  }

  @Test
  void savingNothingChangesNothing() {
    jar.saveFromResponse(url, List.of(cookie("a", "1")));
    jar.saveFromResponse(url, List.of());
    assertThat(jar.all()).hasSize(1);
  }

  @Test
  void cookieWithSameNameDomainAndPathReplacesTheStoredOneInPlace() {
    jar.saveFromResponse(url, List.of(cookie("a", "1"), cookie("b", "2")));
    Cookie replacement = cookie("a", "3");
    jar.saveFromResponse(url, List.of(replacement));
    assertThat(jar.loadForRequest(url)).containsExactly(replacement, cookie("b", "2"));
  }

  @Test
  void cookieWithSameNameButDifferentPathOrDomainIsKeptBeside() {
    Cookie root = cookie("a", "1", "/");
    Cookie docs = cookie("a", "2", "/docs");
    Cookie domain = cookie("a", "3").newBuilder().domain("www.example.com").build();
    jar.saveFromResponse(url, List.of(root, docs, domain));
    assertThat(jar.all()).containsExactly(root, docs, domain);
  }

  @Test
  void hostOnlyAndDomainCookieWithSameDomainReplaceEachOther() {
    Cookie hostOnly = cookie("a", "1");
    Cookie domain = hostOnly.newBuilder().value("2").domain("example.com").build();
    jar.saveFromResponse(url, List.of(hostOnly));
    jar.saveFromResponse(url, List.of(domain));
    assertThat(jar.all()).containsExactly(domain);
  }

  @Test
  void expiredCookieDeletesTheStoredOneAndIsNotStored() {
    jar.saveFromResponse(url, List.of(cookie("a", "1"), cookie("b", "2")));
    Cookie deletion = Cookie.parse(url, "a=; Max-Age=0");
    jar.saveFromResponse(url, List.of(deletion));
    assertThat(jar.all()).containsExactly(cookie("b", "2"));
  }

  @Test
  void expiredCookieWithoutStoredCounterpartIsNotStored() {
    jar.saveFromResponse(url, List.of(expiringCookie("a", "1", START - 1)));
    assertThat(jar.all()).isEmpty();
  }

  @Test
  void cookieExpiringExactlyNowIsTreatedAsExpired() {
    jar.saveFromResponse(url, List.of(expiringCookie("a", "1", START)));
    assertThat(jar.all()).isEmpty();
  }

  @Test
  void cookiesAreDroppedOnLoadOnceTheyExpire() {
    Cookie shortLived = expiringCookie("a", "1", START + 1_000L);
    Cookie longLived = expiringCookie("b", "2", START + 60_000L);
    Cookie session = cookie("c", "3");
    jar.saveFromResponse(url, List.of(shortLived, longLived, session));

    clock.set(START + 999L);
    assertThat(jar.loadForRequest(url)).containsExactly(shortLived, longLived, session);

    clock.set(START + 1_000L);
    assertThat(jar.loadForRequest(url)).containsExactly(longLived, session);
    assertThat(jar.all()).containsExactly(longLived, session);

    clock.set(START + 3_600_000L);
    assertThat(jar.loadForRequest(url)).containsExactly(session);
  }

  @Test
  void expiredCookiesForOtherHostsAreAlsoDroppedOnLoad() {
    Cookie other = expiringCookie("a", "1", START + 1_000L).newBuilder()
        .hostOnlyDomain("other.org").build();
    jar.saveFromResponse(HttpUrl.parse("https://other.org/"), List.of(other));
    clock.set(START + 2_000L);
    assertThat(jar.loadForRequest(url)).isEmpty();
    assertThat(jar.all()).isEmpty();
  }

  @Test
  void onlyCookiesMatchingTheUrlAreLoaded() {
    Cookie hostOnly = cookie("hostOnly", "1");
    Cookie domain = cookie("domain", "2").newBuilder().domain("example.com").build();
    Cookie secure = cookie("secure", "3").newBuilder().secure(true).build();
    Cookie docs = cookie("docs", "4", "/docs");
    Cookie other = cookie("other", "5").newBuilder().hostOnlyDomain("other.org").build();
    jar.saveFromResponse(url, List.of(hostOnly, domain, secure, docs, other));

    assertThat(jar.loadForRequest(url)).containsExactly(hostOnly, domain, secure);
    assertThat(jar.loadForRequest(www)).containsExactly(domain);
    assertThat(jar.loadForRequest(HttpUrl.parse("http://example.com/")))
        .containsExactly(hostOnly, domain);
    assertThat(jar.loadForRequest(HttpUrl.parse("https://example.com/docs/a")))
        .containsExactly(docs, hostOnly, domain, secure);
    assertThat(jar.loadForRequest(HttpUrl.parse("https://other.org/"))).containsExactly(other);
  }

  @Test
  void loadOrdersLongerPathsFirstThenOldestFirst() {
    Cookie rootOld = cookie("rootOld", "1", "/");
    Cookie deep = cookie("deep", "2", "/a/b");
    Cookie mid = cookie("mid", "3", "/a");
    Cookie rootNew = cookie("rootNew", "4", "/");
    jar.saveFromResponse(url, List.of(rootOld, deep, mid, rootNew));
    assertThat(jar.loadForRequest(HttpUrl.parse("https://example.com/a/b/c")))
        .containsExactly(deep, mid, rootOld, rootNew);
  }

  @Test
  void loadedListIsImmutable() {
    jar.saveFromResponse(url, List.of(cookie("a", "1")));
    List<Cookie> loaded = jar.loadForRequest(url);
    assertThatThrownBy(() -> loaded.add(cookie("b", "2")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> jar.loadForRequest(www).add(cookie("b", "2")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void parsedResponseCookiesRoundTripThroughTheJar() {
    List<Cookie> cookies =
        List.of(
            Cookie.parse(www, "a=1; Domain=example.com"),
            Cookie.parse(www, "b=2; Path=/"),
            Cookie.parse(www, "c=3; Max-Age=0"));
    jar.saveFromResponse(www, cookies);
    assertThat(jar.loadForRequest(url)).containsExactly(cookies.get(0));
    assertThat(jar.loadForRequest(www)).containsExactly(cookies.get(0), cookies.get(1));
  }

  @Test
  void toStringReportsTheNumberOfCookies() {
    jar.saveFromResponse(url, List.of(cookie("a", "1"), cookie("b", "2")));
    assertThat(jar.toString()).isEqualTo("InMemoryCookieJar{size=2}");
  }

  @Test
  @Timeout(10)
  void concurrentSavesAndLoadsLoseNoCookies() throws Exception {
    int threads = 4;
    int cookiesPerThread = 500;
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            executor.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < cookiesPerThread; i++) {
                    jar.saveFromResponse(url, List.of(cookie("t" + thread + "c" + i, "v")));
                    jar.loadForRequest(url);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get(10, TimeUnit.SECONDS);
      }
    } finally {
      executor.shutdownNow();
    }
    assertThat(jar.loadForRequest(url)).hasSize(threads * cookiesPerThread);
  }
}
