package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Request;
import dev.courier.Response;
import dev.courier.cache.Cache;
import dev.courier.chain.CourierClient;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the recipes of {@link BodyRecipes} against a local server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BodyRecipesTest {
  @TempDir Path directory;
  private TestServer server;
  private final CourierClient client = new CourierClient();

  @BeforeEach
  void setUp() {
    server = new TestServer();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void postFormSendsTheEncodedFields() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("found").build());
    server.start();
    assertThat(new BodyRecipes(client).postForm(server.url("/search"))).isEqualTo("found");
    RecordedRequest request = server.takeRequest();
    assertThat(request.bodyUtf8()).isEqualTo("search=Jurassic+Park&year=1993");
    assertThat(request.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
  }

  @Test
  void postMultipartUploadsTheFile() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 1, 2};
    Path file = directory.resolve("logo.png");
    Files.write(file, png);
    server.enqueue(ScriptedResponse.builder().body("stored").build());
    server.start();
    assertThat(new BodyRecipes(client).postMultipart(server.url("/upload"), file.toFile())).isEqualTo("stored");

    RecordedRequest request = server.takeRequest();
    String contentType = request.header("Content-Type");
    assertThat(contentType).startsWith("multipart/form-data; boundary=");
    String boundary = contentType.substring("multipart/form-data; boundary=".length());
    String expected = "--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
        + "Courier logo\r\n"
        + "--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"image\"; filename=\"logo.png\"\r\n"
        + "Content-Type: image/png\r\n\r\n"
        + new String(png, StandardCharsets.ISO_8859_1) + "\r\n"
        + "--" + boundary + "--\r\n";
    assertThat(new String(request.body(), StandardCharsets.ISO_8859_1)).isEqualTo(expected);
    assertThat(request.header("Content-Length")).isEqualTo(String.valueOf(expected.length()));
  }

  @Test
  void peekBodyLogsAPrefixAndTheBodyStaysWhole() throws Exception {
    String content = "x".repeat(64) + " and the rest";
    server.enqueue(ScriptedResponse.builder().body(content).build());
    server.start();
    List<String> log = new CopyOnWriteArrayList<>();
    assertThat(new BodyRecipes(client).peekBody(server.url("/"), log)).isEqualTo(content);
    assertThat(log).containsExactly("200 " + "x".repeat(64));
  }

  @Test
  void basicAuthenticationAnswersOnceAndGivesUpOnRefusal() throws Exception {
    server.dispatcher(request -> "Basic YW5uOnMzY3JldA==".equals(request.header("Authorization"))
        ? ScriptedResponse.builder().body("welcome").build()
        : ScriptedResponse.builder().status(401).header("WWW-Authenticate", "Basic realm=\"r\"").build());
    server.start();
    assertThat(new Recipes(BodyRecipes.basicAuthentication("ann", "s3cret")).synchronousGet(server.url("/")))
        .isEqualTo("welcome");
    try (Response refused = BodyRecipes.basicAuthentication("ann", "wrong")
        .newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(refused.code()).isEqualTo(401);
    }
    assertThat(server.requestCount()).isEqualTo(4);
  }

  @Test
  void cacheControlGoesOnTheWireAndSteersTheCache() throws Exception {
    server.dispatcher(request -> ScriptedResponse.builder().header("Cache-Control", "max-age=60")
        .body("copy " + request.sequenceNumber()).build());
    server.start();
    List<Request> requests = BodyRecipes.cacheControl(server.url("/c"));
    Request refresh = requests.get(0);
    Request patient = requests.get(1);
    assertThat(patient.cacheControl().maxStaleSeconds()).isEqualTo(3600);

    try (CourierClient caching = CourierClient.builder().cache(new Cache(directory.toFile(), 1024 * 1024)).build()) {
      String stored;
      try (Response response = caching.newCall(patient).execute()) {
        stored = response.body().string();
      }
      try (Response response = caching.newCall(patient).execute()) {
        assertThat(response.body().string()).isEqualTo(stored);
        assertThat(response.networkResponse()).isNull();
      }
      try (Response response = caching.newCall(refresh).execute()) {
        assertThat(response.networkResponse()).isNotNull();
      }
    }
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(server.takeRequest().header("Cache-Control")).isEqualTo("max-stale=3600");
    assertThat(server.takeRequest().header("Cache-Control")).isEqualTo("no-cache");
  }

  @Test
  void recipesAreOnThePage() throws IOException {
    assertThat(RecipesTest.recipesInSource()).containsKeys(
        "post-form", "post-multipart", "peek-body", "basic-authentication", "cache-control");
  }
}
