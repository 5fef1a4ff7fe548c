package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.cache.Cache;
import dev.courier.chain.CourierClient;
import dev.courier.pool.ConnectionPool;
import dev.courier.pool.PerAddressIdleEvictionPolicy;
import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.ProviderLoader;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the code the README and docs show, so that they stay true. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadmeExamplesTest {
  @TempDir Path directory;

  @Test
  void usageExample() throws IOException {
    try (TestServer server = new TestServer()) {
      server.enqueue(ScriptedResponse.builder().body("[]").build());
      server.start();
      CourierClient client = new CourierClient();
      Request request = new Request.Builder()
          .url(server.url("/things?page=1"))
          .header("Accept", "application/json")
          .build();
      try (Response response = client.newCall(request).execute()) {
        assertThat(response.protocol()).isEqualTo(Protocol.HTTP_1_1);
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.body().string()).isEqualTo("[]");
      }
    }
  }

  @Test
  void defaultProtocolsOfferHttp2FirstWhenItsCodecIsOnTheClassPath() {
    assertThat(new CourierClient().protocols()).containsExactly(Protocol.HTTP_2, Protocol.HTTP_1_1);
    List<String> names = ProviderLoader.load(ProtocolConnectionProvider.class).stream()
        .map(ProtocolConnectionProvider::name).toList();
    assertThat(names).contains("courier-http1", "courier-http2");
  }

  @Test
  void h2cExample() throws IOException {
    try (TestServer server = new TestServer()) {
      server.protocols(List.of("h2c"));
      server.enqueue(ScriptedResponse.builder().body("ok").build());
      server.start();
      CourierClient h2c = CourierClient.builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();
      try (Response response = h2c.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
        assertThat(response.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
      }
    }
  }

  @Test
  void swappingTheEvictionPolicy() {
    ConnectionPool pool = new ConnectionPool(new PerAddressIdleEvictionPolicy(2, 30, TimeUnit.SECONDS));
    CourierClient client = CourierClient.builder().connectionPool(pool).build();
    assertThat(client.connectionPool()).isSameAs(pool);
    assertThat(pool.policy().idleOrder()).isEqualTo(EvictionPolicy.IdleOrder.LIFO);
    List<String> policies = ProviderLoader.load(EvictionPolicyProvider.class).stream()
        .map(EvictionPolicyProvider::name).toList();
    assertThat(policies).contains("idle-time", "per-address");
  }

  @Test
  void cacheExample() throws IOException {
    try (Cache cache = new Cache(new File(directory.toFile(), "http-cache"), 50L * 1024 * 1024)) {
      CourierClient client = CourierClient.builder().cache(cache).build();
      assertThat(client.cache()).isSameAs(cache);
    }
  }
}
