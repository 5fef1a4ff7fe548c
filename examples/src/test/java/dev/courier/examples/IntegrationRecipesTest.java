package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.courier.chain.CourierClient;
import dev.courier.examples.IntegrationRecipes.Contributor;
import dev.courier.jackson.JsonBodyException;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the recipes of IntegrationRecipes against a local server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IntegrationRecipesTest {
  private final TestServer server = new TestServer();
  private final CourierClient client = new CourierClient();

  @BeforeEach
  void setUp() throws IOException {
    server.start();
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  @Test
  void jsonWithJacksonSendsAndReadsWithTheGivenMapper() throws Exception {
    server.enqueue(ScriptedResponse.builder().header("Content-Type", "application/json")
        .body("[{\"login\":\"ann\",\"contributions\":12},{\"login\":\"bo\",\"contributions\":3}]").build());
    ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE);
    server.enqueue(ScriptedResponse.builder().header("Content-Type", "application/json")
        .body("[{\"Login\":\"cy\",\"Contributions\":1}]").build());
    server.enqueue(ScriptedResponse.builder().header("Content-Type", "application/json").body("{\"login\":").build());
    server.enqueue(ScriptedResponse.builder().status(500).build());
    IntegrationRecipes recipes = new IntegrationRecipes(client);

    assertThat(recipes.jsonWithJackson(server.url("/search"), new ObjectMapper()))
        .containsExactly(new Contributor("ann", 12), new Contributor("bo", 3));
    assertThat(recipes.jsonWithJackson(server.url("/search"), mapper)).containsExactly(new Contributor("cy", 1));
    assertThatThrownBy(() -> recipes.jsonWithJackson(server.url("/broken"), new ObjectMapper()))
        .isInstanceOf(JsonBodyException.class).hasMessageContaining(server.url("/broken"));
    assertThatThrownBy(() -> recipes.jsonWithJackson(server.url("/down"), new ObjectMapper()))
        .isInstanceOf(IOException.class).hasMessageStartingWith("Unexpected code");

    RecordedRequest first = server.takeRequest();
    assertThat(first.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(first.bodyUtf8()).isEqualTo("{\"query\":\"courier\",\"limit\":10}");
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("{\"Query\":\"courier\",\"Limit\":10}");
  }

  @Test
  void loggingInterceptorLogsTheBodyAndRedactsCredentials() throws Exception {
    server.enqueue(ScriptedResponse.builder().header("Content-Type", "text/plain").body("logged body").build());
    List<String> log = new CopyOnWriteArrayList<>();

    assertThat(new IntegrationRecipes(client).loggingInterceptor(server.url("/"), log::add)).isEqualTo("logged body");

    assertThat(log).contains("Authorization: <redacted>", "logged body", "<-- END HTTP (11-byte body)");
    assertThat(String.join("\n", log)).doesNotContain("s3cr3t");
    assertThat(log.get(0)).isEqualTo("--> GET " + server.url("/") + " http/1.1");
    assertThat(server.takeRequest().header("Authorization")).isEqualTo("Bearer s3cr3t");
  }

  @Test
  void springRestClientRunsOnCourier() throws Exception {
    server.enqueue(ScriptedResponse.builder().header("Content-Type", "text/plain").body("hello from courier").build());

    assertThat(new IntegrationRecipes(client).springRestClient(server.url(""))).isEqualTo("hello from courier");
    assertThat(server.takeRequest().path()).isEqualTo("/greeting");
  }
}
