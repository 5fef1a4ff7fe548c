package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.CertificatePinner;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs every recipe of docs/recipes.md against a local server, and checks the page shows it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecipesTest {
  @TempDir Path directory;
  private TestServer server;
  private final CourierClient client = new CourierClient();

  @BeforeEach
  void setUp() throws IOException {
    server = new TestServer();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void pageShowsExactlyTheCodeThatRuns() throws IOException {
    Map<String, String> recipes = recipesInSource();
    String page = Files.readString(Path.of("..", "docs", "recipes.md"));
    assertThat(DocSnippets.markersOnPage(page, "recipe")).containsExactlyElementsOf(recipes.keySet());
    for (Map.Entry<String, String> recipe : recipes.entrySet()) {
      assertThat(page).as(recipe.getKey())
          .contains(DocSnippets.shownOnPage("recipe", recipe.getKey(), recipe.getValue()));
    }
  }

  /**
   * The classes whose recipes docs/recipes.md shows, in the order the page shows them. A class
   * added here keeps its recipes beside the code they need; its recipes follow those of the class
   * before it on the page.
   */
  static final List<String> RECIPE_SOURCES = List.of(
      "Recipes.java", "IntegrationRecipes.java", "TlsRecipes.java", "BodyRecipes.java");

  /** Returns each recipe's code, by name, dedented, in page order. */
  static Map<String, String> recipesInSource() throws IOException {
    Map<String, String> recipes = new LinkedHashMap<>();
    for (String source : RECIPE_SOURCES) {
      Path file = Path.of("src", "main", "java", "dev", "courier", "examples", source);
      for (Map.Entry<String, String> recipe : DocSnippets.inSource(file, "recipe", "// end").entrySet()) {
        if (recipes.put(recipe.getKey(), recipe.getValue()) != null) {
          throw new IllegalStateException(file + ": recipe '" + recipe.getKey() + "' is also in another class");
        }
      }
    }
    return recipes;
  }

  @Test
  void synchronousAndAsynchronousGet() throws Exception {
    server.dispatcher(request -> ScriptedResponse.builder().body("hello " + request.path()).build());
    server.start();
    Recipes recipes = new Recipes(client);
    assertThat(recipes.synchronousGet(server.url("/sync"))).isEqualTo("hello /sync");
    assertThat(recipes.asynchronousGet(server.url("/async")).get(10, TimeUnit.SECONDS))
        .isEqualTo("hello /async");
  }

  @Test
  void headersGoOutAndComeBack() throws Exception {
    server.enqueue(ScriptedResponse.builder().header("Server", "test").header("Vary", "Accept")
        .header("Vary", "Accept-Encoding").build());
    server.start();
    assertThat(new Recipes(client).headers(server.url("/"))).containsExactly("test", "Accept,Accept-Encoding");
    RecordedRequest request = server.takeRequest();
    assertThat(request.header("User-Agent")).isEqualTo("recipes/1.0");
    assertThat(request.headerValues("Accept"))
        .containsExactly("application/json; q=0.5", "application/vnd.github.v3+json");
  }

  @Test
  void postsAStringAStreamAndAFile() throws Exception {
    server.dispatcher(request -> ScriptedResponse.builder()
        .body(request.header("Content-Type") + "|" + request.bodyUtf8()).build());
    server.start();
    Recipes recipes = new Recipes(client);
    assertThat(recipes.postString(server.url("/")))
        .isEqualTo("text/x-markdown; charset=utf-8|Releases\n--------\n\n * _1.0_ May 6, 2026\n");
    assertThat(recipes.postStream(server.url("/"))).startsWith("text/plain; charset=utf-8|2\n3\n5\n7\n11\n")
        .endsWith("991\n997\n");
    Path file = directory.resolve("notes.txt");
    Files.writeString(file, "from a file");
    assertThat(recipes.postFile(server.url("/"), file.toFile())).isEqualTo("text/plain; charset=utf-8|from a file");
  }

  @Test
  void timeoutsPerCallAndConfigurationPerCall() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("in time").build());
    server.enqueue(ScriptedResponse.builder().body("patient").build());
    server.start();
    Recipes recipes = new Recipes(client);
    assertThat(recipes.perCallTimeout(server.url("/"))).isEqualTo("in time");
    assertThat(recipes.perCallConfiguration(server.url("/"))).isEqualTo("patient");
  }

  @Test
  void cancelEndsABlockedCall() throws Exception {
    server.enqueue(ScriptedResponse.builder().headersDelay(30, TimeUnit.SECONDS).build());
    server.start();
    IOException failure = new Recipes(client).cancel(server.url("/slow"));
    assertThat(failure).isNotNull().hasMessageContaining("anceled");
  }

  @Test
  void cachingServesTheSecondCallFromDisk() throws Exception {
    server.enqueue(ScriptedResponse.builder().header("Cache-Control", "max-age=60").body("cached").build());
    server.start();
    CourierClient caching = Recipes.caching(directory.toFile());
    Recipes recipes = new Recipes(caching);
    assertThat(recipes.synchronousGet(server.url("/c"))).isEqualTo("cached");
    assertThat(recipes.synchronousGet(server.url("/c"))).isEqualTo("cached");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void serverAuthenticationAnswersAChallengeOnce() throws Exception {
    server.dispatcher(request -> request.header("Authorization") == null
        ? ScriptedResponse.builder().status(401).header("WWW-Authenticate", "Basic realm=\"r\"").build()
        : request.header("Authorization").equals("Basic YW5uOnMzY3JldA==")
            ? ScriptedResponse.builder().body("welcome").build()
            : ScriptedResponse.builder().status(401).header("WWW-Authenticate", "Basic realm=\"r\"").build());
    server.start();
    assertThat(new Recipes(Recipes.serverAuthentication("ann", "s3cret")).synchronousGet(server.url("/")))
        .isEqualTo("welcome");
    try (Response refused = Recipes.serverAuthentication("ann", "wrong")
        .newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(refused.code()).isEqualTo(401);
    }
    assertThat(server.requestCount()).isEqualTo(4);
  }

  @Test
  void proxyAuthenticationAnswersA407() throws Exception {
    // The test server stands in for an HTTP proxy: plain http requests go to it in absolute form.
    server.dispatcher(request -> request.header("Proxy-Authorization") == null
        ? ScriptedResponse.builder().status(407).header("Proxy-Authenticate", "Basic realm=\"p\"").build()
        : ScriptedResponse.builder().body("via proxy to " + request.target()).build());
    server.start();
    CourierClient proxied = Recipes.proxyAuthentication(
        new InetSocketAddress("127.0.0.1", server.port()), "ann", "s3cret");
    assertThat(new Recipes(proxied).synchronousGet("http://origin.example/page"))
        .isEqualTo("via proxy to http://origin.example/page");
  }

  @Test
  void interceptorsAndEventListener() throws Exception {
    server.dispatcher(request -> ScriptedResponse.builder()
        .body(String.valueOf(request.header("X-Request-Source"))).build());
    server.start();
    List<String> log = new CopyOnWriteArrayList<>();
    assertThat(new Recipes(Recipes.interceptors(log)).synchronousGet(server.url("/i"))).isEqualTo("recipes");
    assertThat(log).singleElement().asString().startsWith(server.url("/i") + " over http/1.1 in ");

    List<String> events = new CopyOnWriteArrayList<>();
    new Recipes(Recipes.eventListener(events)).synchronousGet(server.url("/e"));
    assertThat(events).containsExactly("callStart " + server.url("/e"), "connectionAcquired http/1.1", "callEnd");
  }

  @Test
  void customAuthorityClientCertificateAndPinning() throws Exception {
    TestCertificateAuthority authority = TestCertificateAuthority.create("Recipes CA");
    IssuedCertificate serverCertificate = authority.issue("localhost");
    server.useHttps(authority.serverContext(serverCertificate));
    server.hostName("localhost");
    server.dispatcher(request -> ScriptedResponse.builder().body("secure").build());
    server.start();

    Path caFile = Files.writeString(directory.resolve("ca.pem"), authority.certificatePem());
    CourierClient trusting = Recipes.customCertificateAuthority(caFile);
    assertThat(new Recipes(trusting).synchronousGet(server.url("/"))).isEqualTo("secure");
    assertThatThrownBy(() -> new Recipes(client).synchronousGet(server.url("/")))
        .isInstanceOf(SSLHandshakeException.class);

    String pin = CertificatePinner.pin(serverCertificate.certificate());
    CourierClient pinned = Recipes.certificatePinning(trusting, "localhost", pin);
    assertThat(new Recipes(pinned).synchronousGet(server.url("/"))).isEqualTo("secure");
    String otherPin = CertificatePinner.pin(authority.issue("other.example").certificate());
    CourierClient mispinned = Recipes.certificatePinning(trusting, "localhost", otherPin);
    assertThatThrownBy(() -> new Recipes(mispinned).synchronousGet(server.url("/")))
        .isInstanceOf(SSLPeerUnverifiedException.class);
  }

  @Test
  void clientCertificateIsPresented() throws Exception {
    TestCertificateAuthority authority = TestCertificateAuthority.create("Recipes Client CA");
    IssuedCertificate serverCertificate = authority.issue("localhost", "127.0.0.1");
    IssuedCertificate clientCertificate = authority.issue("recipes-client.example");
    Path file = directory.resolve("served.txt");
    Files.writeString(file, "hello, certified client");
    Path caFile = Files.writeString(directory.resolve("ca.pem"), authority.certificatePem());
    Path certificateFile = Files.writeString(directory.resolve("client.pem"), clientCertificate.chainPem());
    Path keyFile = Files.writeString(directory.resolve("client.key"), clientCertificate.privateKeyPem());
    try (FileServer tls = FileServer.httpsRequiringClientCertificate(file,
        FileServer.serverContextTrusting(authority, serverCertificate))) {
      CourierClient presenting = Recipes.clientCertificate(caFile, certificateFile, keyFile);
      assertThat(new Recipes(presenting).synchronousGet("https://localhost:" + tls.port() + "/"))
          .isEqualTo("hello, certified client");
      assertThat(tls.clientPrincipal.get()).contains("recipes-client.example");
    }
  }

  @Test
  void http2AndH2c() throws Exception {
    List<CourierClient> clients = Recipes.http2();
    assertThat(clients.get(0).protocols()).contains(Protocol.HTTP_2);
    server.protocols(List.of("h2c"));
    server.dispatcher(request -> ScriptedResponse.builder().body(request.version()).build());
    server.start();
    assertThat(new Recipes(clients.get(1)).synchronousGet(server.url("/"))).isEqualTo("HTTP/2");
  }

  @Test
  void choosingPlugIns() throws Exception {
    server.dispatcher(request -> ScriptedResponse.builder().body(request.version()).build());
    server.start();
    CourierClient chosen = Recipes.choosingPlugIns();
    assertThat(chosen.protocols()).containsExactly(Protocol.HTTP_1_1);
    assertThat(new Recipes(chosen).synchronousGet(server.url("/"))).isEqualTo("HTTP/1.1");
  }
}
