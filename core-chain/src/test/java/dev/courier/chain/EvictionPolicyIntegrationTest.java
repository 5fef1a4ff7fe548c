package dev.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Request;
import dev.courier.Response;
import dev.courier.pool.ConnectionPool;
import dev.courier.pool.MaxUsesEvictionPolicy;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the pool's eviction policies under a real client against a real server. */
@Timeout(30)
class EvictionPolicyIntegrationTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension();

  private final TestServer server = new TestServer();

  @BeforeEach
  void startServer() throws IOException {
    server.dispatcher(request -> ScriptedResponse.builder().body("hello").build());
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private static void get(CourierClient client, String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("hello");
    }
  }

  @Test
  void aConnectionCarriesExactlyMaxUsesExchangesThenANewOneIsOpened() throws Exception {
    try (CourierClient client = CourierClient.builder()
        .connectionPool(new ConnectionPool(new MaxUsesEvictionPolicy(2)))
        .build()) {
      for (int i = 0; i < 5; i++) {
        get(client, server.url("/" + i));
      }

      assertThat(server.requestCount()).isEqualTo(5);
      assertThat(server.connectionCount()).isEqualTo(3); // 2 + 2 + 1 exchanges.
      assertThat(client.connectionPool().connectionCount()).isEqualTo(1);
    }
  }
}
