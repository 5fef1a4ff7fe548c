package dev.courier.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Handshake;
import dev.courier.Headers;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.internal.HttpDates;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests the strategy as the pure function it is: no network, no disk, time passed in. */
class CacheStrategyTest {
  private static final String URL = "http://example.com/resource";
  /** When the stored response was received; stored responses are requested one second earlier. */
  private static final Instant RECEIVED = Instant.parse("2026-03-01T12:00:00Z");

  private static Request get(String... headers) {
    return new Request.Builder().url(URL).headers(Headers.of(headers)).build();
  }

  private static Response stored(String... headers) {
    return stored(200, get(), headers);
  }

  private static Response stored(int code, Request request, String... headers) {
    return new Response.Builder()
        .request(request)
        .protocol(Protocol.HTTP_1_1)
        .code(code)
        .message("OK")
        .headers(Headers.of(headers))
        .sentRequestAtMillis(RECEIVED.toEpochMilli() - 1000)
        .receivedResponseAtMillis(RECEIVED.toEpochMilli())
        .build();
  }

  private static String date(Duration fromReceived) {
    return HttpDates.format(RECEIVED.plus(fromReceived));
  }

  private static CacheStrategy at(Duration afterReceived, Request request, Response stored) {
    return CacheStrategy.compute(request, stored, RECEIVED.plus(afterReceived));
  }

  private static void assertServedFromCache(CacheStrategy strategy) {
    assertThat(strategy.networkRequest()).isNull();
    assertThat(strategy.cacheResponse()).isNotNull();
  }

  private static void assertConditional(CacheStrategy strategy, String header, String value) {
    assertThat(strategy.networkRequest()).isNotNull();
    assertThat(strategy.networkRequest().header(header)).isEqualTo(value);
    assertThat(strategy.cacheResponse()).isNotNull();
  }

  private static void assertNetworkOnly(CacheStrategy strategy) {
    assertThat(strategy.networkRequest()).isNotNull();
    assertThat(strategy.networkRequest().header("If-None-Match")).isNull();
    assertThat(strategy.networkRequest().header("If-Modified-Since")).isNull();
    assertThat(strategy.cacheResponse()).isNull();
  }

  @Test
  void nothingStoredGoesToTheNetwork() {
    assertNetworkOnly(at(Duration.ZERO, get(), null));
  }

  @Test
  void freshResponseIsServedWithItsAge() {
    Response stored = stored("Cache-Control", "max-age=60", "Date", date(Duration.ZERO));
    CacheStrategy strategy = at(Duration.ofSeconds(30), get(), stored);
    assertServedFromCache(strategy);
    // One second of response delay plus thirty of residence.
    assertThat(strategy.cacheResponse().header("Age")).isEqualTo("31");
    assertThat(strategy.cacheResponse().headers().values("Warning")).isEmpty();
    assertThat(strategy.usedHeuristicFreshness()).isFalse();
  }

  @Test
  void staleResponseWithETagIsRevalidatedWithIfNoneMatch() {
    Response stored = stored("Cache-Control", "max-age=60", "ETag", "\"v1\"");
    assertConditional(at(Duration.ofSeconds(61), get(), stored), "If-None-Match", "\"v1\"");
  }

  @Test
  void staleResponseWithLastModifiedIsRevalidatedWithIfModifiedSince() {
    String lastModified = date(Duration.ofDays(-1));
    Response stored = stored("Cache-Control", "max-age=60", "Last-Modified", lastModified);
    assertConditional(at(Duration.ofSeconds(61), get(), stored), "If-Modified-Since", lastModified);
  }

  @Test
  void etagIsPreferredOverLastModified() {
    Response stored = stored("Cache-Control", "max-age=0", "ETag", "\"v1\"",
        "Last-Modified", date(Duration.ofDays(-1)));
    CacheStrategy strategy = at(Duration.ofSeconds(1), get(), stored);
    assertThat(strategy.networkRequest().header("If-None-Match")).isEqualTo("\"v1\"");
    assertThat(strategy.networkRequest().header("If-Modified-Since")).isNull();
  }

  @Test
  void staleResponseWithoutValidatorIsNotUsed() {
    assertNetworkOnly(at(Duration.ofSeconds(61), get(), stored("Cache-Control", "max-age=60")));
  }

  @Test
  void expiresRelativeToDateGivesTheLifetime() {
    // The server's clock is an hour ahead of ours; only the difference Expires - Date counts.
    Response stored = stored("Date", date(Duration.ofHours(1)),
        "Expires", date(Duration.ofHours(1).plusSeconds(100)), "ETag", "\"e\"");
    assertServedFromCache(at(Duration.ofSeconds(50), get(), stored));
    assertConditional(at(Duration.ofSeconds(150), get(), stored), "If-None-Match", "\"e\"");
  }

  @Test
  void expiresIsIgnoredWhenMaxAgeIsPresent() {
    Response stored = stored("Cache-Control", "max-age=10", "Date", date(Duration.ZERO),
        "Expires", date(Duration.ofHours(1)));
    assertNetworkOnly(at(Duration.ofSeconds(20), get(), stored));
  }

  @Test
  void invalidExpiresMeansAlreadyExpired() {
    Response stored = stored("Expires", "0", "Last-Modified", date(Duration.ofDays(-30)));
    assertConditional(at(Duration.ZERO, get(), stored), "If-Modified-Since",
        date(Duration.ofDays(-30)));
  }

  @Test
  void expiresThatIsNotAnHttpDateMeansAlreadyExpired() {
    // Each is a date a lenient parser would read as an hour ahead; none is an HTTP-date.
    String inAnHour = date(Duration.ofHours(1));
    String[] invalid = {
      inAnHour.replace(" GMT", " UTC"),
      inAnHour.replace(" GMT", " AEST"),
      inAnHour.substring(0, 7) + "-" + inAnHour.substring(8, 11) + "-" + inAnHour.substring(12),
      inAnHour.replace(",", ""),
    };
    for (String expires : invalid) {
      Response stored = stored("Expires", expires, "ETag", "\"e\"", "Date", date(Duration.ZERO));
      assertConditional(at(Duration.ofSeconds(1), get(), stored), "If-None-Match", "\"e\"");
    }
    Response valid = stored("Expires", inAnHour, "ETag", "\"e\"", "Date", date(Duration.ZERO));
    assertServedFromCache(at(Duration.ofSeconds(1), get(), valid));
  }

  @Test
  void ageUsesTheFirstValueOfAListAndTheFirstOfRepeatedFields() {
    Response list = stored("Cache-Control", "max-age=60", "Age", "50, 0", "Date", date(Duration.ZERO));
    assertServedFromCache(at(Duration.ofSeconds(5), get(), list));
    assertNetworkOnly(at(Duration.ofSeconds(10), get(), list));

    Response repeated = stored("Cache-Control", "max-age=60", "Age", "50", "Age", "0",
        "Date", date(Duration.ZERO));
    assertServedFromCache(at(Duration.ofSeconds(5), get(), repeated));
    assertNetworkOnly(at(Duration.ofSeconds(10), get(), repeated));
  }

  @Test
  void ageHeaderFromUpstreamCountsAgainstTheLifetime() {
    Response stored = stored("Cache-Control", "max-age=60", "Age", "50", "Date", date(Duration.ZERO));
    // 50 s upstream + 1 s delay + 5 s here = 56 s: fresh. With 10 s here, 61 s: stale.
    assertServedFromCache(at(Duration.ofSeconds(5), get(), stored));
    assertNetworkOnly(at(Duration.ofSeconds(10), get(), stored));
  }

  @Test
  void apparentAgeFromAnOldDateCounts() {
    // Date says the response was generated 30 s before we received it.
    Response stored = stored("Cache-Control", "max-age=40", "Date", date(Duration.ofSeconds(-30)));
    assertServedFromCache(at(Duration.ofSeconds(5), get(), stored));
    assertNetworkOnly(at(Duration.ofSeconds(15), get(), stored));
  }

  @Test
  void sMaxAgeIsIgnoredByThisPrivateCache() {
    Response stored = stored("Cache-Control", "s-maxage=600", "Date", date(Duration.ZERO));
    assertNetworkOnly(at(Duration.ofSeconds(1), get(), stored));
  }

  @Test
  void heuristicFreshnessIsTenPercentOfTheTimeSinceLastModified() {
    Response stored = stored("Date", date(Duration.ZERO),
        "Last-Modified", date(Duration.ofDays(-10)));
    CacheStrategy fresh = at(Duration.ofHours(23), get(), stored);
    assertServedFromCache(fresh);
    assertThat(fresh.usedHeuristicFreshness()).isTrue();
    // Younger than a day: no warning needed.
    assertThat(fresh.cacheResponse().headers().values("Warning")).isEmpty();
    CacheStrategy stale = at(Duration.ofHours(25), get(), stored);
    assertThat(stale.networkRequest().header("If-Modified-Since")).isNotNull();
    assertThat(stale.usedHeuristicFreshness()).isTrue();
  }

  @Test
  void heuristicFreshnessOlderThanADayIsMarked() {
    Response stored = stored("Date", date(Duration.ZERO),
        "Last-Modified", date(Duration.ofDays(-100)));
    CacheStrategy strategy = at(Duration.ofDays(2), get(), stored);
    assertServedFromCache(strategy);
    assertThat(strategy.cacheResponse().headers().values("Warning"))
        .containsExactly("113 - \"Heuristic Expiration\"");
  }

  @Test
  void noHeuristicFreshnessForUrlsWithAQuery() {
    Request request = new Request.Builder().url(URL + "?q=1").build();
    Response stored = stored(200, request, "Date", date(Duration.ZERO),
        "Last-Modified", date(Duration.ofDays(-10)));
    CacheStrategy strategy = at(Duration.ofMinutes(1), request, stored);
    assertThat(strategy.networkRequest()).isNotNull();
    assertThat(strategy.usedHeuristicFreshness()).isFalse();
  }

  @Test
  void requestNoCacheRevalidatesAFreshResponse() {
    Response stored = stored("Cache-Control", "max-age=600", "ETag", "\"v\"");
    assertConditional(at(Duration.ZERO, get("Cache-Control", "no-cache"), stored),
        "If-None-Match", "\"v\"");
    assertConditional(at(Duration.ZERO, get("Pragma", "no-cache"), stored),
        "If-None-Match", "\"v\"");
  }

  @Test
  void requestNoStoreMayStillBeAnsweredFromTheCache() {
    Response stored = stored("Cache-Control", "max-age=600");
    Request request = get("Cache-Control", "no-store");
    assertServedFromCache(at(Duration.ZERO, request, stored));
    assertThat(CacheStrategy.isCacheable(stored, request)).isFalse();
  }

  @Test
  void requestMaxAgeLimitsTheAcceptedAge() {
    Response stored = stored("Cache-Control", "max-age=600", "ETag", "\"v\"");
    assertServedFromCache(at(Duration.ofSeconds(5), get("Cache-Control", "max-age=10"), stored));
    assertConditional(at(Duration.ofSeconds(30), get("Cache-Control", "max-age=10"), stored),
        "If-None-Match", "\"v\"");
  }

  @Test
  void requestMaxStaleAcceptsAStaleResponse() {
    Response stored = stored("Cache-Control", "max-age=60", "ETag", "\"v\"");
    CacheStrategy strategy = at(Duration.ofSeconds(70), get("Cache-Control", "max-stale=20"), stored);
    assertServedFromCache(strategy);
    assertThat(strategy.cacheResponse().headers().values("Warning"))
        .containsExactly("110 - \"Response is Stale\"");
    assertConditional(at(Duration.ofSeconds(90), get("Cache-Control", "max-stale=20"), stored),
        "If-None-Match", "\"v\"");
    assertServedFromCache(at(Duration.ofDays(300), get("Cache-Control", "max-stale"), stored));
  }

  @Test
  void requestMinFreshAsksForRemainingFreshness() {
    Response stored = stored("Cache-Control", "max-age=60", "ETag", "\"v\"");
    // Age 41 s: 19 s of freshness left.
    assertServedFromCache(at(Duration.ofSeconds(40), get("Cache-Control", "min-fresh=10"), stored));
    assertConditional(at(Duration.ofSeconds(40), get("Cache-Control", "min-fresh=30"), stored),
        "If-None-Match", "\"v\"");
  }

  @Test
  void onlyIfCachedWithNothingUsableIsUnsatisfiable() {
    Request request = get("Cache-Control", "only-if-cached");
    assertThat(at(Duration.ZERO, request, null).isUnsatisfiable()).isTrue();
    Response stored = stored("Cache-Control", "max-age=60", "ETag", "\"v\"");
    assertThat(at(Duration.ofSeconds(120), request, stored).isUnsatisfiable()).isTrue();
    assertServedFromCache(at(Duration.ofSeconds(10), request, stored));
    assertServedFromCache(at(Duration.ofSeconds(120), get("Cache-Control", "only-if-cached, max-stale"), stored));
  }

  @Test
  void responseNoCacheIsRevalidatedEvenWhenFresh() {
    Response stored = stored("Cache-Control", "no-cache, max-age=600", "ETag", "\"v\"");
    assertConditional(at(Duration.ZERO, get(), stored), "If-None-Match", "\"v\"");
    assertConditional(at(Duration.ofSeconds(700), get("Cache-Control", "max-stale"), stored),
        "If-None-Match", "\"v\"");
  }

  @Test
  void mustRevalidateIgnoresMaxStale() {
    Response stored = stored("Cache-Control", "max-age=60, must-revalidate", "ETag", "\"v\"");
    assertServedFromCache(at(Duration.ofSeconds(10), get(), stored));
    assertConditional(at(Duration.ofSeconds(70), get("Cache-Control", "max-stale=600"), stored),
        "If-None-Match", "\"v\"");
  }

  @Test
  void privateResponsesAreStoredByThisPrivateCache() {
    Response stored = stored("Cache-Control", "private, max-age=60");
    assertThat(CacheStrategy.isCacheable(stored, get())).isTrue();
    assertServedFromCache(at(Duration.ofSeconds(10), get(), stored));
  }

  @Test
  void immutableFreshResponseIsNotRevalidatedOnReload() {
    Response stored = stored("Cache-Control", "max-age=600, immutable", "ETag", "\"v\"");
    assertServedFromCache(at(Duration.ofSeconds(10), get("Cache-Control", "max-age=0"), stored));
    // A forced reload still validates, and so does a stale immutable response.
    assertConditional(at(Duration.ofSeconds(10), get("Cache-Control", "no-cache"), stored),
        "If-None-Match", "\"v\"");
    assertConditional(at(Duration.ofSeconds(700), get(), stored), "If-None-Match", "\"v\"");
  }

  @Test
  void staleWhileRevalidateServesStaleAndAsksForABackgroundRevalidation() {
    Response stored = stored("Cache-Control", "max-age=60, stale-while-revalidate=30", "ETag", "\"v\"");
    CacheStrategy within = at(Duration.ofSeconds(80), get(), stored);
    assertServedFromCache(within);
    assertThat(within.cacheResponse().headers().values("Warning"))
        .containsExactly("110 - \"Response is Stale\"");
    assertThat(within.backgroundRevalidationRequest().header("If-None-Match")).isEqualTo("\"v\"");

    CacheStrategy beyond = at(Duration.ofSeconds(100), get(), stored);
    assertConditional(beyond, "If-None-Match", "\"v\"");
    assertThat(beyond.backgroundRevalidationRequest()).isNull();

    CacheStrategy fresh = at(Duration.ofSeconds(10), get(), stored);
    assertThat(fresh.backgroundRevalidationRequest()).isNull();
  }

  @Test
  void staleWhileRevalidateStartsNoRevalidationForOnlyIfCached() {
    Response stored = stored("Cache-Control", "max-age=60, stale-while-revalidate=30", "ETag", "\"v\"");
    CacheStrategy strategy = at(Duration.ofSeconds(80), get("Cache-Control", "only-if-cached"), stored);
    assertServedFromCache(strategy);
    assertThat(strategy.backgroundRevalidationRequest()).isNull();
  }

  @Test
  void staleWhileRevalidateYieldsToMustRevalidateAndToRequestDirectives() {
    Response mustRevalidate = stored("Cache-Control",
        "max-age=60, stale-while-revalidate=30, must-revalidate", "ETag", "\"v\"");
    assertConditional(at(Duration.ofSeconds(80), get(), mustRevalidate), "If-None-Match", "\"v\"");
    Response stored = stored("Cache-Control", "max-age=60, stale-while-revalidate=30", "ETag", "\"v\"");
    assertConditional(at(Duration.ofSeconds(80), get("Cache-Control", "max-age=70"), stored),
        "If-None-Match", "\"v\"");
  }

  @Test
  void revalidationStrategySendsTheConditionalRequestInsteadOfServingStale() {
    Response stored = stored("Cache-Control", "max-age=60, stale-while-revalidate=30", "ETag", "\"v\"");
    CacheStrategy strategy =
        CacheStrategy.computeRevalidation(get(), stored, RECEIVED.plusSeconds(80));
    assertConditional(strategy, "If-None-Match", "\"v\"");
  }

  @Test
  void staleIfErrorOffersTheStaleResponseWithinItsWindow() {
    Response stored = stored("Cache-Control", "max-age=60, stale-if-error=100", "ETag", "\"v\"");
    CacheStrategy within = at(Duration.ofSeconds(120), get(), stored);
    assertConditional(within, "If-None-Match", "\"v\"");
    assertThat(within.staleIfErrorResponse()).isNotNull();
    assertThat(within.staleIfErrorResponse().headers().values("Warning"))
        .containsExactly("110 - \"Response is Stale\"");
    assertThat(at(Duration.ofSeconds(200), get(), stored).staleIfErrorResponse()).isNull();

    // Without a validator the request is unconditional, but the fallback remains.
    Response noValidator = stored("Cache-Control", "max-age=60, stale-if-error=100");
    CacheStrategy unconditional = at(Duration.ofSeconds(120), get(), noValidator);
    assertNetworkOnly(unconditional);
    assertThat(unconditional.staleIfErrorResponse()).isNotNull();
  }

  @Test
  void requestStaleIfErrorOverridesTheResponses() {
    Response stored = stored("Cache-Control", "max-age=60", "ETag", "\"v\"");
    assertThat(at(Duration.ofSeconds(120), get("Cache-Control", "stale-if-error=600"), stored)
        .staleIfErrorResponse()).isNotNull();
    assertThat(at(Duration.ofSeconds(120), get(), stored).staleIfErrorResponse()).isNull();
    Response mustRevalidate = stored("Cache-Control", "max-age=60, must-revalidate, stale-if-error=600");
    assertThat(at(Duration.ofSeconds(120), get(), mustRevalidate).staleIfErrorResponse()).isNull();
  }

  @Test
  void callerValidationBypassesTheCache() {
    Response stored = stored("Cache-Control", "max-age=600", "ETag", "\"v\"");
    CacheStrategy strategy = at(Duration.ZERO, get("If-None-Match", "\"mine\""), stored);
    assertThat(strategy.cacheResponse()).isNull();
    assertThat(strategy.networkRequest().header("If-None-Match")).isEqualTo("\"mine\"");
  }

  @Test
  void rangeRequestsBypassTheCache() {
    Response stored = stored("Cache-Control", "max-age=600");
    assertNetworkOnly(at(Duration.ZERO, get("Range", "bytes=0-10"), stored));
  }

  @Test
  void headIsServedFromAStoredGet() {
    Request head = new Request.Builder().url(URL).head().build();
    Response stored = stored("Cache-Control", "max-age=600");
    assertServedFromCache(at(Duration.ZERO, head, stored));
  }

  @Test
  void httpsResponseStoredWithoutHandshakeIsNotUsed() {
    Request request = new Request.Builder().url("https://example.com/").build();
    Response withoutHandshake = stored(200, request, "Cache-Control", "max-age=600");
    assertNetworkOnly(at(Duration.ZERO, request, withoutHandshake));
    Response withHandshake = withoutHandshake.newBuilder()
        .handshake(new Handshake("TLSv1.3", "TLS_AES_128_GCM_SHA256", List.of(), List.of()))
        .build();
    assertServedFromCache(at(Duration.ZERO, request, withHandshake));
  }

  @Test
  void cacheableStatusCodes() {
    for (int code : new int[] {200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501}) {
      assertThat(CacheStrategy.isCacheable(stored(code, get()), get())).as("%s", code).isTrue();
    }
    for (int code : new int[] {201, 302, 303, 307, 400, 403, 500, 502, 503}) {
      assertThat(CacheStrategy.isCacheable(stored(code, get()), get())).as("%s", code).isFalse();
    }
    assertThat(CacheStrategy.isCacheable(stored(302, get(), "Cache-Control", "max-age=60"), get()))
        .isTrue();
    assertThat(CacheStrategy.isCacheable(stored(307, get(), "Expires", date(Duration.ofHours(1))),
        get())).isTrue();
  }

  @Test
  void partialAndNotModifiedResponsesAreNeverStored() {
    assertThat(CacheStrategy.isCacheable(stored(206, get(), "Cache-Control", "max-age=60"), get()))
        .isFalse();
    assertThat(CacheStrategy.isCacheable(stored(304, get(), "Cache-Control", "max-age=60"), get()))
        .isFalse();
  }

  @Test
  void noStoreAndVaryStarAreNeverStored() {
    assertThat(CacheStrategy.isCacheable(stored("Cache-Control", "no-store, max-age=60"), get()))
        .isFalse();
    assertThat(CacheStrategy.isCacheable(stored("Vary", "Accept, *"), get())).isFalse();
    assertThat(CacheStrategy.isCacheable(stored("Vary", "Accept"), get())).isTrue();
  }

  @Test
  void authorizedResponsesAreStoredOnlyWhenTheResponseAllowsIt() {
    Request authorized = get("Authorization", "Bearer secret");
    assertThat(CacheStrategy.isCacheable(stored("Cache-Control", "max-age=60"), authorized)).isFalse();
    for (String allowing : new String[] {"public", "private", "must-revalidate", "s-maxage=60"}) {
      assertThat(CacheStrategy.isCacheable(stored("Cache-Control", allowing + ", max-age=60"),
          authorized)).as(allowing).isTrue();
    }
  }

  @Test
  void onlyGetResponsesAreStored() {
    Request post = new Request.Builder().url(URL)
        .post(RequestBody.create("x", null)).build();
    assertThat(CacheStrategy.isCacheable(stored("Cache-Control", "max-age=60"), post)).isFalse();
    assertNetworkOnly(at(Duration.ZERO, post, stored("Cache-Control", "max-age=60")));
  }
}
