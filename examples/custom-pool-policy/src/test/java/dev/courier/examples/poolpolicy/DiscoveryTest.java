package dev.courier.examples.poolpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.pool.ConnectionPool;
import dev.courier.spi.ProviderSettings;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Shows that the policy is used with no application change: the application below only builds a
 * client, as it would without this module on its class path.
 */
class DiscoveryTest {
  private final TestServer server = new TestServer();

  @BeforeEach
  void startServer() throws Exception {
    server.dispatcher(request -> ScriptedResponse.builder().body("hello").build());
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void aPoolCreatedWithoutAPolicyUsesTheDiscoveredOne() {
    assertThat(new ConnectionPool().policy()).isInstanceOf(RotatingEvictionPolicy.class);
  }

  @Test
  void aClientBuiltAsUsualPoolsItsConnectionsUnderThePolicy() throws Exception {
    try (CourierClient client = CourierClient.builder().build()) {
      for (int i = 0; i < 2; i++) {
        try (Response response = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
          assertThat(response.body().string()).isEqualTo("hello");
        }
      }

      assertThat(client.connectionPool().policy()).isInstanceOf(RotatingEvictionPolicy.class);
      assertThat(client.connectionPool().idleConnectionCount()).isEqualTo(1);
      assertThat(server.connectionCount()).isEqualTo(1); // The policy kept the connection for reuse.
    }
  }

  @Test
  void thePolicyIsChosenByNameAndConfiguredOnTheBuilderAndBySystemProperty() {
    String property = ProviderSettings.SYSTEM_PROPERTY_PREFIX + "rotating.idleTimeout";
    System.setProperty(property, "45s"); // As -Dcourier.provider.rotating.idleTimeout=45s would.
    try {
      // snippet: policy-configure
      CourierClient client = CourierClient.builder()
          .evictionPolicyName("rotating")
          .providerSetting("rotating", "maxLifetime", "2m")
          .build();
      // end snippet
      try (client) {
        RotatingEvictionPolicy policy = (RotatingEvictionPolicy) client.connectionPool().policy();
        assertThat(policy.maxLifetimeNanos()).isEqualTo(TimeUnit.MINUTES.toNanos(2));
        assertThat(policy.idleTimeoutNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(45));
        assertThat(client.chosenProviders()).containsEntry("EvictionPolicyProvider", "rotating");
      }
    } finally {
      System.clearProperty(property);
    }
  }
}
