package dev.courier.testing.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.courier.ConnectionShutdownException;
import dev.courier.Headers;
import dev.courier.MediaType;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.Transport;
import dev.courier.testing.Fault;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Checks that a {@link ProtocolConnectionProvider} and the {@link ExchangeCodec}s its connections
 * make keep the SPI's contract, against the {@link TestServer} over a real loopback socket. A
 * codec author extends it and implements {@link #provider()}:
 *
 * <pre>{@code
 * class MyCodecContractTest extends ExchangeCodecContract {
 *   @Override
 *   protected ProtocolConnectionProvider provider() {
 *     return new MyConnectionProvider();
 *   }
 * }
 * }</pre>
 *
 * <p>The suite drives the SPI the way Courier's chain does, without the chain: it connects a
 * socket, wraps it in a {@link Transport} (see {@link ContractTransports}), asks the provider for
 * a connection and runs exchanges on it. No interceptor adds framing fields, so the codec must
 * frame request bodies itself. It covers sequential exchanges on one connection, response bodies
 * of fixed length, of unknown length with trailers, ending at the close of the connection, and
 * bodiless responses; request bodies of known and unknown length; cancellation from another
 * thread; read timeouts for a head and for a stalled body; a peer that closes before answering or
 * in the middle of a body; health and capacity reporting; a malformed response (for
 * non-multiplexed protocols); and a body abandoned before its end. Cleartext only: override
 * {@link #protocol()} and {@link #configureServer} for HTTP/2 with prior knowledge.
 *
 * <p>Every test is bounded by a 30-second timeout and fails if it leaves a thread whose name
 * starts with {@code TestServer} running; the suite closes every connection it opened.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class ExchangeCodecContract {
  /** Options for ordinary exchanges: 10-second read and write timeouts. */
  protected static final ExchangeOptions OPTIONS = new ExchangeOptions(10_000, 10_000);

  @RegisterExtension
  final ThreadLeakExtension serverThreads = new ThreadLeakExtension("TestServer");

  /** The server the suite talks to; started before each test. */
  protected final TestServer server = new TestServer();
  private final List<ProtocolConnection> opened = new ArrayList<>();

  /** Returns the provider under test; called once per connection the suite opens. */
  protected abstract ProtocolConnectionProvider provider();

  /**
   * Returns the protocol the transport hands to the provider; default {@link Protocol#HTTP_1_1}.
   * Override with {@link Protocol#H2_PRIOR_KNOWLEDGE} for a cleartext HTTP/2 codec.
   */
  protected Protocol protocol() {
    return Protocol.HTTP_1_1;
  }

  /**
   * Configures the server before it starts; by default it speaks HTTP/1.1, or {@code h2c} when
   * {@link #protocol()} is multiplexed.
   */
  protected void configureServer(TestServer server) {
    if (protocol().isMultiplexed()) {
      server.protocols(List.of("h2c"));
    }
  }

  @BeforeEach
  final void startServer() throws IOException {
    configureServer(server);
    server.start();
  }

  @AfterEach
  final void closeEverything() {
    for (ProtocolConnection connection : opened) {
      connection.close();
    }
    server.close();
  }

  /** Connects to the server and returns a connection made by {@link #provider()}. */
  protected final ProtocolConnection connect() throws IOException {
    Transport transport = ContractTransports.connect("127.0.0.1", server.port(), protocol());
    try {
      ProtocolConnection connection = provider().create(transport, ConnectionOptions.DEFAULT,
          ProtocolConnection.Listener.NONE);
      opened.add(connection);
      return connection;
    } catch (IOException | RuntimeException e) {
      transport.socket().close();
      throw e;
    }
  }

  /** Returns a request builder for {@code path} on the server. */
  protected final Request.Builder request(String path) {
    return new Request.Builder().url(server.url(path));
  }

  @Test
  void sequentialExchangesShareOneConnection() throws Exception {
    for (int i = 0; i < 3; i++) {
      server.enqueue(ScriptedResponse.builder().body("response " + i).build());
    }
    ProtocolConnection connection = connect();

    for (int i = 0; i < 3; i++) {
      ExchangeCodec codec = connection.newCodec(OPTIONS);
      assertSame(connection, codec.connection(), "codec.connection()");
      Response response = Exchanges.send(codec, request("/" + i).build());
      assertEquals(200, response.code());
      assertEquals("response " + i, Exchanges.readBody(codec, response));
      assertTrue(connection.isHealthy(false), "healthy after exchange " + i);
      assertTrue(connection.maxConcurrentExchanges() >= 1, "capacity after exchange " + i);
    }

    int firstConnection = server.takeRequest().connectionIndex();
    for (int i = 1; i < 3; i++) {
      RecordedRequest recorded = server.takeRequest();
      assertEquals("/" + i, recorded.path());
      assertEquals(firstConnection, recorded.connectionIndex(), "request " + i + " connection");
    }
  }

  @Test
  void fixedLengthResponseBodyIsReadExactly() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("hello, world").header("X-Kind", "fixed").build());
    ExchangeCodec codec = connect().newCodec(OPTIONS);

    Response response = Exchanges.send(codec, request("/").build());

    assertEquals("fixed", response.header("X-Kind"));
    long reported = codec.reportedContentLength(response);
    assertTrue(reported == 12L || reported == -1L, "reportedContentLength was " + reported);
    assertEquals("hello, world", Exchanges.readBody(codec, response));
    assertEquals(0, codec.trailers().size(), "trailers");
  }

  @Test
  void bodyOfUnknownLengthIsReadWithItsTrailers() throws Exception {
    server.enqueue(ScriptedResponse.builder()
        .chunkedBody("abcdefghijklmnopqrstuvwxyz", 7)
        .trailers("Checksum", "c0ffee")
        .build());
    ExchangeCodec codec = connect().newCodec(OPTIONS);

    Response response = Exchanges.send(codec, request("/").build());
    Source body = codec.openResponseBodySource(response);
    assertThrows(IllegalStateException.class, codec::trailers, "trailers() before the body's end");

    assertEquals("abcdefghijklmnopqrstuvwxyz", Exchanges.readUtf8(body));
    body.close();
    Headers trailers = codec.trailers();
    assertEquals("c0ffee", trailers.get("Checksum"));
  }

  @Test
  void bodyWithoutAnyLengthIsReadToItsEnd() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("until the end").noContentLength().build());
    ProtocolConnection connection = connect();
    ExchangeCodec codec = connection.newCodec(OPTIONS);

    Response response = Exchanges.send(codec, request("/").build());

    assertEquals(-1L, codec.reportedContentLength(response));
    assertEquals("until the end", Exchanges.readBody(codec, response));
  }

  @Test
  void responsesThatCannotHaveABodyEndAtOnce() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("0123456789").build());
    server.enqueue(ScriptedResponse.builder().status(204).build());
    server.enqueue(ScriptedResponse.builder().body("after").build());
    ProtocolConnection connection = connect();

    ExchangeCodec head = connection.newCodec(OPTIONS);
    Response headResponse = Exchanges.send(head, request("/").head().build());
    assertEquals(0L, head.reportedContentLength(headResponse), "HEAD");
    assertEquals("", Exchanges.readBody(head, headResponse));

    ExchangeCodec noContent = connection.newCodec(OPTIONS);
    Response noContentResponse = Exchanges.send(noContent, request("/").build());
    assertEquals(204, noContentResponse.code());
    assertEquals(0L, noContent.reportedContentLength(noContentResponse), "204");
    assertEquals("", Exchanges.readBody(noContent, noContentResponse));

    ExchangeCodec after = connection.newCodec(OPTIONS);
    assertEquals("after", Exchanges.readBody(after, Exchanges.send(after, request("/").build())));
  }

  @Test
  void requestBodyOfKnownLengthArrivesWhole() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("stored").build());
    ExchangeCodec codec = connect().newCodec(OPTIONS);
    Request request = request("/upload").post(RequestBody.create("twelve bytes", null)).build();

    Response response = Exchanges.send(codec, request);

    assertEquals("stored", Exchanges.readBody(codec, response));
    RecordedRequest recorded = server.takeRequest();
    assertEquals("POST", recorded.method());
    assertEquals("twelve bytes", recorded.bodyUtf8());
  }

  @Test
  void requestBodyOfUnknownLengthIsFramedByTheCodec() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("stored").build());
    server.enqueue(ScriptedResponse.builder().body("next").build());
    ProtocolConnection connection = connect();
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    Request request = request("/upload").post(new StreamedBody("part one, ", "part two")).build();

    Response response = Exchanges.send(codec, request);

    assertEquals("stored", Exchanges.readBody(codec, response));
    assertEquals("part one, part two", server.takeRequest().bodyUtf8());
    // The body's framing ended where the codec said: the connection serves the next exchange.
    ExchangeCodec next = connection.newCodec(OPTIONS);
    assertEquals("next", Exchanges.readBody(next, Exchanges.send(next, request("/next").build())));
  }

  @Test
  void cancelFailsABlockedReadPromptly() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("late").headersDelay(20, TimeUnit.SECONDS).build());
    ExchangeCodec codec = connect().newCodec(OPTIONS);
    Request request = request("/slow").build();
    codec.writeRequestHeaders(request);
    codec.finishRequest();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<Response.Builder> read = executor.submit(() -> codec.readResponseHeaders(false));
      server.takeRequest(); // The request arrived; the server now holds back its answer.

      codec.cancel();
      codec.cancel(); // Idempotent.

      ExecutionException failure = assertThrows(ExecutionException.class,
          () -> read.get(10, TimeUnit.SECONDS));
      assertTrue(failure.getCause() instanceof IOException,
          "cancel() must fail the blocked read with an IOException, was " + failure.getCause());
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void readTimeoutFailsTheExchange() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("late").headersDelay(20, TimeUnit.SECONDS).build());
    ExchangeCodec codec = connect().newCodec(new ExchangeOptions(200, 10_000));
    Request request = request("/slow").build();
    codec.writeRequestHeaders(request);
    codec.finishRequest();

    assertThrows(InterruptedIOException.class, () -> codec.readResponseHeaders(false));
  }

  @Test
  void freshConnectionReportsItsCapacityAndHealth() throws Exception {
    ProtocolConnection connection = connect();

    assertNotNull(connection.protocol(), "protocol()");
    assertEquals(protocol().isMultiplexed(), connection.isMultiplexed(), "isMultiplexed()");
    int maxExchanges = connection.maxConcurrentExchanges();
    if (connection.isMultiplexed()) {
      assertTrue(maxExchanges >= 1, "maxConcurrentExchanges() was " + maxExchanges);
    } else {
      assertEquals(1, maxExchanges, "maxConcurrentExchanges()");
    }
    assertTrue(connection.isHealthy(false), "isHealthy(false)");
    assertTrue(connection.isHealthy(true), "isHealthy(true)");
  }

  @Test
  void noNewExchangesStopsNewCodecs() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("in flight").build());
    ProtocolConnection connection = connect();
    ExchangeCodec inFlight = connection.newCodec(OPTIONS);
    Response response = Exchanges.send(inFlight, request("/").build());

    connection.noNewExchanges();
    connection.noNewExchanges(); // Idempotent.

    assertEquals(0, connection.maxConcurrentExchanges(), "maxConcurrentExchanges()");
    assertFalse(connection.isHealthy(false), "isHealthy(false)");
    assertThrows(ConnectionShutdownException.class, () -> connection.newCodec(OPTIONS));
    assertEquals("in flight", Exchanges.readBody(inFlight, response), "the exchange in flight ends");
  }

  @Test
  void closeMakesTheConnectionUnhealthyAndEmpty() throws Exception {
    ProtocolConnection connection = connect();

    connection.close();
    connection.close(); // Idempotent.

    assertFalse(connection.isHealthy(false), "isHealthy(false)");
    assertEquals(0, connection.maxConcurrentExchanges(), "maxConcurrentExchanges()");
    assertThrows(IOException.class, () -> {
      ExchangeCodec codec = connection.newCodec(OPTIONS);
      Exchanges.send(codec, request("/").build());
    });
  }

  @Test
  void malformedResponseFailsNamingThePeerAndRetiresTheConnection() throws Exception {
    assumeFalse(protocol().isMultiplexed(),
        "raw HTTP/1 bytes test a non-multiplexed codec");
    server.enqueue(ScriptedResponse.builder().raw("HTTP/1.1 2x0 Broken\r\n\r\n").build());
    ProtocolConnection connection = connect();
    ExchangeCodec codec = connection.newCodec(OPTIONS);

    IOException failure = assertThrows(IOException.class,
        () -> Exchanges.send(codec, request("/").build()));

    String message = String.valueOf(failure.getMessage());
    assertTrue(message.contains("127.0.0.1:" + server.port()),
        "the message names the peer: " + message);
    assertEquals(0, connection.maxConcurrentExchanges(), "a broken connection takes no exchange");
  }

  @Test
  void peerClosingBeforeAnsweringFailsTheExchangeNamingThePeer() throws Exception {
    server.enqueue(ScriptedResponse.builder().fault(Fault.CLOSE_AFTER_REQUEST).build());
    ProtocolConnection connection = connect();
    ExchangeCodec codec = connection.newCodec(OPTIONS);

    IOException failure = assertThrows(IOException.class,
        () -> Exchanges.send(codec, request("/").build()));

    String message = String.valueOf(failure.getMessage());
    assertTrue(message.contains("127.0.0.1:" + server.port()),
        "the message names the peer: " + message);
  }

  @Test
  void peerClosingMidBodyFailsTheBodyAndRetiresTheConnection() throws Exception {
    byte[] body = new byte[4096];
    Arrays.fill(body, (byte) 'b');
    server.enqueue(ScriptedResponse.builder().body(body).fault(Fault.CLOSE_MID_BODY).build());
    ProtocolConnection connection = connect();
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    Response response = Exchanges.send(codec, request("/").build());

    assertThrows(IOException.class, () -> Exchanges.readBody(codec, response),
        "a body cut short by the peer is an IOException, not a short read");
    assertFalse(connection.isHealthy(false), "a connection the peer closed is not healthy");
  }

  @Test
  void stalledBodyHitsTheReadTimeout() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("never sent").fault(Fault.STALL).build());
    ExchangeCodec codec = connect().newCodec(new ExchangeOptions(200, 10_000));
    Response response = Exchanges.send(codec, request("/").build());

    assertThrows(InterruptedIOException.class, () -> Exchanges.readBody(codec, response));
  }

  @Test
  void abandonedBodyNeverLeaksIntoTheNextExchange() throws Exception {
    byte[] large = new byte[256 * 1024];
    Arrays.fill(large, (byte) 'x');
    server.enqueue(ScriptedResponse.builder().body(large).build());
    server.enqueue(ScriptedResponse.builder().body("second").build());
    ProtocolConnection connection = connect();
    ExchangeCodec first = connection.newCodec(OPTIONS);
    Response response = Exchanges.send(first, request("/large").build());
    Source body = first.openResponseBodySource(response);
    Buffer prefix = new Buffer();
    while (prefix.size() < 10) {
      assertTrue(body.read(prefix, 10 - prefix.size()) != -1L, "the body has bytes");
    }

    body.close();

    assertArrayEquals("xxxxxxxxxx".getBytes(StandardCharsets.US_ASCII),
        prefix.readByteArray());
    if (connection.maxConcurrentExchanges() > 0 && connection.isHealthy(false)) {
      ExchangeCodec second = connection.newCodec(OPTIONS);
      Response next = Exchanges.send(second, request("/second").build());
      assertEquals("second", Exchanges.readBody(second, next),
          "a reused connection must answer the next request, not the abandoned one");
    }
  }

  /** A body of unknown length written in several parts. */
  private static final class StreamedBody extends RequestBody {
    private final String[] parts;

    StreamedBody(String... parts) {
      this.parts = parts;
    }

    @Override
    public MediaType contentType() {
      return null;
    }

    @Override
    public long contentLength() {
      return -1L;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      for (String part : parts) {
        sink.writeUtf8(part);
        sink.flush();
      }
    }
  }

  /** Drives an exchange the way Courier's last interceptor does. */
  static final class Exchanges {
    private Exchanges() {}

    /** Sends {@code request} with its body and returns the final response head. */
    static Response send(ExchangeCodec codec, Request request) throws IOException {
      codec.writeRequestHeaders(request);
      RequestBody body = request.body();
      if (body != null) {
        try (BufferedSink sink = Okio.buffer(codec.createRequestBody(request, body.contentLength()))) {
          body.writeTo(sink);
        }
      }
      codec.finishRequest();
      while (true) {
        Response.Builder builder = codec.readResponseHeaders(false);
        Response head = builder.request(request).build();
        if (head.code() >= 200 || head.code() == 101) {
          return head;
        }
      }
    }

    /** Opens, reads and closes the body of {@code response}. */
    static String readBody(ExchangeCodec codec, Response response) throws IOException {
      try (Source source = codec.openResponseBodySource(response)) {
        return readUtf8(source);
      }
    }

    static String readUtf8(Source source) throws IOException {
      Buffer buffer = new Buffer();
      while (source.read(buffer, 8192) != -1L) {
        // Read to the end.
      }
      return buffer.readUtf8();
    }
  }
}
