package dev.courier.examples.customcodec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.spi.Provider;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.ProviderLoader;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shows that a discovered HTTP/1.0 codec never downgrades a client on its own: without a choice the
 * built-in HTTP/1.1 codec serves, and choosing it on the builder is one line.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http10NotChosenTest {
  private final TestServer server = new TestServer();

  @BeforeEach
  void setUp() throws IOException {
    server.enqueue(ScriptedResponse.builder().body("hello").build());
    server.start();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void discoveredButNotChosenCodecLeavesTheBuiltInHttp11CodecServing() throws Exception {
    assertThat(System.getProperty("dev.courier.spi.ProtocolConnectionProvider")).isNull();
    assertThat(ProviderLoader.load(ProtocolConnectionProvider.class))
        .extracting(Provider::name)
        .contains(Http10ConnectionProvider.NAME, "courier-http1");

    try (CourierClient client = new CourierClient();
        Response response = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("hello");
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_1_1);
      assertThat(client.chosenProviders()).containsEntry("ProtocolConnectionProvider http/1.1", "courier-http1");
    }
    assertThat(server.takeRequest().version()).isEqualTo("HTTP/1.1");
  }

  @Test
  void codecChosenOnTheBuilderServesHttp11Connections() throws Exception {
    // snippet: codec-choose-on-builder
    CourierClient client = CourierClient.builder()
        .protocolProvider(Protocol.HTTP_1_1, "example-http10") // Or Protocol.HTTP_1_0: the same.
        .build();
    // end snippet
    try (client; Response response = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("hello");
      assertThat(client.chosenProviders())
          .containsEntry("ProtocolConnectionProvider http/1.1", Http10ConnectionProvider.NAME);
    }
    assertThat(server.takeRequest().version()).isEqualTo("HTTP/1.0");
  }
}
