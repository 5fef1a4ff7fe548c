package dev.courier.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.MediaType;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.logging.HttpLoggingInterceptor.Level;
import dev.courier.testing.Fault;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.concurrent.CountDownLatch;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okio.Buffer;
import okio.BufferedSink;
import okio.GzipSink;
import okio.BufferedSource;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Logs calls made against the Netty test server and checks what was logged and what the application got. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpLoggingInterceptorTest {
  private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");

  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("Courier");

  private final TestServer server = new TestServer();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private CourierClient client;

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    server.close();
  }

  @Test
  void basicLogsTheRequestAndResponseLinesWithSizes() throws Exception {
    server.enqueue(ScriptedResponse.builder().status(201, "Created").body("stored").build());
    start(HttpLoggingInterceptor.builder().level(Level.BASIC).sink(log::add).build(), false);

    assertThat(post("/upload", RequestBody.create("abc", TEXT))).isEqualTo("stored");

    assertThat(log).hasSize(2);
    assertThat(log.get(0)).isEqualTo("--> POST " + server.url("/upload") + " (3-byte body)");
    assertThat(log.get(1)).matches("<-- 201 Created " + quoted(server.url("/upload")) + " \\(\\d+ms, 6-byte body\\)");
  }

  @Test
  void noneLogsNothing() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("quiet").build());
    start(HttpLoggingInterceptor.builder().level(Level.NONE).sink(log::add).build(), false);

    assertThat(get("/")).isEqualTo("quiet");
    assertThat(log).isEmpty();
  }

  @Test
  void headersAreLoggedWithCredentialsAndCookiesRedacted() throws Exception {
    server.enqueue(ScriptedResponse.builder().header("Set-Cookie", "session=s3cr3t").header("X-Trace", "t-1")
        .body("ok").build());
    start(HttpLoggingInterceptor.builder().level(Level.HEADERS).sink(log::add).build(), false);

    Request request = new Request.Builder().url(server.url("/private"))
        .header("Authorization", "Bearer token-1")
        .header("Proxy-Authorization", "Basic cHJveHk6cHc=")
        .header("cookie", "id=42")
        .header("Accept", "text/plain")
        .build();
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.body().string()).isEqualTo("ok");
    }

    assertThat(log).contains("Authorization: <redacted>", "Proxy-Authorization: <redacted>", "cookie: <redacted>",
        "Accept: text/plain", "Set-Cookie: <redacted>", "X-Trace: t-1", "--> END GET", "<-- END HTTP");
    assertThat(String.join("\n", log)).doesNotContain("token-1", "cHJveHk6cHc=", "id=42", "s3cr3t", "ok\n");
    // The headers reached the server untouched.
    assertThat(server.takeRequest().header("Authorization")).isEqualTo("Bearer token-1");
  }

  @Test
  void redactedHeadersAreConfigurable() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("ok").build());
    start(HttpLoggingInterceptor.builder().level(Level.HEADERS).sink(log::add)
        .redactedHeaders(Set.of()).redactHeader("x-api-key").build(), false);

    Request request = new Request.Builder().url(server.url("/")).header("Authorization", "Bearer visible")
        .header("X-Api-Key", "k-123").build();
    try (Response response = client.newCall(request).execute()) {
      response.body().string();
    }

    assertThat(log).contains("Authorization: Bearer visible", "X-Api-Key: <redacted>");
  }

  @Test
  void bodyLevelPrintsTextBodiesBothWaysWhileTheApplicationReadsThemWhole() throws Exception {
    server.dispatcher(request -> ScriptedResponse.builder().header("Content-Type", "application/json")
        .body("{\"echo\":\"" + request.bodyUtf8() + "\"}").build());
    start(HttpLoggingInterceptor.builder().level(Level.BODY).sink(log::add).build(), false);

    String body = post("/echo", RequestBody.create("héllo", TEXT));

    assertThat(body).isEqualTo("{\"echo\":\"héllo\"}");
    assertThat(log).containsSubsequence(
        "--> POST " + server.url("/echo"),
        "Content-Type: text/plain; charset=utf-8",
        "Content-Length: 6",
        "héllo",
        "--> END POST (6-byte body)",
        "Content-Type: application/json",
        "{\"echo\":\"héllo\"}",
        "<-- END HTTP (17-byte body)");
  }

  @Test
  void binaryBodiesAreSummarisedNotPrinted() throws Exception {
    byte[] png = new byte[300];
    for (int i = 0; i < png.length; i++) {
      png[i] = (byte) i;
    }
    byte[] controlBytes = {'a', 0, 1, 2, 'b'};
    server.enqueue(ScriptedResponse.builder().header("Content-Type", "image/png").body(png).build());
    start(HttpLoggingInterceptor.builder().level(Level.BODY).sink(log::add).build(), false);

    Request request = new Request.Builder().url(server.url("/image"))
        .post(RequestBody.create(controlBytes, MediaType.get("text/plain"))).build();
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.body().bytes()).isEqualTo(png);
    }

    assertThat(log).contains("--> END POST (binary 5-byte body omitted, text/plain)",
        "<-- END HTTP (binary 300-byte body omitted, image/png)");
    assertThat(server.takeRequest().body()).isEqualTo(controlBytes);
  }

  @Test
  void bodiesOverTheLimitAreSummarisedAndTheApplicationStillReadsEveryByte() throws Exception {
    String large = "0123456789abcdef\n".repeat(64 * 1024);
    server.dispatcher(request -> ScriptedResponse.builder().header("Content-Type", "text/plain")
        .chunkedBody(large, 8192).build());
    start(HttpLoggingInterceptor.builder().level(Level.BODY).maxBodyBytes(1024).sink(log::add).build(), false);

    assertThat(post("/large", RequestBody.create(large, TEXT))).isEqualTo(large);

    long size = large.length();
    assertThat(log).contains(
        "--> END POST (" + size + "-byte body omitted: over the 1024-byte limit, text/plain; charset=utf-8)",
        "<-- END HTTP (" + size + "-byte body omitted: over the 1024-byte limit, text/plain)");
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo(large);
  }

  @Test
  void aStreamingResponseReachesTheApplicationAsItArrives() throws Exception {
    client = CourierClient.builder()
        .addInterceptor(HttpLoggingInterceptor.builder().level(Level.BODY).maxBodyBytes(4).sink(log::add).build())
        .build();
    CountDownLatch firstLineRead = new CountDownLatch(1);
    try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread serverThread = new Thread(() -> {
        try (Socket socket = peer.accept()) {
          readHead(socket.getInputStream());
          OutputStream out = socket.getOutputStream();
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "6\r\nfirst\n\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          // The rest is sent only once the application has read the first line: reading ahead
          // to the end before handing the body over would wait forever, and fail the test.
          if (firstLineRead.await(20, TimeUnit.SECONDS)) {
            out.write("7\r\nsecond\n\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.getInputStream().read();
          }
        } catch (IOException | InterruptedException ignored) {
          // The client's assertions report what went wrong.
        }
      }, "streaming peer");
      serverThread.start();

      Request request = new Request.Builder().url("http://" + peer.getInetAddress().getHostAddress() + ":"
          + peer.getLocalPort() + "/stream").build();
      try (Response response = client.newCall(request).execute()) {
        BufferedSource body = response.body().source();
        assertThat(body.readUtf8Line()).isEqualTo("first");
        firstLineRead.countDown();
        assertThat(body.readUtf8Line()).isEqualTo("second");
        assertThat(body.exhausted()).isTrue();
      }
      client.connectionPool().evictAll();
      serverThread.join(10_000);
    }
    assertThat(log).contains("<-- END HTTP (13-byte body omitted: over the 4-byte limit, text/plain)");
  }

  private static void readHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b == -1) {
        throw new IOException("request head ended early");
      }
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  @Test
  void asANetworkInterceptorItShowsTheWireHeadersAndDecodesGzipForTheLog() throws Exception {
    String text = "compressed text ".repeat(50);
    Buffer gzipped = new Buffer();
    try (BufferedSink gzip = Okio.buffer(new GzipSink(gzipped))) {
      gzip.writeUtf8(text);
    }
    long gzippedSize = gzipped.size();
    server.enqueue(ScriptedResponse.builder().header("Content-Type", "text/plain; charset=utf-8")
        .header("Content-Encoding", "gzip").body(gzipped.readByteArray()).build());
    start(HttpLoggingInterceptor.builder().level(Level.BODY).sink(log::add).build(), true);

    assertThat(get("/zipped")).isEqualTo(text);

    assertThat(log).containsSubsequence(
        "--> GET " + server.url("/zipped") + " http/1.1",
        "Accept-Encoding: gzip",
        "--> END GET",
        "Content-Encoding: gzip",
        text,
        "<-- END HTTP (" + gzippedSize + "-byte gzip-encoded body, " + text.length() + " bytes decoded)");
    assertThat(log).anyMatch(line -> line.startsWith("Host: "));
  }

  @Test
  void aOneShotBodyIsWrittenOnceAndStillLogged() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("ok").build());
    start(HttpLoggingInterceptor.builder().level(Level.BODY).sink(log::add).build(), false);
    AtomicInteger writes = new AtomicInteger();
    RequestBody oneShot = new RequestBody() {
      @Override
      public MediaType contentType() {
        return TEXT;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        if (writes.incrementAndGet() > 1) {
          throw new IllegalStateException("written twice");
        }
        sink.writeUtf8("streamed once");
      }

      @Override
      public boolean isOneShot() {
        return true;
      }
    };

    assertThat(post("/", oneShot)).isEqualTo("ok");

    assertThat(writes).hasValue(1);
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("streamed once");
    assertThat(log).containsSubsequence("streamed once", "--> END POST (13-byte body)");
  }

  @Test
  void aDuplexBodyIsSentButNotLogged() throws Exception {
    server.protocols(List.of("h2c"));
    server.enqueue(ScriptedResponse.builder().body("ok").build());
    client = CourierClient.builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
        .addNetworkInterceptor(HttpLoggingInterceptor.builder().level(Level.BODY).sink(log::add).build()).build();
    server.start();
    AtomicInteger writes = new AtomicInteger();
    RequestBody duplex = new RequestBody() {
      @Override
      public MediaType contentType() {
        return TEXT;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        writes.incrementAndGet();
        sink.writeUtf8("duplex data");
        sink.close();
      }

      @Override
      public boolean isDuplex() {
        return true;
      }
    };

    assertThat(post("/", duplex)).isEqualTo("ok");

    assertThat(writes).hasValue(1);
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("duplex data");
    assertThat(log).contains("--> END POST (duplex body omitted)").noneMatch(line -> line.contains("duplex data"));
  }

  @Test
  void aResponseClosedBeforeItsEndIsLoggedAsSuch() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("never read").build());
    server.enqueue(ScriptedResponse.builder().status(204).build());
    start(HttpLoggingInterceptor.builder().level(Level.BODY).sink(log::add).build(), false);

    client.newCall(new Request.Builder().url(server.url("/")).build()).execute().close();
    client.newCall(new Request.Builder().url(server.url("/")).build()).execute().close();

    assertThat(log).contains("<-- END HTTP (body closed after 0 bytes, not read to the end)");
    // A 204 has no body: its END line comes at once, without a size.
    assertThat(log.subList(log.size() - 3, log.size())).satisfiesExactly(
        line -> assertThat(line).startsWith("<-- 204 No Content " + server.url("/") + " ("),
        line -> assertThat(line).isEqualTo("Content-Length: 0"),
        line -> assertThat(line).isEqualTo("<-- END HTTP"));
  }

  @Test
  void aFailedCallIsLoggedAndItsExceptionPassedOn() throws Exception {
    server.enqueue(ScriptedResponse.builder().fault(Fault.CLOSE_AFTER_REQUEST).build());
    start(HttpLoggingInterceptor.builder().level(Level.BASIC).sink(log::add).build(), false);

    assertThatThrownBy(() -> post("/", RequestBody.create("x", TEXT))).isInstanceOf(IOException.class);

    assertThat(log).hasSize(2);
    assertThat(log.get(1)).startsWith("<-- HTTP FAILED: ").contains(server.hostName() + ":" + server.port());
  }

  @Test
  void messagesGoToTheGivenSystemLoggerAtTheGivenLevel() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("ok").build());
    RecordingLogger logger = new RecordingLogger();
    start(HttpLoggingInterceptor.builder().logger(logger, System.Logger.Level.DEBUG).build(), false);

    assertThat(get("/")).isEqualTo("ok");

    assertThat(logger.records).hasSize(2).allMatch(record -> record.startsWith("DEBUG "));
    assertThat(logger.records.get(0)).isEqualTo("DEBUG --> GET " + server.url("/"));
  }

  @Test
  void byDefaultMessagesGoToTheSystemLoggerNamedAfterTheInterceptorAtInfo() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("ok").build());
    // With no System.LoggerFinder installed, System.Logger writes to java.util.logging.
    java.util.logging.Logger julLogger = java.util.logging.Logger.getLogger(HttpLoggingInterceptor.class.getName());
    List<java.util.logging.LogRecord> records = new CopyOnWriteArrayList<>();
    java.util.logging.Handler handler = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.util.logging.Level previous = julLogger.getLevel();
    julLogger.setLevel(java.util.logging.Level.INFO);
    julLogger.addHandler(handler);
    try {
      start(HttpLoggingInterceptor.create(Level.BASIC), false);
      assertThat(get("/default")).isEqualTo("ok");
    } finally {
      julLogger.removeHandler(handler);
      julLogger.setLevel(previous);
    }

    assertThat(records).hasSize(2).allMatch(record -> record.getLevel() == java.util.logging.Level.INFO);
    assertThat(records.get(0).getMessage()).isEqualTo("--> GET " + server.url("/default"));
  }

  @Test
  void theBuilderStartsFromTheDefaultsAndCopiesAnInterceptor() {
    HttpLoggingInterceptor defaults = HttpLoggingInterceptor.builder().build();
    assertThat(defaults.level()).isEqualTo(Level.BASIC);
    assertThat(defaults.maxBodyBytes()).isEqualTo(HttpLoggingInterceptor.DEFAULT_MAX_BODY_BYTES);
    assertThat(defaults.redactedHeaders()).containsExactlyInAnyOrderElementsOf(
        HttpLoggingInterceptor.DEFAULT_REDACTED_HEADERS);
    assertThat(defaults.redactedHeaders().contains("set-cookie")).as("compared case-insensitively").isTrue();
    HttpLoggingInterceptor copy = HttpLoggingInterceptor.create(Level.HEADERS).newBuilder().redactHeader("X-Key").build();
    assertThat(copy.level()).isEqualTo(Level.HEADERS);
    assertThat(copy.redactedHeaders()).contains("Authorization", "X-Key");
    assertThat(copy.redactedHeaders().contains("x-key")).isTrue();
    assertThatThrownBy(() -> HttpLoggingInterceptor.builder().maxBodyBytes(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBodyBytes");
  }

  private void start(HttpLoggingInterceptor interceptor, boolean network) throws IOException {
    CourierClient.Builder builder = CourierClient.builder();
    client = (network ? builder.addNetworkInterceptor(interceptor) : builder.addInterceptor(interceptor)).build();
    server.start();
  }

  private String get(String path) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(server.url(path)).build()).execute()) {
      return response.body().string();
    }
  }

  private String post(String path, RequestBody body) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(server.url(path)).post(body).build()).execute()) {
      return response.body().string();
    }
  }

  private static String quoted(String text) {
    return java.util.regex.Pattern.quote(text);
  }

  /** Records what reaches a System.Logger. */
  static final class RecordingLogger implements System.Logger {
    final List<String> records = new CopyOnWriteArrayList<>();

    @Override
    public String getName() {
      return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String message, Throwable thrown) {
      records.add(level + " " + message);
    }

    @Override
    public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
      records.add(level + " " + MessageFormat.format(format, params));
    }
  }
}
