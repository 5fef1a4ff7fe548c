package dev.courier.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Call;
import dev.courier.EventListener;
import dev.courier.HttpUrl;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CacheTest {
  @RegisterExtension
  static final ThreadLeakExtension threads = new ThreadLeakExtension("Courier cache");

  @TempDir Path temp;
  private File directory;
  private TestServer server;
  private Cache cache;
  private CourierClient client;

  @BeforeEach
  void setUp() throws IOException {
    directory = temp.resolve("http-cache").toFile();
    server = new TestServer();
    server.start();
    cache = new Cache(directory, 1 << 20);
    client = CourierClient.builder().cache(cache).build();
  }

  @AfterEach
  void tearDown() throws IOException {
    cache.close();
    server.close();
    client.connectionPool().evictAll();
  }

  private String get(CourierClient client, String path) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(server.url(path)).build())
        .execute()) {
      return response.body().string();
    }
  }

  private void store(String path, String body) throws IOException {
    server.enqueue(ScriptedResponse.builder().header("Cache-Control", "max-age=600").body(body).build());
    assertThat(get(client, path)).isEqualTo(body);
  }

  @Test
  void constructorDoesNoIo() throws IOException {
    Cache unused = new Cache(temp.resolve("never-created").toFile(), 100);
    assertThat(temp.resolve("never-created")).doesNotExist();
    unused.close();
  }

  @Test
  void rejectsANonPositiveSize() {
    assertThatThrownBy(() -> new Cache(directory, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxSizeBytes <= 0: 0");
  }

  @Test
  void reportsSizeAndCounts() throws IOException {
    assertThat(cache.maxSize()).isEqualTo(1 << 20);
    assertThat(cache.directory()).isEqualTo(directory);
    assertThat(cache.size()).isZero();
    store("/a", "0123456789");
    assertThat(cache.entryCount()).isEqualTo(1);
    // The body plus its JSON metadata.
    assertThat(cache.size()).isGreaterThan(10);
  }

  @Test
  void storedResponsesSurviveReopening() throws IOException {
    store("/a", "persistent");
    cache.close();

    Cache reopened = new Cache(directory, 1 << 20);
    CourierClient other = client.newBuilder().cache(reopened).build();
    try {
      assertThat(get(other, "/a")).isEqualTo("persistent");
      assertThat(server.requestCount()).isEqualTo(1);
      assertThat(reopened.hitCount()).isEqualTo(1);
    } finally {
      reopened.close();
    }
  }

  @Test
  void urlsIteratesAndRemoves() throws IOException {
    store("/a", "A");
    store("/b", "B");
    store("/c", "C");
    List<String> urls = new ArrayList<>();
    for (Iterator<String> i = cache.urls(); i.hasNext(); ) {
      String url = i.next();
      urls.add(url);
      if (url.endsWith("/b")) i.remove();
    }
    assertThat(urls).containsExactly(server.url("/a"), server.url("/b"), server.url("/c"));
    assertThat(cache.entryCount()).isEqualTo(2);
    server.enqueue(ScriptedResponse.builder().body("B2").build());
    assertThat(get(client, "/b")).isEqualTo("B2");
  }

  @Test
  void removeByUrl() throws IOException {
    store("/a", "A");
    assertThat(cache.remove(HttpUrl.parse(server.url("/a")))).isTrue();
    assertThat(cache.remove(HttpUrl.parse(server.url("/a")))).isFalse();
    server.enqueue(ScriptedResponse.builder().body("A2").build());
    assertThat(get(client, "/a")).isEqualTo("A2");
  }

  @Test
  void evictAllEmptiesTheCache() throws IOException {
    store("/a", "A");
    store("/b", "B");
    cache.evictAll();
    assertThat(cache.entryCount()).isZero();
    assertThat(cache.size()).isZero();
  }

  @Test
  void keyIsTheSha256OfTheUrl() {
    assertThat(Cache.key(HttpUrl.parse("https://example.com/")))
        .isEqualTo("0f115db062b7c0dd030b16878c99dea5c354b49dc37b38eb8846179c7783e9d7");
  }

  @Test
  void closedCacheLetsCallsThroughUncached() throws IOException {
    store("/a", "A");
    cache.close();
    assertThat(cache.isClosed()).isTrue();
    server.enqueue(ScriptedResponse.builder().body("network").build());
    assertThat(get(client, "/a")).isEqualTo("network");
    assertThatThrownBy(() -> cache.evictAll()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void deleteRemovesTheFiles() throws IOException {
    store("/a", "A");
    assertThat(directory).isDirectory();
    cache.delete();
    assertThat(directory).doesNotExist();
  }

  @Test
  void secondCacheOnTheSameDirectoryIsRefused() throws IOException {
    cache.initialize();
    Cache second = new Cache(directory, 1 << 20);
    try {
      assertThatThrownBy(second::initialize)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("is in use by another cache");
      // Its calls still work, uncached.
      CourierClient other = client.newBuilder().cache(second).build();
      server.enqueue(ScriptedResponse.builder().body("X").build());
      assertThat(get(other, "/x")).isEqualTo("X");
    } finally {
      second.close();
    }
  }

  @Test
  void flushWritesTheJournal() throws IOException {
    store("/a", "A");
    cache.flush();
    assertThat(Files.size(directory.toPath().resolve("journal"))).isPositive();
  }

  @Test
  void backgroundRevalidationRunsOnTheCachesOwnThreadUntilClosed() throws Exception {
    CountDownLatch revalidated = new CountDownLatch(1);
    EventListener listener = new EventListener() {
      @Override
      public void cacheConditionalHit(Call call, Response cachedResponse) {
        revalidated.countDown();
      }
    };
    TestClock clock = new TestClock();
    cache.close();
    cache = Cache.builder(directory, 1 << 20).clock(clock).build();
    CourierClient swrClient = client.newBuilder().cache(cache).eventListener(listener).build();
    server.enqueue(ScriptedResponse.builder()
        .header("Cache-Control", "max-age=10, stale-while-revalidate=60")
        .header("ETag", "\"v1\"")
        .body("A").build());
    server.enqueue(ScriptedResponse.builder().status(304).header("Cache-Control", "max-age=600").build());

    assertThat(get(swrClient, "/a")).isEqualTo("A");
    clock.advance(Duration.ofSeconds(20));
    assertThat(get(swrClient, "/a")).isEqualTo("A");
    server.takeRequest();
    assertThat(server.takeRequest().header("If-None-Match")).isEqualTo("\"v1\"");
    assertThat(revalidated.await(10, TimeUnit.SECONDS)).isTrue();
    // Closing stops the revalidation thread; the extension fails the test if it lingers.
  }

  @Test
  void httpsResponseIsStoredWithItsHandshake() throws Exception {
    TestCertificateAuthority authority = TestCertificateAuthority.create("Cache Test CA");
    IssuedCertificate certificate = authority.issue("localhost");
    try (TestServer tls = new TestServer()) {
      tls.useHttps(authority.serverContext(certificate));
      tls.hostName("localhost");
      tls.start();
      tls.enqueue(ScriptedResponse.builder().header("Cache-Control", "max-age=600").body("secure").build());
      CourierClient httpsClient = client.newBuilder()
          .sslSocketFactory(authority.clientSocketFactory(), authority.trustManager())
          .build();
      Request request = new Request.Builder().url(tls.url("/s")).build();
      try (Response network = httpsClient.newCall(request).execute()) {
        assertThat(network.body().string()).isEqualTo("secure");
      }
      cache.close();

      Cache reopened = new Cache(directory, 1 << 20);
      try {
        CourierClient cached = httpsClient.newBuilder().cache(reopened).build();
        try (Response response = cached.newCall(request).execute()) {
          assertThat(response.body().string()).isEqualTo("secure");
          assertThat(response.cacheResponse()).isNotNull();
          assertThat(response.handshake()).isNotNull();
          assertThat(response.handshake().peerCertificates().get(0)).isEqualTo(certificate.certificate());
        }
        assertThat(tls.requestCount()).isEqualTo(1);
      } finally {
        reopened.close();
        httpsClient.connectionPool().evictAll();
      }
    }
  }
}
