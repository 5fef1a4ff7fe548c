package dev.courier.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.cache.Cache;
import dev.courier.cache.RecordingEventListener;
import dev.courier.cache.TestClock;
import dev.courier.chain.CourierClient;
import dev.courier.internal.HttpDates;
import dev.courier.testing.Fault;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every caching rule end to end: a client with the cache in its slot against the scripted
 * test server, with the cache's clock moved by the test instead of waiting.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CacheInterceptorTest {
  @TempDir Path directory;
  private final TestClock clock = new TestClock();
  private final RecordingEventListener events = new RecordingEventListener();
  private final List<Runnable> background = new ArrayList<>();
  private TestServer server;
  private Cache cache;
  private CourierClient client;

  @BeforeEach
  void setUp() throws IOException {
    server = new TestServer();
    server.start();
    cache = Cache.builder(directory.toFile(), 10L << 20)
        .clock(clock)
        .backgroundExecutor(background::add)
        .build();
    client = CourierClient.builder().cache(cache).eventListener(events).build();
  }

  @AfterEach
  void tearDown() throws IOException {
    cache.close();
    server.close();
    client.connectionPool().evictAll();
  }

  private Response get(String path, String... headers) throws IOException {
    Request.Builder request = new Request.Builder().url(server.url(path));
    for (int i = 0; i < headers.length; i += 2) request.addHeader(headers[i], headers[i + 1]);
    return client.newCall(request.build()).execute();
  }

  private String getBody(String path, String... headers) throws IOException {
    try (Response response = get(path, headers)) {
      return response.body().string();
    }
  }

  private static ScriptedResponse.Builder ok(String body, String... headers) {
    ScriptedResponse.Builder builder = ScriptedResponse.builder().body(body);
    for (int i = 0; i < headers.length; i += 2) builder.header(headers[i], headers[i + 1]);
    return builder;
  }

  private String now(Duration offset) {
    return HttpDates.format(clock.instant().plus(offset));
  }

  @Test
  void freshResponseIsServedWithoutTheNetwork() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=60").build());

    try (Response first = get("/a")) {
      assertThat(first.body().string()).isEqualTo("A");
      assertThat(first.networkResponse()).isNotNull();
      assertThat(first.cacheResponse()).isNull();
    }
    assertThat(events.takeEvents()).containsExactly("CacheMiss");
    clock.advance(Duration.ofSeconds(30));
    try (Response second = get("/a")) {
      assertThat(second.body().string()).isEqualTo("A");
      assertThat(second.cacheResponse()).isNotNull();
      assertThat(second.networkResponse()).isNull();
      assertThat(second.header("Age")).isEqualTo("30");
    }
    assertThat(events.takeEvents()).containsExactly("CacheHit");
    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(cache.requestCount()).isEqualTo(2);
    assertThat(cache.networkCount()).isEqualTo(1);
    assertThat(cache.hitCount()).isEqualTo(1);
    assertThat(cache.writeSuccessCount()).isEqualTo(1);
  }

  @Test
  void staleResponseIsRevalidatedWithETagAndA304ServesTheStoredBody() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=10", "ETag", "\"v1\"", "X-Version", "1").build());
    server.enqueue(ScriptedResponse.builder().status(304)
        .header("Cache-Control", "max-age=60").header("X-Version", "2").build());
    assertThat(getBody("/a")).isEqualTo("A");
    events.takeEvents();
    clock.advance(Duration.ofSeconds(20));

    try (Response validated = get("/a")) {
      assertThat(validated.code()).isEqualTo(200);
      assertThat(validated.body().string()).isEqualTo("A");
      assertThat(validated.header("X-Version")).isEqualTo("2");
      assertThat(validated.header("ETag")).isEqualTo("\"v1\"");
      assertThat(validated.cacheResponse()).isNotNull();
      assertThat(validated.cacheResponse().header("X-Version")).isEqualTo("1");
      assertThat(validated.networkResponse()).isNotNull();
      assertThat(validated.networkResponse().code()).isEqualTo(304);
    }
    assertThat(events.takeEvents()).containsExactly("CacheConditionalHit");
    server.takeRequest();
    assertThat(server.takeRequest().header("If-None-Match")).isEqualTo("\"v1\"");

    // The 304's max-age was stored: the response is fresh again.
    clock.advance(Duration.ofSeconds(30));
    try (Response cached = get("/a")) {
      assertThat(cached.body().string()).isEqualTo("A");
      assertThat(cached.header("X-Version")).isEqualTo("2");
      assertThat(cached.networkResponse()).isNull();
    }
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(cache.hitCount()).isEqualTo(2);
  }

  @Test
  void lastModifiedIsRevalidatedWithIfModifiedSince() throws Exception {
    String lastModified = now(Duration.ofHours(-1));
    server.enqueue(ok("A", "Cache-Control", "max-age=0", "Last-Modified", lastModified).build());
    server.enqueue(ScriptedResponse.builder().status(304).build());
    assertThat(getBody("/a")).isEqualTo("A");
    assertThat(getBody("/a")).isEqualTo("A");
    server.takeRequest();
    assertThat(server.takeRequest().header("If-Modified-Since")).isEqualTo(lastModified);
  }

  @Test
  void changedResponseReplacesTheStoredOne() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=10", "ETag", "\"v1\"").build());
    server.enqueue(ok("B", "Cache-Control", "max-age=10", "ETag", "\"v2\"").build());
    assertThat(getBody("/a")).isEqualTo("A");
    clock.advance(Duration.ofSeconds(20));
    events.takeEvents();

    try (Response changed = get("/a")) {
      assertThat(changed.body().string()).isEqualTo("B");
      assertThat(changed.networkResponse()).isNotNull();
      assertThat(changed.cacheResponse()).isNotNull();
    }
    assertThat(events.takeEvents()).containsExactly("CacheMiss");
    assertThat(getBody("/a")).isEqualTo("B");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void expiresHeaderGivesFreshness() throws Exception {
    server.enqueue(ok("A", "Date", now(Duration.ZERO), "Expires", now(Duration.ofMinutes(1))).build());
    server.enqueue(ok("B").build());
    assertThat(getBody("/a")).isEqualTo("A");
    clock.advance(Duration.ofSeconds(59));
    assertThat(getBody("/a")).isEqualTo("A");
    clock.advance(Duration.ofSeconds(2));
    assertThat(getBody("/a")).isEqualTo("B");
  }

  @Test
  void dateAndAgeFromTheServerCount() throws Exception {
    // The response was already 50 s old when it arrived.
    server.enqueue(ok("A", "Cache-Control", "max-age=60", "Age", "50", "Date", now(Duration.ZERO)).build());
    server.enqueue(ok("B").build());
    assertThat(getBody("/a")).isEqualTo("A");
    clock.advance(Duration.ofSeconds(5));
    assertThat(getBody("/a")).isEqualTo("A");
    clock.advance(Duration.ofSeconds(10));
    assertThat(getBody("/a")).isEqualTo("B");
  }

  @Test
  void revalidatedResponseIsNotAgedByTheOldAgeAndDate() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=60", "Age", "50", "Date", now(Duration.ZERO),
        "ETag", "\"v\"").build());
    assertThat(getBody("/a")).isEqualTo("A");
    clock.advance(Duration.ofSeconds(20));
    server.enqueue(ScriptedResponse.builder().status(304).build());
    assertThat(getBody("/a")).isEqualTo("A");
    // Just validated: fresh for another minute.
    clock.advance(Duration.ofSeconds(50));
    assertThat(getBody("/a")).isEqualTo("A");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void heuristicFreshnessFromLastModified() throws Exception {
    server.enqueue(ok("A", "Date", now(Duration.ZERO), "Last-Modified", now(Duration.ofDays(-100))).build());
    server.enqueue(ok("B").build());
    assertThat(getBody("/a")).isEqualTo("A");
    clock.advance(Duration.ofDays(2));
    try (Response cached = get("/a")) {
      assertThat(cached.body().string()).isEqualTo("A");
      assertThat(cached.headers().values("Warning")).containsExactly("113 - \"Heuristic Expiration\"");
    }
    clock.advance(Duration.ofDays(9));
    assertThat(getBody("/a")).isEqualTo("B");
  }

  @Test
  void noHeuristicFreshnessWithAQuery() throws Exception {
    server.enqueue(ok("A", "Date", now(Duration.ZERO), "Last-Modified", now(Duration.ofDays(-100))).build());
    server.enqueue(ScriptedResponse.builder().status(304).build());
    assertThat(getBody("/a?q=1")).isEqualTo("A");
    assertThat(getBody("/a?q=1")).isEqualTo("A");
    server.takeRequest();
    assertThat(server.takeRequest().header("If-Modified-Since")).isNotNull();
  }

  @Test
  void responseNoStoreIsNotStored() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "no-store, max-age=60").build());
    server.enqueue(ok("B", "Cache-Control", "max-age=60").build());
    assertThat(getBody("/a")).isEqualTo("A");
    assertThat(getBody("/a")).isEqualTo("B");
    assertThat(cache.entryCount()).isEqualTo(1);
  }

  @Test
  void requestNoStoreDoesNotStoreTheResponse() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=60").build());
    server.enqueue(ok("B", "Cache-Control", "max-age=60").build());
    assertThat(getBody("/a", "Cache-Control", "no-store")).isEqualTo("A");
    assertThat(getBody("/a")).isEqualTo("B");
    assertThat(getBody("/a", "Cache-Control", "no-store")).isEqualTo("B");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void responseNoCacheIsValidatedOnEveryUse() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "no-cache", "ETag", "\"v\"").build());
    server.enqueue(ScriptedResponse.builder().status(304).build());
    server.enqueue(ScriptedResponse.builder().status(304).build());
    assertThat(getBody("/a")).isEqualTo("A");
    assertThat(getBody("/a")).isEqualTo("A");
    assertThat(getBody("/a")).isEqualTo("A");
    assertThat(server.requestCount()).isEqualTo(3);
    server.takeRequest();
    assertThat(server.takeRequest().header("If-None-Match")).isEqualTo("\"v\"");
    assertThat(server.takeRequest().header("If-None-Match")).isEqualTo("\"v\"");
  }

  @Test
  void requestNoCacheValidatesAFreshResponse() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=600", "ETag", "\"v\"").build());
    server.enqueue(ScriptedResponse.builder().status(304).build());
    assertThat(getBody("/a")).isEqualTo("A");
    assertThat(getBody("/a", "Cache-Control", "no-cache")).isEqualTo("A");
    server.takeRequest();
    assertThat(server.takeRequest().header("If-None-Match")).isEqualTo("\"v\"");
  }

  @Test
  void requestMaxAgeMaxStaleAndMinFresh() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=60").build());
    server.enqueue(ok("B", "Cache-Control", "max-age=60").build());
    server.enqueue(ok("C", "Cache-Control", "max-age=60").build());
    assertThat(getBody("/a")).isEqualTo("A");
    clock.advance(Duration.ofSeconds(30));
    assertThat(getBody("/a", "Cache-Control", "max-age=40")).isEqualTo("A");
    assertThat(getBody("/a", "Cache-Control", "min-fresh=20")).isEqualTo("A");
    clock.advance(Duration.ofSeconds(40)); // 70 s old: stale by 10 s.
    try (Response stale = get("/a", "Cache-Control", "max-stale=20")) {
      assertThat(stale.body().string()).isEqualTo("A");
      assertThat(stale.headers().values("Warning")).containsExactly("110 - \"Response is Stale\"");
    }
    assertThat(getBody("/a", "Cache-Control", "max-stale=5")).isEqualTo("B");
    clock.advance(Duration.ofSeconds(30));
    assertThat(getBody("/a", "Cache-Control", "max-age=20")).isEqualTo("C");
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void onlyIfCachedWithoutAStoredResponseIsA504() throws Exception {
    try (Response response = get("/a", "Cache-Control", "only-if-cached")) {
      assertThat(response.code()).isEqualTo(504);
      assertThat(response.message()).isEqualTo("Unsatisfiable Request (only-if-cached)");
      assertThat(response.protocol()).isEqualTo(dev.courier.Protocol.HTTP_1_1);
      assertThat(response.body().string()).isEmpty();
      assertThat(response.cacheResponse()).isNull();
      assertThat(response.networkResponse()).isNull();
    }
    assertThat(events.takeEvents()).containsExactly("SatisfactionFailure");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void onlyIfCachedServesAFreshStoredResponse() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=60").build());
    assertThat(getBody("/a")).isEqualTo("A");
    assertThat(getBody("/a", "Cache-Control", "only-if-cached")).isEqualTo("A");
    clock.advance(Duration.ofMinutes(2));
    try (Response response = get("/a", "Cache-Control", "only-if-cached")) {
      assertThat(response.code()).isEqualTo(504);
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void mustRevalidateStaleResponseIsNeverServedStale() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=10, must-revalidate").build());
    server.enqueue(ok("B").build());
    assertThat(getBody("/a")).isEqualTo("A");
    clock.advance(Duration.ofSeconds(20));
    assertThat(getBody("/a", "Cache-Control", "max-stale=600")).isEqualTo("B");
  }

  @Test
  void privateResponseIsStored() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "private, max-age=60").build());
    assertThat(getBody("/a")).isEqualTo("A");
    assertThat(getBody("/a")).isEqualTo("A");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void sMaxAgeIsIgnored() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "s-maxage=600").build());
    server.enqueue(ok("B").build());
    assertThat(getBody("/a")).isEqualTo("A");
    clock.advance(Duration.ofSeconds(1));
    assertThat(getBody("/a")).isEqualTo("B");
  }

  @Test
  void immutableResponseIsNotRevalidatedOnReload() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=600, immutable", "ETag", "\"v\"").build());
    assertThat(getBody("/a")).isEqualTo("A");
    clock.advance(Duration.ofSeconds(10));
    assertThat(getBody("/a", "Cache-Control", "max-age=0")).isEqualTo("A");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void staleWhileRevalidateServesStaleAndRevalidatesInTheBackground() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=10, stale-while-revalidate=60", "ETag", "\"v1\"").build());
    server.enqueue(ScriptedResponse.builder().status(304)
        .header("Cache-Control", "max-age=100, stale-while-revalidate=60").build());
    assertThat(getBody("/a")).isEqualTo("A");
    clock.advance(Duration.ofSeconds(20));
    events.takeEvents();

    try (Response stale = get("/a")) {
      assertThat(stale.body().string()).isEqualTo("A");
      assertThat(stale.networkResponse()).isNull();
      assertThat(stale.headers().values("Warning")).containsExactly("110 - \"Response is Stale\"");
    }
    assertThat(events.takeEvents()).containsExactly("CacheHit");
    assertThat(server.requestCount()).isEqualTo(1);
    // A second stale hit does not queue a second revalidation.
    assertThat(getBody("/a")).isEqualTo("A");
    assertThat(background).hasSize(1);

    background.remove(0).run();
    server.takeRequest();
    assertThat(server.takeRequest().header("If-None-Match")).isEqualTo("\"v1\"");
    assertThat(events.takeEvents()).containsExactly("CacheHit", "CacheConditionalHit");

    // The 304 refreshed the entry.
    try (Response fresh = get("/a")) {
      assertThat(fresh.body().string()).isEqualTo("A");
      assertThat(fresh.headers().values("Warning")).isEmpty();
    }
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(background).isEmpty();
  }

  @Test
  void staleWhileRevalidateBeyondItsWindowRevalidatesInline() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=10, stale-while-revalidate=5", "ETag", "\"v1\"").build());
    server.enqueue(ok("B").build());
    assertThat(getBody("/a")).isEqualTo("A");
    clock.advance(Duration.ofSeconds(20));
    assertThat(getBody("/a")).isEqualTo("B");
    assertThat(background).isEmpty();
  }

  @Test
  void staleIfErrorServesTheStaleResponseOnAServerError() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=10, stale-if-error=60", "ETag", "\"v1\"").build());
    server.enqueue(ScriptedResponse.builder().status(503).body("down").build());
    server.enqueue(ScriptedResponse.builder().status(503).body("down").build());
    assertThat(getBody("/a")).isEqualTo("A");
    clock.advance(Duration.ofSeconds(20));
    events.takeEvents();
    try (Response stale = get("/a")) {
      assertThat(stale.code()).isEqualTo(200);
      assertThat(stale.body().string()).isEqualTo("A");
      assertThat(stale.cacheResponse()).isNotNull();
    }
    assertThat(events.takeEvents()).containsExactly("CacheHit");
    clock.advance(Duration.ofSeconds(60));
    try (Response error = get("/a")) {
      assertThat(error.code()).isEqualTo(503);
      assertThat(error.body().string()).isEqualTo("down");
    }
  }

  @Test
  void staleIfErrorServesTheStaleResponseWhenTheServerIsUnreachable() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=10", "ETag", "\"v1\"").build());
    assertThat(getBody("/a")).isEqualTo("A");
    server.close();
    clock.advance(Duration.ofSeconds(20));
    assertThat(getBody("/a", "Cache-Control", "stale-if-error=60")).isEqualTo("A");
  }

  @Test
  void staleIfErrorAfterTheConnectionDroppedReleasesThatConnection() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=10, stale-if-error=60").build());
    server.enqueue(ScriptedResponse.builder().fault(Fault.CLOSE_AFTER_REQUEST).build());
    server.enqueue(ok("B", "Cache-Control", "no-store").build());
    assertThat(getBody("/a")).isEqualTo("A");
    clock.advance(Duration.ofSeconds(20));

    try (Response stale = get("/a")) {
      assertThat(stale.body().string()).isEqualTo("A");
      assertThat(stale.cacheResponse()).isNotNull();
    }
    // The dropped connection is closed and gone from the pool, and the call holds nothing: the
    // next call to the same origin gets a fresh connection and completes.
    assertThat(client.connectionPool().connectionCount())
        .isEqualTo(client.connectionPool().idleConnectionCount());
    assertThat(getBody("/b")).isEqualTo("B");
    assertThat(client.connectionPool().connectionCount())
        .isEqualTo(client.connectionPool().idleConnectionCount());
  }

  @Test
  void varyMatchesStoredRequestHeaders() throws Exception {
    server.enqueue(ok("english", "Cache-Control", "max-age=60", "Vary", "Accept-Language").build());
    server.enqueue(ok("french", "Cache-Control", "max-age=60", "Vary", "Accept-Language").build());
    assertThat(getBody("/a", "Accept-Language", "en")).isEqualTo("english");
    assertThat(getBody("/a", "Accept-Language", "en")).isEqualTo("english");
    assertThat(getBody("/a", "Accept-Language", "fr")).isEqualTo("french");
    assertThat(getBody("/a", "Accept-Language", "fr")).isEqualTo("french");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void varyStarIsNeverStored() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=60", "Vary", "*").build());
    server.enqueue(ok("B", "Cache-Control", "max-age=60", "Vary", "*").build());
    assertThat(getBody("/a")).isEqualTo("A");
    assertThat(getBody("/a")).isEqualTo("B");
  }

  @Test
  void headIsServedFromAStoredGet() throws Exception {
    server.enqueue(ok("ABC", "Cache-Control", "max-age=60", "X-Kind", "stored").build());
    assertThat(getBody("/a")).isEqualTo("ABC");
    Request head = new Request.Builder().url(server.url("/a")).head().build();
    try (Response response = client.newCall(head).execute()) {
      assertThat(response.header("X-Kind")).isEqualTo("stored");
      assertThat(response.cacheResponse()).isNotNull();
      assertThat(response.body().bytes()).isEmpty();
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void unsafeMethodsInvalidateTheUrlAndSameOriginLocations() throws Exception {
    for (String path : new String[] {"/a", "/b", "/c"}) {
      server.enqueue(ok(path + "1", "Cache-Control", "max-age=600").build());
      assertThat(getBody(path)).isEqualTo(path + "1");
    }
    server.enqueue(ok("posted", "Location", "/b", "Content-Location", server.url("/c")).build());
    Request post = new Request.Builder().url(server.url("/a"))
        .post(RequestBody.create("x", null)).build();
    try (Response response = client.newCall(post).execute()) {
      assertThat(response.body().string()).isEqualTo("posted");
    }
    for (String path : new String[] {"/a", "/b", "/c"}) {
      server.enqueue(ok(path + "2", "Cache-Control", "max-age=600").build());
      assertThat(getBody(path)).isEqualTo(path + "2");
    }
  }

  @Test
  void everyUnsafeMethodInvalidates() throws Exception {
    for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE", "PURGE"}) {
      server.enqueue(ok(method + " before", "Cache-Control", "max-age=600").build());
      assertThat(getBody("/a")).isEqualTo(method + " before");
      assertThat(getBody("/a")).isEqualTo(method + " before");
      server.enqueue(ok("done").build());
      RequestBody body = method.equals("DELETE") || method.equals("PURGE")
          ? null
          : RequestBody.create("x", null);
      Request unsafe = new Request.Builder().url(server.url("/a")).method(method, body).build();
      client.newCall(unsafe).execute().close();
      server.enqueue(ok(method + " after", "Cache-Control", "max-age=600").build());
      assertThat(getBody("/a")).as(method).isEqualTo(method + " after");
      cache.evictAll();
    }
  }

  @Test
  void unsafeMethodsDoNotInvalidateOtherOrigins() throws Exception {
    server.enqueue(ok("b1", "Cache-Control", "max-age=600").build());
    assertThat(getBody("/b")).isEqualTo("b1");
    String otherOrigin = server.url("/b").replace("127.0.0.1", "localhost");
    server.enqueue(ok("deleted", "Location", otherOrigin).build());
    Request delete = new Request.Builder().url(server.url("/a")).delete().build();
    client.newCall(delete).execute().close();
    assertThat(getBody("/b")).isEqualTo("b1");
  }

  @Test
  void failedUnsafeRequestDoesNotInvalidate() throws Exception {
    server.enqueue(ok("a1", "Cache-Control", "max-age=600").build());
    assertThat(getBody("/a")).isEqualTo("a1");
    server.enqueue(ScriptedResponse.builder().status(500).body("no").build());
    Request put = new Request.Builder().url(server.url("/a")).put(RequestBody.create("x", null)).build();
    client.newCall(put).execute().close();
    assertThat(getBody("/a")).isEqualTo("a1");
  }

  @Test
  void authorizationRequestsAreStoredOnlyWhenTheResponseAllows() throws Exception {
    server.enqueue(ok("secret1", "Cache-Control", "max-age=60").build());
    server.enqueue(ok("secret2", "Cache-Control", "max-age=60, public").build());
    assertThat(getBody("/a", "Authorization", "Bearer t")).isEqualTo("secret1");
    assertThat(getBody("/a", "Authorization", "Bearer t")).isEqualTo("secret2");
    assertThat(getBody("/a", "Authorization", "Bearer t")).isEqualTo("secret2");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void partialContentIsNeverStored() throws Exception {
    server.enqueue(ScriptedResponse.builder().status(206).header("Cache-Control", "max-age=60")
        .header("Content-Range", "bytes 0-2/10").body("ABC").build());
    server.enqueue(ok("ABCDEFGHIJ", "Cache-Control", "max-age=60").build());
    assertThat(getBody("/a", "Range", "bytes=0-2")).isEqualTo("ABC");
    assertThat(getBody("/a")).isEqualTo("ABCDEFGHIJ");
    assertThat(getBody("/a")).isEqualTo("ABCDEFGHIJ");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void cacheableStatusCodesAreStoredAndOthersOnlyWithExplicitFreshness() throws Exception {
    server.enqueue(ScriptedResponse.builder().status(404).header("Cache-Control", "max-age=60")
        .body("missing").build());
    server.enqueue(ScriptedResponse.builder().status(500).body("error1").build());
    server.enqueue(ScriptedResponse.builder().status(500).body("error2").build());
    assertThat(getBody("/missing")).isEqualTo("missing");
    assertThat(getBody("/missing")).isEqualTo("missing");
    assertThat(getBody("/error")).isEqualTo("error1");
    assertThat(getBody("/error")).isEqualTo("error2");
  }

  @Test
  void gzipResponseIsStoredEncodedAndServedDecoded() throws Exception {
    String text = "hello hello hello hello hello hello hello";
    server.enqueue(ScriptedResponse.builder()
        .header("Cache-Control", "max-age=60")
        .header("Content-Encoding", "gzip")
        .header("Content-Type", "text/plain")
        .body(gzip(text))
        .build());
    try (Response first = get("/g")) {
      assertThat(first.body().string()).isEqualTo(text);
      assertThat(first.header("Content-Encoding")).isNull();
    }
    assertThat(server.takeRequest().header("Accept-Encoding")).isEqualTo("gzip");
    try (Response second = get("/g")) {
      assertThat(second.body().string()).isEqualTo(text);
      assertThat(second.header("Content-Encoding")).isNull();
      assertThat(second.cacheResponse().header("Content-Encoding")).isEqualTo("gzip");
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void bodyClosedBeforeItsEndIsNotStored() throws Exception {
    byte[] large = new byte[256 * 1024];
    server.enqueue(ScriptedResponse.builder().header("Cache-Control", "max-age=60").body(large).build());
    server.enqueue(ok("second", "Cache-Control", "max-age=60").build());
    try (Response response = get("/a")) {
      BufferedSource source = response.body().source();
      source.require(10);
      source.skip(10);
    }
    assertThat(cache.writeAbortCount()).isEqualTo(1);
    assertThat(cache.entryCount()).isZero();
    assertThat(getBody("/a")).isEqualTo("second");
  }

  @Test
  void chunkedBodyIsStoredOnceReadToItsEnd() throws Exception {
    server.enqueue(ScriptedResponse.builder().header("Cache-Control", "max-age=60")
        .chunkedBody("chunked body, stored whole", 5).build());
    assertThat(getBody("/a")).isEqualTo("chunked body, stored whole");
    try (Response cached = get("/a")) {
      assertThat(cached.body().string()).isEqualTo("chunked body, stored whole");
      assertThat(cached.header("Transfer-Encoding")).isNull();
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void callerValidatorsBypassTheCache() throws Exception {
    server.enqueue(ok("A", "Cache-Control", "max-age=60", "ETag", "\"v\"").build());
    server.enqueue(ScriptedResponse.builder().status(304).build());
    assertThat(getBody("/a")).isEqualTo("A");
    try (Response response = get("/a", "If-None-Match", "\"v\"")) {
      assertThat(response.code()).isEqualTo(304);
    }
    RecordedRequest first = server.takeRequest();
    assertThat(first.header("If-None-Match")).isNull();
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
