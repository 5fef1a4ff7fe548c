package dev.courier.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.testing.ExternalProcess;
import dev.courier.testing.NginxProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the cache against nginx serving static files: {@code expires}, revalidation by ETag and by
 * Last-Modified, {@code no-store}, {@code no-cache}, and gzip. The cache's clock is moved by the
 * test; nginx's {@code Date} is real time, which the test clock starts from. Skipped where nginx
 * is not installed; CI installs it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NginxCacheInteropTest {
  @TempDir static Path serverDirectory;
  static NginxProcess nginx;
  static int port;
  static String text;

  @TempDir Path cacheDirectory;
  private TestClock clock;
  private Cache cache;
  private CourierClient client;

  @BeforeAll
  static void startNginx() throws IOException {
    ExternalProcess.assumeInstalled("nginx");
    Path www = Files.createDirectories(serverDirectory.resolve("www"));
    for (String location : new String[] {"expires", "lastmod", "nostore", "nocache", "gzip"}) {
      Files.createDirectories(www.resolve(location));
      Files.writeString(www.resolve(location).resolve("file.txt"), "served by nginx from /" + location + "\n");
    }
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      big.append("line ").append(i).append(" of a text that nginx compresses\n");
    }
    text = big.toString();
    Files.writeString(www.resolve("gzip").resolve("big.txt"), text);
    port = ExternalProcess.freePort();
    nginx = NginxProcess.start(serverDirectory, String.join("\n",
        "  server {",
        "    listen 127.0.0.1:" + port + ";",
        "    root " + www + ";",
        "    location /expires/ { expires 60s; }",
        "    location /lastmod/ { etag off; expires 10s; }",
        "    location /nostore/ { add_header Cache-Control no-store; }",
        "    location /nocache/ { add_header Cache-Control no-cache; }",
        "    location /gzip/ {",
        "      expires 60s;",
        "      gzip on;",
        "      gzip_min_length 1;",
        "      gzip_types text/plain;",
        "    }",
        "  }"), port);
  }

  @AfterAll
  static void stopNginx() {
    if (nginx != null) nginx.close();
  }

  @BeforeEach
  void setUp() {
    clock = new TestClock();
    cache = Cache.builder(cacheDirectory.toFile(), 10L << 20).clock(clock).build();
    client = CourierClient.builder().cache(cache).build();
  }

  @AfterEach
  void tearDown() throws IOException {
    cache.close();
    client.connectionPool().evictAll();
  }

  private Response get(String path) throws IOException {
    return client.newCall(new Request.Builder().url("http://127.0.0.1:" + port + path).build())
        .execute();
  }

  @Test
  void expiresIsServedFromTheCacheThenRevalidatedByETag() throws IOException {
    try (Response first = get("/expires/file.txt")) {
      assertThat(first.body().string()).isEqualTo("served by nginx from /expires\n");
      assertThat(first.header("Cache-Control")).isEqualTo("max-age=60");
      assertThat(first.header("ETag")).isNotNull();
    }
    clock.advance(Duration.ofSeconds(30));
    try (Response cached = get("/expires/file.txt")) {
      assertThat(cached.body().string()).isEqualTo("served by nginx from /expires\n");
      assertThat(cached.networkResponse()).isNull();
      assertThat(cached.cacheResponse()).isNotNull();
    }
    clock.advance(Duration.ofSeconds(40));
    try (Response validated = get("/expires/file.txt")) {
      assertThat(validated.code()).isEqualTo(200);
      assertThat(validated.body().string()).isEqualTo("served by nginx from /expires\n");
      assertThat(validated.networkResponse().code()).isEqualTo(304);
      assertThat(validated.networkResponse().request().header("If-None-Match")).isNotNull();
      assertThat(validated.cacheResponse()).isNotNull();
    }
    assertThat(cache.networkCount()).isEqualTo(2);
    assertThat(cache.hitCount()).isEqualTo(2);
  }

  @Test
  void lastModifiedIsRevalidatedWithIfModifiedSince() throws IOException {
    String lastModified;
    try (Response first = get("/lastmod/file.txt")) {
      assertThat(first.body().string()).isEqualTo("served by nginx from /lastmod\n");
      assertThat(first.header("ETag")).isNull();
      lastModified = first.header("Last-Modified");
      assertThat(lastModified).isNotNull();
    }
    clock.advance(Duration.ofSeconds(20));
    try (Response validated = get("/lastmod/file.txt")) {
      assertThat(validated.body().string()).isEqualTo("served by nginx from /lastmod\n");
      assertThat(validated.networkResponse().code()).isEqualTo(304);
      assertThat(validated.networkResponse().request().header("If-Modified-Since"))
          .isEqualTo(lastModified);
    }
  }

  @Test
  void noStoreIsNeverStored() throws IOException {
    for (int i = 0; i < 2; i++) {
      try (Response response = get("/nostore/file.txt")) {
        assertThat(response.body().string()).isEqualTo("served by nginx from /nostore\n");
        assertThat(response.cacheResponse()).isNull();
        assertThat(response.networkResponse().code()).isEqualTo(200);
      }
    }
    assertThat(cache.entryCount()).isZero();
    assertThat(cache.networkCount()).isEqualTo(2);
  }

  @Test
  void noCacheIsRevalidatedOnEveryUse() throws IOException {
    try (Response first = get("/nocache/file.txt")) {
      assertThat(first.body().string()).isEqualTo("served by nginx from /nocache\n");
    }
    for (int i = 0; i < 2; i++) {
      try (Response validated = get("/nocache/file.txt")) {
        assertThat(validated.body().string()).isEqualTo("served by nginx from /nocache\n");
        assertThat(validated.networkResponse().code()).isEqualTo(304);
        assertThat(validated.cacheResponse()).isNotNull();
      }
    }
    assertThat(cache.networkCount()).isEqualTo(3);
  }

  @Test
  void gzipResponseIsCachedAndServedDecoded() throws IOException {
    try (Response first = get("/gzip/big.txt")) {
      assertThat(first.body().string()).isEqualTo(text);
      assertThat(first.networkResponse().header("Content-Encoding")).isEqualTo("gzip");
    }
    try (Response cached = get("/gzip/big.txt")) {
      assertThat(cached.body().string()).isEqualTo(text);
      assertThat(cached.header("Content-Encoding")).isNull();
      assertThat(cached.networkResponse()).isNull();
      assertThat(cached.cacheResponse().header("Content-Encoding")).isEqualTo("gzip");
    }
    // The stored gzip bytes are much smaller than the text.
    assertThat(cache.size()).isLessThan(text.length() / 4);

    clock.advance(Duration.ofSeconds(90));
    try (Response validated = get("/gzip/big.txt")) {
      assertThat(validated.body().string()).isEqualTo(text);
      assertThat(validated.networkResponse().code()).isEqualTo(304);
    }
  }
}
