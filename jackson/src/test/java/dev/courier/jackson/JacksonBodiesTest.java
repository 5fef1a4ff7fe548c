package dev.courier.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.courier.MediaType;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.testing.Fault;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.ForwardingSink;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sends and reads JSON bodies through Jackson against the Netty test server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JacksonBodiesTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("Courier");

  record Item(String name, int quantity) {}

  record Order(long orderId, String customerName, List<Item> items) {}

  /** Has no properties Jackson can see, so it cannot be serialized. */
  static final class Opaque {}

  private final TestServer server = new TestServer();
  private final CourierClient client = new CourierClient();
  private final JacksonBodies json = JacksonBodies.create();

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
  void postsAnObjectAsJsonAndReadsTheResponseAsAClass() throws Exception {
    server.dispatcher(request -> ScriptedResponse.builder()
        .header("Content-Type", "application/json")
        .body(request.bodyUtf8().replace("\"quantity\":2", "\"quantity\":3"))
        .build());
    Order order = new Order(7, "Zoë", List.of(new Item("pen", 2)));

    Request request = new Request.Builder().url(server.url("/orders")).post(json.requestBody(order)).build();
    Order echoed = json.read(client.newCall(request).execute(), Order.class);

    assertThat(echoed).isEqualTo(new Order(7, "Zoë", List.of(new Item("pen", 3))));
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    // The length is not computed in advance: the body is serialized as it is sent.
    assertThat(recorded.header("Content-Length")).isNull();
    assertThat(recorded.header("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(recorded.bodyUtf8())
        .isEqualTo("{\"orderId\":7,\"customerName\":\"Zoë\",\"items\":[{\"name\":\"pen\",\"quantity\":2}]}");
  }

  @Test
  void readsGenericTypesThroughTypeReferenceAndJavaType() throws Exception {
    server.enqueue(json("[{\"name\":\"a\",\"quantity\":1},{\"name\":\"b\",\"quantity\":2}]"));
    server.enqueue(json("{\"a\":[1,2],\"b\":[]}"));

    List<Item> items = json.read(get("/items"), new TypeReference<List<Item>>() {});
    JavaType mapType = json.mapper().getTypeFactory().constructMapType(Map.class,
        json.mapper().constructType(String.class),
        json.mapper().getTypeFactory().constructCollectionType(List.class, Integer.class));
    Map<String, List<Integer>> map = json.read(get("/map"), mapType);

    assertThat(items).containsExactly(new Item("a", 1), new Item("b", 2));
    assertThat(map).isEqualTo(Map.of("a", List.of(1, 2), "b", List.of()));
  }

  @Test
  void usesTheCallersObjectMapperBothWays() throws Exception {
    ObjectMapper mapper = new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    JacksonBodies snakeCase = JacksonBodies.create(mapper);
    server.enqueue(json("{\"order_id\":1,\"customer_name\":\"Ann\",\"items\":[],\"unknown\":true}"));

    Request request = new Request.Builder().url(server.url("/"))
        .post(snakeCase.requestBody(new Order(1, "Ann", List.of()))).build();
    Order order = snakeCase.read(client.newCall(request).execute(), Order.class);

    assertThat(order).isEqualTo(new Order(1, "Ann", List.of()));
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("{\"order_id\":1,\"customer_name\":\"Ann\",\"items\":[]}");
  }

  @Test
  void writesTheCharsetTheMediaTypeNames() throws Exception {
    server.enqueue(ScriptedResponse.builder().build());
    server.enqueue(ScriptedResponse.builder().build());
    Item item = new Item("café €", 1);

    post(json.requestBody(item, MediaType.get("application/json; charset=utf-16be")));
    post(json.requestBody(item, MediaType.get("application/json; charset=iso-8859-1")));

    RecordedRequest utf16 = server.takeRequest();
    assertThat(utf16.header("Content-Type")).isEqualTo("application/json; charset=utf-16be");
    assertThat(new String(utf16.body(), StandardCharsets.UTF_16BE)).isEqualTo("{\"name\":\"café €\",\"quantity\":1}");
    // Latin-1 has no euro sign: characters outside ASCII are escaped, so the JSON means the same.
    RecordedRequest latin1 = server.takeRequest();
    assertThat(new String(latin1.body(), StandardCharsets.ISO_8859_1))
        .isEqualTo("{\"name\":\"caf\\u00E9 \\u20AC\",\"quantity\":1}");
    assertThat(new ObjectMapper().readValue(latin1.body(), Item.class)).isEqualTo(item);
  }

  @Test
  void decodesResponsesInTheCharsetTheyDeclareAndDetectsUnicodeWithoutOne() throws Exception {
    String body = "{\"name\":\"café\",\"quantity\":4}";
    server.enqueue(ScriptedResponse.builder().header("Content-Type", "application/json; charset=ISO-8859-1")
        .body(body.getBytes(StandardCharsets.ISO_8859_1)).build());
    server.enqueue(ScriptedResponse.builder().header("Content-Type", "application/json")
        .body(body.getBytes(StandardCharsets.UTF_16LE)).build());
    server.enqueue(ScriptedResponse.builder().body(body).build());

    assertThat(json.read(get("/latin1"), Item.class)).isEqualTo(new Item("café", 4));
    assertThat(json.read(get("/utf16"), Item.class)).isEqualTo(new Item("café", 4));
    assertThat(json.read(get("/untyped"), Item.class)).isEqualTo(new Item("café", 4));
  }

  @Test
  void malformedJsonFailsNamingTheUrlTheTypeAndThePlace() throws Exception {
    server.enqueue(json("{\"name\": \"pen\", \"quantity\": }"));

    assertThatThrownBy(() -> json.read(get("/items/1?token=secret"), Item.class))
        .isInstanceOfSatisfying(JsonBodyException.class, e -> {
          assertThat(e.url()).isEqualTo(server.url("/items/1"));
          assertThat(e.targetType()).isEqualTo(Item.class.getName());
        })
        .hasMessageStartingWith("Cannot read the body of GET " + server.url("/items/1") + " (HTTP 200, application/json) as "
            + Item.class.getName() + ": malformed JSON at line 1 column ")
        .hasMessageNotContaining("secret")
        .hasCauseInstanceOf(JsonParseException.class);
  }

  @Test
  void jsonOfTheWrongShapeFailsNamingTheGenericType() throws Exception {
    server.enqueue(json("{\"name\":\"pen\",\"quantity\":1}"));

    assertThatThrownBy(() -> json.read(get("/items"), new TypeReference<List<Item>>() {}))
        .isInstanceOf(JsonBodyException.class)
        .hasMessageContaining(server.url("/items"))
        .hasMessageContaining("as java.util.List<" + Item.class.getName() + ">: the JSON does not fit the type")
        .hasCauseInstanceOf(MismatchedInputException.class);
  }

  @Test
  void anEmptyBodyFailsSayingSoEvenForAnErrorStatus() throws Exception {
    server.enqueue(ScriptedResponse.builder().status(503).header("Content-Type", "application/json").build());

    assertThatThrownBy(() -> json.read(get("/empty"), Item.class))
        .isInstanceOf(JsonBodyException.class)
        .hasMessage("Cannot read the body of GET " + server.url("/empty") + " (HTTP 503, application/json) as "
            + Item.class.getName() + ": the body is empty");
  }

  @Test
  void aBodyCutShortFailsWithTheConnectionsErrorNotAsBadJson() throws Exception {
    String items = "[" + "{\"name\":\"item\",\"quantity\":1},".repeat(2000) + "{\"name\":\"last\",\"quantity\":2}]";
    server.enqueue(json(items).newBuilder().fault(Fault.CLOSE_MID_BODY).build());

    assertThatThrownBy(() -> json.read(get("/cut"), new TypeReference<List<Item>>() {}))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(JsonBodyException.class)
        .hasMessageContaining(server.hostName() + ":" + server.port());
  }

  @Test
  void aValueJacksonCannotWriteFailsTheCallNamingItsType() {
    Request request = new Request.Builder().url(server.url("/")).post(json.requestBody(new Opaque())).build();

    assertThatThrownBy(() -> client.newCall(request).execute())
        .isInstanceOfSatisfying(JsonBodyException.class,
            e -> assertThat(e.targetType()).isEqualTo(Opaque.class.getName()))
        .hasMessageContaining("Cannot write " + Opaque.class.getName() + " as JSON");
  }

  @Test
  void bodiesAreReplayableAndTheConnectionIsReusedAfterReading() throws Exception {
    server.enqueue(ScriptedResponse.builder().status(307).header("Location", "/second").build());
    server.enqueue(json("{\"name\":\"x\",\"quantity\":1}  \n"));
    server.enqueue(json("{\"name\":\"y\",\"quantity\":2}"));
    RequestBody body = json.requestBody(new Item("sent", 9));

    Item first = json.read(client.newCall(new Request.Builder().url(server.url("/first")).post(body).build()).execute(),
        Item.class);
    Item second = json.read(get("/third"), Item.class);

    assertThat(first).isEqualTo(new Item("x", 1));
    assertThat(second).isEqualTo(new Item("y", 2));
    // A 307 resends the body: written twice, identical both times.
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("{\"name\":\"sent\",\"quantity\":9}");
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("{\"name\":\"sent\",\"quantity\":9}");
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void aLargeValueReachesTheSinkInSmallWritesWhileItIsSerialized() throws IOException {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      items.add(new Item("item number " + i, i));
    }
    List<Long> writes = new ArrayList<>();
    Buffer wire = new Buffer();
    ForwardingSink recording = new ForwardingSink(wire) {
      @Override
      public void write(Buffer source, long byteCount) throws IOException {
        writes.add(byteCount);
        super.write(source, byteCount);
      }
    };

    try (okio.BufferedSink sink = Okio.buffer(recording)) {
      json.requestBody(items).writeTo(sink);
    }

    assertThat(wire.size()).isGreaterThan(3_000_000L);
    assertThat(writes.size()).isGreaterThan(100);
    assertThat(writes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(64 * 1024L));
    assertThat(json.mapper().readValue(wire.inputStream(), new TypeReference<List<Item>>() {})).isEqualTo(items);
  }

  private Response get(String path) throws IOException {
    return client.newCall(new Request.Builder().url(server.url(path)).build()).execute();
  }

  private void post(RequestBody body) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(server.url("/")).post(body).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }
  }

  private static ScriptedResponse json(String body) {
    return ScriptedResponse.builder().header("Content-Type", "application/json").body(body).build();
  }
}
