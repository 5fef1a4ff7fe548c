package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Request;
import dev.courier.WebSocket;
import dev.courier.WebSocketListener;
import dev.courier.chain.CourierClient;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs every recipe of docs/websockets.md against a local server, and checks the page shows it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketRecipesTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("Courier");

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
  void pageShowsExactlyTheCodeThatRuns() throws IOException {
    Map<String, String> recipes = recipesInSource();
    String page = Files.readString(Path.of("..", "docs", "websockets.md"));
    List<String> onPage = new ArrayList<>();
    Matcher marker = Pattern.compile("<!-- recipe: ([a-z0-9-]+) -->").matcher(page);
    while (marker.find()) onPage.add(marker.group(1));
    assertThat(onPage).containsExactlyElementsOf(recipes.keySet());
    for (Map.Entry<String, String> recipe : recipes.entrySet()) {
      assertThat(page).as(recipe.getKey())
          .contains("<!-- recipe: " + recipe.getKey() + " -->\n```java\n" + recipe.getValue() + "```\n");
    }
  }

  @Test
  void compressionSaysWhatTheServerAgreedTo() throws Exception {
    // The test server answers no extension; WebSocketInteropTest runs the recipe against a server
    // that agrees to permessage-deflate.
    server.enqueue(ScriptedResponse.builder().webSocket().build());
    String agreed = new WebSocketRecipes(client)
        .compression(server.url("/echo").replace("http:", "ws:")).get(10, TimeUnit.SECONDS);
    assertThat(agreed).isEmpty();
    assertThat(server.takeRequest().header("Sec-WebSocket-Extensions")).isEqualTo("permessage-deflate");
  }

  /** Returns each recipe's code, by name, dedented, in source order. */
  private static Map<String, String> recipesInSource() throws IOException {
    List<String> lines = Files.readAllLines(
        Path.of("src", "main", "java", "dev", "courier", "examples", "WebSocketRecipes.java"));
    Map<String, String> result = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (!line.startsWith("// recipe: ")) continue;
      String name = line.substring("// recipe: ".length());
      int indent = lines.get(i).indexOf('/');
      StringBuilder code = new StringBuilder();
      for (i++; !lines.get(i).trim().equals("// end"); i++) {
        String text = lines.get(i);
        code.append(text.length() >= indent ? text.substring(indent) : text.trim()).append('\n');
      }
      result.put(name, code.toString());
    }
    return result;
  }

  @Test
  void echoSendsOnOpenAndClosesOnTheAnswer() throws Exception {
    server.enqueue(ScriptedResponse.builder().webSocket().build());
    String url = server.url("/echo").replace("http:", "ws:");
    assertThat(new WebSocketRecipes(client).echo(url).get(10, TimeUnit.SECONDS))
        .isEqualTo("Hello, WebSocket!");
    assertThat(server.takeRequest().header("Upgrade")).isEqualTo("websocket");
  }

  @Test
  void configuredClientCarriesTheLimits() {
    CourierClient configured = WebSocketRecipes.configured();
    try {
      assertThat(configured.pingIntervalMillis()).isEqualTo(30_000);
      assertThat(configured.webSocketCloseTimeoutMillis()).isEqualTo(5_000);
      assertThat(configured.webSocketMaxMessageBytes()).isEqualTo(1024 * 1024);
      assertThat(configured.webSocketMaxQueueBytes()).isEqualTo(4 * 1024 * 1024);
      assertThat(configured.webSocketFragmentBytes()).isEqualTo(16 * 1024);
    } finally {
      configured.close();
    }
  }

  @Test
  void backPressureStopsWhenTheQueueIsFull() throws Exception {
    CourierClient small = client.newBuilder().webSocketMaxQueueBytes(2500).build();
    // A socket whose handshake is never answered keeps everything queued.
    server.enqueue(ScriptedResponse.builder().headersDelay(30, TimeUnit.SECONDS).build());
    WebSocket webSocket = small.newWebSocket(
        new Request.Builder().url(server.url("/slow")).build(), new WebSocketListener() {});
    try {
      List<ByteString> chunks = List.of(ByteString.of(new byte[1000]), ByteString.of(new byte[1000]),
          ByteString.of(new byte[1000]), ByteString.of(new byte[1000]));
      assertThat(WebSocketRecipes.sendUntilFull(webSocket, chunks.iterator())).isEqualTo(2);
      assertThat(webSocket.queueSize()).isEqualTo(2000);
    } finally {
      webSocket.cancel();
    }
  }

  @Test
  void subprotocolIsNegotiated() throws Exception {
    server.enqueue(ScriptedResponse.builder().webSocket().header("Sec-WebSocket-Protocol", "chat.v2").build());
    BlockingQueue<String> events = new WebSocketRecipes(client).subprotocol(server.url("/chat"));
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("speaking chat.v2");
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("server closing: 1001");
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("closed");
    assertThat(server.takeRequest().header("Sec-WebSocket-Protocol")).isEqualTo("chat.v2, chat.v1");
  }
}
