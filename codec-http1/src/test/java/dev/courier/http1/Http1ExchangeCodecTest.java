package dev.courier.http1;

import static dev.courier.http1.Exchanges.execute;
import static dev.courier.http1.Exchanges.newCodec;
import static dev.courier.http1.Exchanges.readUtf8;
import static dev.courier.http1.Exchanges.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Headers;
import dev.courier.MediaType;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.testing.Fault;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okio.Buffer;
import okio.BufferedSink;
import okio.Okio;
import okio.Sink;
import okio.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Drives {@link Http1ExchangeCodec} against the testing module's server over loopback. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class Http1ExchangeCodecTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("TestServer");

  private final TestServer server = new TestServer();
  private final AtomicInteger capacityChanges = new AtomicInteger();
  private Http1Connection connection;

  @BeforeEach
  void setUp() throws IOException {
    server.start();
  }

  @AfterEach
  void tearDown() {
    if (connection != null) {
      connection.close();
    }
    server.close();
  }

  private Http1Connection connect() throws IOException {
    ProtocolConnection.Listener listener = new ProtocolConnection.Listener() {
      @Override
      public void capacityChanged(ProtocolConnection changed) {
        capacityChanges.incrementAndGet();
      }
    };
    connection = new Http1Connection(Transports.connect("127.0.0.1", server.port()), listener);
    return connection;
  }

  private Request.Builder request(String path) {
    return new Request.Builder().url(server.url(path)).header("Host", "127.0.0.1:" + server.port());
  }

  @Test
  void fixedLengthResponseBodyIsRead() throws Exception {
    server.enqueue(ScriptedResponse.builder().header("X-Test", "yes").body("hello").build());
    Http1ExchangeCodec codec = newCodec(connect());

    Response response = execute(codec, request("/greeting?q=1%202").build());

    assertThat(response.protocol()).isEqualTo(Protocol.HTTP_1_1);
    assertThat(response.code()).isEqualTo(200);
    assertThat(response.message()).isEqualTo("OK");
    assertThat(response.header("X-Test")).isEqualTo("yes");
    assertThat(codec.reportedContentLength(response)).isEqualTo(5L);
    assertThat(response.body().string()).isEqualTo("hello");
    assertThat(codec.trailers()).isEqualTo(Headers.EMPTY);
    assertThat(connection.maxConcurrentExchanges()).isEqualTo(1);
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.method()).isEqualTo("GET");
    assertThat(recorded.target()).isEqualTo("/greeting?q=1%202");
    assertThat(recorded.version()).isEqualTo("HTTP/1.1");
    assertThat(recorded.header("Host")).isEqualTo("127.0.0.1:" + server.port());
  }

  @Test
  void requestHeadersAreSentInOrderWithRepeatedNames() throws Exception {
    server.enqueue(ScriptedResponse.builder().build());
    Http1ExchangeCodec codec = newCodec(connect());

    Request request = request("/").addHeader("Accept", "text/plain").addHeader("Accept", "text/html")
        .header("X-Value", "a b").build();
    send(codec, request);

    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.headerValues("Accept")).containsExactly("text/plain", "text/html");
    assertThat(recorded.header("X-Value")).isEqualTo("a b");
  }

  @Test
  void chunkedResponseBodyAndTrailersAreRead() throws Exception {
    server.enqueue(ScriptedResponse.builder()
        .chunkedBody("abcdefghijklmnopqrstuvwxyz", 5)
        .trailers("Checksum", "abc123", "X-Count", "26")
        .build());
    Http1ExchangeCodec codec = newCodec(connect());

    Response head = send(codec, request("/").build());
    assertThat(codec.reportedContentLength(head)).isEqualTo(-1L);
    Source body = codec.openResponseBodySource(head);
    assertThatThrownBy(codec::trailers)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not been read to the end");

    assertThat(readUtf8(body)).isEqualTo("abcdefghijklmnopqrstuvwxyz");
    Headers trailers = codec.trailers();
    assertThat(trailers.get("Checksum")).isEqualTo("abc123");
    assertThat(trailers.get("X-Count")).isEqualTo("26");
    assertThat(connection.maxConcurrentExchanges()).isEqualTo(1);
  }

  @Test
  void chunkedResponseWithoutTrailersHasEmptyTrailers() throws Exception {
    server.enqueue(ScriptedResponse.builder().chunkedBody("abc", 1).build());
    Http1ExchangeCodec codec = newCodec(connect());

    Response response = execute(codec, request("/").build());

    assertThat(response.body().string()).isEqualTo("abc");
    assertThat(codec.trailers().size()).isZero();
  }

  @Test
  void bodyWithoutFramingIsReadToEndOfStreamAndConnectionTakesNoNewExchanges() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("until the end").noContentLength().build());
    Http1ExchangeCodec codec = newCodec(connect());

    Response response = execute(codec, request("/").build());

    assertThat(codec.reportedContentLength(response)).isEqualTo(-1L);
    assertThat(connection.maxConcurrentExchanges()).isZero();
    assertThat(capacityChanges.get()).isEqualTo(1);
    assertThat(response.body().string()).isEqualTo("until the end");
  }

  @Test
  void fixedLengthRequestBodyIsSent() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("ok").build());
    Http1ExchangeCodec codec = newCodec(connect());
    RequestBody body = RequestBody.create("name=courier", MediaType.parse("text/plain"));

    Response response = execute(codec, request("/form").header("Content-Length", "12").post(body).build());

    assertThat(response.body().string()).isEqualTo("ok");
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.method()).isEqualTo("POST");
    assertThat(recorded.header("Content-Length")).isEqualTo("12");
    assertThat(recorded.bodyUtf8()).isEqualTo("name=courier");
    assertThat(connection.maxConcurrentExchanges()).isEqualTo(1);
  }

  @Test
  void chunkedRequestBodyIsSentWhenLengthIsUnknown() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("ok").build());
    Http1ExchangeCodec codec = newCodec(connect());
    Request request = request("/upload").header("Transfer-Encoding", "chunked")
        .post(RequestBody.create("unused", null)).build();

    codec.writeRequestHeaders(request);
    Sink sink = codec.createRequestBody(request, -1L);
    sink.write(new Buffer().writeUtf8("first "), 6);
    sink.write(new Buffer().writeUtf8("second"), 6);
    sink.close();
    codec.finishRequest();
    Response response = Exchanges.readFinalResponse(codec, request);

    assertThat(response.code()).isEqualTo(200);
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.header("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(recorded.bodyUtf8()).isEqualTo("first second");
  }

  @Test
  void largeRequestBodyMovesThroughWithoutLoss() throws Exception {
    byte[] content = new byte[300_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) ('a' + i % 26);
    }
    server.enqueue(ScriptedResponse.builder().body(content).build());
    Http1ExchangeCodec codec = newCodec(connect());
    Request request = request("/echo").header("Content-Length", Integer.toString(content.length))
        .put(RequestBody.create(content, null)).build();

    Response response = execute(codec, request);

    assertThat(response.body().bytes()).isEqualTo(content);
    assertThat(server.takeRequest().body()).isEqualTo(content);
  }

  @Test
  void fixedLengthRequestBodyRejectsExtraBytes() throws Exception {
    Http1ExchangeCodec codec = newCodec(connect());
    Request request = request("/").header("Content-Length", "3")
        .post(RequestBody.create("abc", null)).build();
    codec.writeRequestHeaders(request);
    Sink sink = codec.createRequestBody(request, 3L);

    assertThatThrownBy(() -> sink.write(new Buffer().writeUtf8("abcde"), 5))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("expected 3 bytes but received 5");
    assertThat(connection.maxConcurrentExchanges()).isZero();
  }

  @Test
  void fixedLengthRequestBodyRejectsMissingBytesOnClose() throws Exception {
    Http1ExchangeCodec codec = newCodec(connect());
    Request request = request("/")
        .post(Exchanges.withTrailers("abc", 10L, Headers.EMPTY)).build();
    codec.writeRequestHeaders(request);
    Sink sink = codec.createRequestBody(request, 10L);
    sink.write(new Buffer().writeUtf8("abcd"), 4);

    assertThatThrownBy(sink::close)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("expected 10 bytes but received 4")
        .hasMessageContaining("127.0.0.1:" + server.port());
    assertThat(connection.maxConcurrentExchanges()).isZero();
  }

  @Test
  void requestTrailersReachTheServer() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("ok").build());
    Http1ExchangeCodec codec = newCodec(connect());
    Request request = request("/upload").header("Transfer-Encoding", "chunked")
        .post(Exchanges.withTrailers("content", -1L, Headers.of("Checksum", "abc123"))).build();

    Response response = execute(codec, request);

    assertThat(response.body().string()).isEqualTo("ok");
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.bodyUtf8()).isEqualTo("content");
    assertThat(recorded.trailers()).containsExactly(Map.entry("Checksum", "abc123"));
    assertThat(connection.maxConcurrentExchanges()).isEqualTo(1);
  }

  @Test
  void fixedLengthRequestBodyWithTrailersIsRejectedOnClose() throws Exception {
    Http1ExchangeCodec codec = newCodec(connect());
    Request request = request("/").header("Content-Length", "3")
        .post(Exchanges.withTrailers("abc", 3L, Headers.of("Checksum", "x"))).build();
    codec.writeRequestHeaders(request);
    Sink sink = codec.createRequestBody(request, 3L);
    sink.write(new Buffer().writeUtf8("abc"), 3);

    assertThatThrownBy(sink::close)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("127.0.0.1:" + server.port())
        .hasMessageContaining("chunked")
        .hasMessageContaining("contentLength() -1");
    assertThat(connection.maxConcurrentExchanges()).isZero();
  }

  @Test
  void forbiddenTrailerFieldIsRejectedBeforeTheLastChunk() throws Exception {
    Http1ExchangeCodec codec = newCodec(connect());
    Request request = request("/").header("Transfer-Encoding", "chunked")
        .post(Exchanges.withTrailers("abc", -1L, Headers.of("Checksum", "x", "Content-Length", "3")))
        .build();
    codec.writeRequestHeaders(request);
    Sink sink = codec.createRequestBody(request, -1L);
    sink.write(new Buffer().writeUtf8("abc"), 3);

    assertThatThrownBy(sink::close)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("127.0.0.1:" + server.port())
        .hasMessageContaining("Content-Length")
        .hasMessageContaining("RFC 9110");
    assertThat(connection.maxConcurrentExchanges()).isZero();
  }

  @Test
  void expectContinueReportsNullThenSendsBody() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("accepted").build());
    Http1ExchangeCodec codec = newCodec(connect());
    Request request = request("/upload").header("Expect", "100-continue").header("Content-Length", "4")
        .post(RequestBody.create("data", null)).build();

    codec.writeRequestHeaders(request);
    codec.flushRequest();
    assertThat(codec.readResponseHeaders(true)).isNull();
    try (BufferedSink body = Okio.buffer(codec.createRequestBody(request, 4L))) {
      body.writeUtf8("data");
    }
    codec.finishRequest();
    Response head = codec.readResponseHeaders(true).build();

    assertThat(head.code()).isEqualTo(200);
    assertThat(readUtf8(codec.openResponseBodySource(head))).isEqualTo("accepted");
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("data");
    assertThat(connection.maxConcurrentExchanges()).isEqualTo(1);
  }

  @Test
  void finalResponseBeforeTheRequestBodyLeavesConnectionUnusable() throws Exception {
    server.enqueue(ScriptedResponse.builder().status(417).expectContinue(false).build());
    Http1ExchangeCodec codec = newCodec(connect());
    Request request = request("/upload").header("Expect", "100-continue").header("Content-Length", "4")
        .post(RequestBody.create("data", null)).build();

    codec.writeRequestHeaders(request);
    codec.flushRequest();
    Response head = codec.readResponseHeaders(true).build();
    codec.finishRequest();

    assertThat(head.code()).isEqualTo(417);
    assertThat(connection.maxConcurrentExchanges()).isZero();
  }

  @Test
  void informationalResponsesAreReturnedBeforeTheFinalOne() throws Exception {
    server.enqueue(ScriptedResponse.builder()
        .informational(103, "Link", "</style.css>; rel=preload")
        .body("final")
        .build());
    Http1ExchangeCodec codec = newCodec(connect());
    Request request = request("/").build();
    codec.writeRequestHeaders(request);
    codec.finishRequest();

    Response early = codec.readResponseHeaders(false).build();
    assertThat(early.code()).isEqualTo(103);
    assertThat(early.header("Link")).isEqualTo("</style.css>; rel=preload");
    assertThatThrownBy(() -> codec.openResponseBodySource(early))
        .isInstanceOf(IllegalStateException.class);

    Response head = codec.readResponseHeaders(false).build();
    assertThat(head.code()).isEqualTo(200);
    assertThat(readUtf8(codec.openResponseBodySource(head))).isEqualTo("final");
  }

  @Test
  void keepAliveConnectionCarriesTwoExchanges() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("one").build());
    server.enqueue(ScriptedResponse.builder().chunkedBody("two", 2).build());
    connect();

    Response first = execute(newCodec(connection), request("/1").build());
    assertThat(first.body().string()).isEqualTo("one");
    assertThat(connection.isHealthy(true)).isTrue();
    Response second = execute(newCodec(connection), request("/2").build());
    assertThat(second.body().string()).isEqualTo("two");

    RecordedRequest recordedFirst = server.takeRequest();
    RecordedRequest recordedSecond = server.takeRequest();
    assertThat(recordedSecond.connectionIndex()).isEqualTo(recordedFirst.connectionIndex());
    assertThat(server.connectionCount()).isEqualTo(1);
    assertThat(capacityChanges.get()).isZero();
  }

  @Test
  void headResponseHasNoBodyDespiteContentLength() throws Exception {
    server.enqueue(ScriptedResponse.builder().setHeader("Content-Length", "42").build());
    server.enqueue(ScriptedResponse.builder().body("next").build());
    connect();
    Http1ExchangeCodec codec = newCodec(connection);

    Response head = send(codec, request("/").head().build());
    assertThat(head.header("Content-Length")).isEqualTo("42");
    assertThat(codec.reportedContentLength(head)).isZero();
    assertThat(readUtf8(codec.openResponseBodySource(head))).isEmpty();

    Response next = execute(newCodec(connection), request("/next").build());
    assertThat(next.body().string()).isEqualTo("next");
  }

  @Test
  void unopenedEmptyBodyDoesNotHoldTheConnection() throws Exception {
    server.enqueue(ScriptedResponse.builder().status(204).removeHeader("Content-Length").build());
    server.enqueue(ScriptedResponse.builder().body("next").build());
    connect();

    Response noContent = send(newCodec(connection), request("/").build());
    assertThat(noContent.code()).isEqualTo(204);

    Response next = execute(newCodec(connection), request("/next").build());
    assertThat(next.body().string()).isEqualTo("next");
  }

  @Test
  void responseWithConnectionCloseLeavesConnectionUnusable() throws Exception {
    server.enqueue(ScriptedResponse.builder().header("Connection", "close").body("bye").build());
    Http1ExchangeCodec codec = newCodec(connect());

    Response response = execute(codec, request("/").build());

    assertThat(response.body().string()).isEqualTo("bye");
    assertThat(connection.maxConcurrentExchanges()).isZero();
  }

  @Test
  void requestWithConnectionCloseLeavesConnectionUnusable() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("bye").build());
    Http1ExchangeCodec codec = newCodec(connect());

    Response response = execute(codec, request("/").header("Connection", "close").build());

    assertThat(response.body().string()).isEqualTo("bye");
    assertThat(connection.maxConcurrentExchanges()).isZero();
  }

  @Test
  void closingBodyEarlyWithSmallRestKeepsConnectionReusable() throws Exception {
    byte[] content = new byte[2_000];
    Arrays.fill(content, (byte) 'x');
    server.enqueue(ScriptedResponse.builder().body(content).build());
    server.enqueue(ScriptedResponse.builder().chunkedBody(content, 100).build());
    server.enqueue(ScriptedResponse.builder().body("third").build());
    connect();

    for (int i = 0; i < 2; i++) {
      Http1ExchangeCodec codec = newCodec(connection);
      Source body = codec.openResponseBodySource(send(codec, request("/" + i).build()));
      assertThat(body.read(new Buffer(), 10)).isEqualTo(10L);
      body.close();
      assertThat(connection.maxConcurrentExchanges()).isEqualTo(1);
    }
    Response third = execute(newCodec(connection), request("/third").build());

    assertThat(third.body().string()).isEqualTo("third");
    assertThat(server.takeRequest().connectionIndex()).isEqualTo(server.takeRequest().connectionIndex());
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void closingBodyEarlyWhileTheRestStallsLeavesConnectionUnusable() throws Exception {
    server.enqueue(ScriptedResponse.builder().body(new byte[64]).fault(Fault.STALL).build());
    Http1ExchangeCodec codec = newCodec(connect());
    Source body = codec.openResponseBodySource(send(codec, request("/").build()));

    body.close();

    assertThat(connection.maxConcurrentExchanges()).isZero();
    assertThat(capacityChanges.get()).isEqualTo(1);
    assertThatThrownBy(() -> body.read(new Buffer(), 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingBodyEarlyWithSlowLargeRestLeavesConnectionUnusable() throws Exception {
    server.enqueue(ScriptedResponse.builder()
        .body(new byte[1_000_000])
        .throttleBody(16_384, 50, TimeUnit.MILLISECONDS)
        .build());
    Http1ExchangeCodec codec = newCodec(connect());
    Source body = codec.openResponseBodySource(send(codec, request("/").build()));
    assertThat(body.read(new Buffer(), 1)).isEqualTo(1L);

    body.close();

    assertThat(connection.maxConcurrentExchanges()).isZero();
  }

  @Test
  void readTimeoutFailsTheExchangeAndTheConnection() throws Exception {
    server.enqueue(ScriptedResponse.builder().fault(Fault.NO_RESPONSE).build());
    connect();
    Http1ExchangeCodec codec = (Http1ExchangeCodec) connection.newCodec(new ExchangeOptions(200, 5_000));
    Request request = request("/").build();
    codec.writeRequestHeaders(request);
    codec.finishRequest();

    assertThatThrownBy(() -> codec.readResponseHeaders(false)).isInstanceOf(InterruptedIOException.class);
    assertThat(connection.maxConcurrentExchanges()).isZero();
  }

  @Test
  void cancelUnblocksAReadWaitingForTheResponse() throws Exception {
    server.enqueue(ScriptedResponse.builder().fault(Fault.NO_RESPONSE).build());
    Http1ExchangeCodec codec = newCodec(connect());
    Request request = request("/").build();
    codec.writeRequestHeaders(request);
    codec.finishRequest();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<Response.Builder> reading = executor.submit(() -> codec.readResponseHeaders(false));
      server.takeRequest();

      codec.cancel();

      assertThatThrownBy(() -> reading.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
      assertThat(connection.maxConcurrentExchanges()).isZero();
      assertThat(connection.isHealthy(false)).isFalse();
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void cancelUnblocksAReadOfAStalledBody() throws Exception {
    server.enqueue(ScriptedResponse.builder().body(new byte[64]).fault(Fault.STALL).build());
    Http1ExchangeCodec codec = newCodec(connect());
    Source body = codec.openResponseBodySource(send(codec, request("/").build()));
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<Long> reading = executor.submit(() -> body.read(new Buffer(), 1));

      codec.cancel();
      codec.cancel(); // idempotent

      assertThatThrownBy(() -> reading.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
      assertThat(connection.maxConcurrentExchanges()).isZero();
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void methodsCalledOutOfOrderThrow() throws Exception {
    Http1ExchangeCodec codec = newCodec(connect());
    Request request = request("/").header("Content-Length", "1")
        .post(RequestBody.create("a", null)).build();

    assertThatThrownBy(() -> codec.createRequestBody(request, 1L)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> codec.readResponseHeaders(false)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(codec::finishRequest).isInstanceOf(IllegalStateException.class);

    codec.writeRequestHeaders(request);
    assertThatThrownBy(() -> codec.writeRequestHeaders(request))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("OPEN_REQUEST_BODY");
    Sink sink = codec.createRequestBody(request, 1L);
    assertThatThrownBy(codec::finishRequest)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("request body sink was closed");
    sink.write(new Buffer().writeUtf8("a"), 1);
    sink.close();
    assertThatThrownBy(() -> sink.write(new Buffer().writeUtf8("b"), 1))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void bodyOfUnknownLengthIsFramedChunkedByTheCodecAlone() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("ok").build());
    Http1ExchangeCodec codec = newCodec(connect());
    Request request = request("/upload")
        .post(Exchanges.withTrailers("streamed", -1L, Headers.EMPTY)).build();

    Response response = send(codec, request);

    assertThat(response.code()).isEqualTo(200);
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.header("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(recorded.header("Content-Length")).isNull();
    assertThat(recorded.bodyUtf8()).isEqualTo("streamed");
  }

  @Test
  void bodyOfKnownLengthGetsContentLengthFromTheCodecReplacingTheCallersFraming() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("ok").build());
    server.enqueue(ScriptedResponse.builder().body("again").build());
    Http1ExchangeCodec codec = newCodec(connect());
    Request request = request("/upload")
        .header("Content-Length", "99")
        .post(RequestBody.create("four", null)).build();

    Response response = execute(codec, request);
    assertThat(readUtf8(response.body().source())).isEqualTo("ok");

    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.headerValues("Content-Length")).containsExactly("4");
    assertThat(recorded.header("Transfer-Encoding")).isNull();
    assertThat(recorded.header("Connection")).isNull();
    assertThat(recorded.bodyUtf8()).isEqualTo("four");
    // The framing matched what was sent: the connection carries the next exchange.
    Response next = execute(newCodec(connection), request("/next").build());
    assertThat(readUtf8(next.body().source())).isEqualTo("again");
    assertThat(server.takeRequest().connectionIndex()).isEqualTo(recorded.connectionIndex());
  }

  @Test
  void requestBodyCannotBeOpenedForARequestWrittenWithoutOne() throws Exception {
    Http1ExchangeCodec codec = newCodec(connect());
    Request request = request("/").build();
    codec.writeRequestHeaders(request);

    assertThatThrownBy(() -> codec.createRequestBody(request, 1L))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("without a body")
        .hasMessageContaining("127.0.0.1:" + server.port());
  }
}
