package dev.courier.examples;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.jackson.JacksonBodies;
import dev.courier.logging.HttpLoggingInterceptor;
import dev.courier.spring.CourierClientHttpRequestFactory;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.web.client.RestClient;

/**
 * The recipes of docs/recipes.md that use Courier's integration modules: courier-jackson,
 * courier-logging and courier-spring. Each recipe stands between a {@code // recipe:} line and a
 * {@code // end} line; IntegrationRecipesTest runs them and RecipesTest checks the page shows them.
 */
final class IntegrationRecipes {
  /** What the JSON recipe sends. */
  record Search(String query, int limit) {}

  /** What the JSON recipe receives. */
  record Contributor(String login, int contributions) {}

  private final CourierClient client;

  IntegrationRecipes(CourierClient client) {
    this.client = client;
  }

  List<Contributor> jsonWithJackson(String url, ObjectMapper mapper) throws IOException {
    // recipe: json-with-jackson
    JacksonBodies json = JacksonBodies.create(mapper); // the application's mapper, with its modules
    Request request = new Request.Builder()
        .url(url)
        .post(json.requestBody(new Search("courier", 10))) // serialized as it is sent
        .build();
    try (Response response = client.newCall(request).execute()) {
      if (!response.isSuccessful()) throw new IOException("Unexpected code " + response);
      // Parsed as it streams in; a malformed or mismatched body throws JsonBodyException.
      return json.read(response, new TypeReference<List<Contributor>>() {});
    }
    // end
  }

  String loggingInterceptor(String url, Consumer<String> sink) throws IOException {
    // recipe: logging-interceptor
    HttpLoggingInterceptor logging = HttpLoggingInterceptor.builder()
        .level(HttpLoggingInterceptor.Level.BODY) // NONE, BASIC, HEADERS or BODY
        .maxBodyBytes(16 * 1024) // longer bodies are summarised, never held whole
        .sink(sink) // default: the System.Logger "dev.courier.logging.HttpLoggingInterceptor"
        .build();
    CourierClient logged = client.newBuilder()
        .addNetworkInterceptor(logging) // or addInterceptor: once per call, before redirects
        .build();
    Request request = new Request.Builder().url(url).header("Authorization", "Bearer s3cr3t").build();
    try (Response response = logged.newCall(request).execute()) {
      return response.body().string(); // Authorization and cookies show as <redacted>
    }
    // end
  }

  String springRestClient(String baseUrl) {
    // recipe: spring-rest-client
    RestClient restClient = RestClient.builder()
        .requestFactory(new CourierClientHttpRequestFactory(client))
        .baseUrl(baseUrl)
        .build();
    // RestTemplate takes the same factory: new RestTemplate(new CourierClientHttpRequestFactory(client)).
    return restClient.get().uri("/greeting").retrieve().body(String.class);
    // end
  }
}
