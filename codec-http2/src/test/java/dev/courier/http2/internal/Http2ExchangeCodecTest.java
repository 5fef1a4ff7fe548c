package dev.courier.http2.internal;

import static dev.courier.http2.internal.Http2TestPeer.DATA;
import static dev.courier.http2.internal.Http2TestPeer.END_STREAM;
import static dev.courier.http2.internal.Http2TestPeer.RST_STREAM;
import static dev.courier.http2.internal.TestTransports.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.ConnectionShutdownException;
import dev.courier.Headers;
import dev.courier.MediaType;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.StreamResetException;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.Okio;
import okio.Sink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class Http2ExchangeCodecTest {
  private static final ExchangeOptions OPTIONS = new ExchangeOptions(5_000, 5_000);

  @RegisterExtension
  final Http2PeerExtension h2 = new Http2PeerExtension();
  private final Http2TestPeer peer = h2.peer();
  private Http2Connection connection;

  @BeforeEach
  void setUp() throws IOException {
    connection = h2.start();
    peer.handshake();
  }

  @Test
  void getSendsPseudoHeadersWithEndStreamAndReadsTheResponse() throws Exception {
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(get(peer.port(), "/a/b?c=d&e"));
    codec.finishRequest();

    Http2TestPeer.Frame frame = peer.expect(Http2TestPeer.HEADERS);
    assertThat(frame.has(END_STREAM)).isTrue();
    Http2Headers headers = peer.decode(frame);
    assertThat(names(headers)).startsWith(":method", ":scheme", ":authority", ":path");
    assertThat(headers.method().toString()).isEqualTo("GET");
    assertThat(headers.scheme().toString()).isEqualTo("http");
    assertThat(headers.authority().toString()).isEqualTo("127.0.0.1:" + peer.port());
    assertThat(headers.path().toString()).isEqualTo("/a/b?c=d&e");

    peer.writeHeaders(1, false, ":status", "200", "content-type", "text/plain", "content-length", "5");
    peer.writeData(1, true, "hello");

    Response.Builder head = codec.readResponseHeaders(false);
    Response response = head.request(get(peer.port(), "/")).build();
    assertThat(response.code()).isEqualTo(200);
    assertThat(response.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
    assertThat(response.message()).isEmpty();
    assertThat(response.headers()).isEqualTo(Headers.of("content-type", "text/plain", "content-length", "5"));
    assertThat(codec.reportedContentLength(response)).isEqualTo(5);
    assertThat(readBody(codec)).isEqualTo("hello");
    assertThat(codec.trailers()).isEqualTo(Headers.EMPTY);
    assertThat(connection.openStreamCount()).isZero();
  }

  @Test
  void connectionSpecificHeadersAreStrippedAndNamesLowercased() throws Exception {
    Request request = new Request.Builder()
        .url("http://127.0.0.1:" + peer.port() + "/")
        .header("Host", "example.com:8080")
        .header("Connection", "keep-alive")
        .header("Keep-Alive", "timeout=5")
        .header("Proxy-Connection", "keep-alive")
        .header("Transfer-Encoding", "chunked")
        .header("Upgrade", "h2c")
        .header("TE", "gzip")
        .header("X-Custom", "Value")
        .build();
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(request);
    codec.finishRequest();

    Http2Headers headers = peer.expectHeaders(1);
    assertThat(headers.authority().toString()).isEqualTo("example.com:8080");
    assertThat(names(headers)).containsExactly(":method", ":scheme", ":authority", ":path", "x-custom");
    assertThat(headers.get("x-custom").toString()).isEqualTo("Value");
  }

  @Test
  void fieldsNominatedByConnectionAreDroppedToo() throws Exception {
    Request request = new Request.Builder()
        .url("http://127.0.0.1:" + peer.port() + "/")
        .header("Connection", "close, X-Hop")
        .addHeader("Connection", " x-other ")
        .header("X-Hop", "1")
        .header("X-Other", "2")
        .header("X-End-To-End", "3")
        .build();
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(request);
    codec.finishRequest();

    Http2Headers headers = peer.expectHeaders(1);
    assertThat(names(headers)).containsExactly(":method", ":scheme", ":authority", ":path", "x-end-to-end");
  }

  @Test
  void teTrailersIsKept() throws Exception {
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(new Request.Builder().url("http://127.0.0.1:" + peer.port() + "/")
        .header("TE", "trailers").build());
    codec.finishRequest();

    assertThat(peer.expectHeaders(1).get("te").toString()).isEqualTo("trailers");
  }

  @Test
  void requestTrailersFollowTheDataInAHeadersFrameThatEndsTheStream() throws Exception {
    Headers trailers = Headers.of("Checksum", "abc123", "X-Parts", "2");
    Request request = new Request.Builder().url("http://127.0.0.1:" + peer.port() + "/upload")
        .post(new BodyWithTrailers("payload", 7, trailers)).build();
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(request);
    try (BufferedSink body = Okio.buffer(codec.createRequestBody(request, 7))) {
      request.body().writeTo(body);
    }
    codec.finishRequest();

    assertThat(peer.expect(Http2TestPeer.HEADERS).has(END_STREAM)).isFalse();
    Http2TestPeer.Frame data = peer.expect(DATA);
    assertThat(data.payload().utf8()).isEqualTo("payload");
    assertThat(data.has(END_STREAM)).isFalse();
    Http2TestPeer.Frame trailerFrame = peer.expect(Http2TestPeer.HEADERS);
    assertThat(trailerFrame.streamId()).isEqualTo(1);
    assertThat(trailerFrame.has(END_STREAM)).isTrue();
    Http2Headers decoded = peer.decode(trailerFrame);
    assertThat(names(decoded)).containsExactly("checksum", "x-parts");
    assertThat(decoded.get("checksum").toString()).isEqualTo("abc123");

    peer.writeHeaders(1, true, ":status", "204");
    assertThat(codec.readResponseHeaders(false).request(request).build().code()).isEqualTo(204);
  }

  @Test
  void trailersOfAnEmptyBodyFollowTheHeadersWithoutData() throws Exception {
    Request request = new Request.Builder().url("http://127.0.0.1:" + peer.port() + "/upload")
        .post(new BodyWithTrailers("", -1, Headers.of("grpc-status", "0"))).build();
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(request);
    codec.createRequestBody(request, -1).close();
    codec.finishRequest();

    assertThat(peer.expect(Http2TestPeer.HEADERS).has(END_STREAM)).isFalse();
    Http2TestPeer.Frame next = peer.expect(Http2TestPeer.HEADERS);
    assertThat(next.has(END_STREAM)).isTrue();
    assertThat(peer.decode(next).get("grpc-status").toString()).isEqualTo("0");
  }

  @Test
  void forbiddenTrailerFieldResetsTheStream() throws Exception {
    Request request = new Request.Builder().url("http://127.0.0.1:" + peer.port() + "/upload")
        .post(new BodyWithTrailers("abc", 3, Headers.of("Content-Length", "3"))).build();
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(request);
    Sink sink = codec.createRequestBody(request, 3);
    sink.write(new Buffer().writeUtf8("abc"), 3);

    assertThatThrownBy(sink::close)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("127.0.0.1")
        .hasMessageContaining("Content-Length");
    codec.flushRequest();
    peer.expect(Http2TestPeer.HEADERS);
    assertThat((long) peer.expect(RST_STREAM).intAt(0)).isEqualTo(ErrorCodes.CANCEL);
  }

  @Test
  void requestTrailersReachTheTestServer() throws Exception {
    try (TestServer server = new TestServer()) {
      server.protocols(List.of("h2c"));
      server.enqueue(ScriptedResponse.builder().body("ok").build());
      server.start();
      Http2Connection h2c = TestTransports.start(server.port());
      try {
        Request request = new Request.Builder().url("http://127.0.0.1:" + server.port() + "/upload")
            .post(new BodyWithTrailers("content", -1, Headers.of("Checksum", "abc123"))).build();
        ExchangeCodec codec = h2c.newCodec(OPTIONS);
        codec.writeRequestHeaders(request);
        try (BufferedSink body = Okio.buffer(codec.createRequestBody(request, -1))) {
          request.body().writeTo(body);
        }
        codec.finishRequest();

        assertThat(codec.readResponseHeaders(false).request(request).build().code()).isEqualTo(200);
        assertThat(readBody(codec)).isEqualTo("ok");
        RecordedRequest recorded = server.takeRequest();
        assertThat(recorded.bodyUtf8()).isEqualTo("content");
        assertThat(recorded.trailers()).containsExactly(Map.entry("checksum", "abc123"));
      } finally {
        h2c.close();
      }
    }
  }

  @Test
  void requestBodyIsSentAsDataWithEndStreamOnClose() throws Exception {
    Request request = new Request.Builder().url("http://127.0.0.1:" + peer.port() + "/upload")
        .post(RequestBody.create("payload", MediaType.parse("text/plain"))).build();
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(request);
    try (BufferedSink body = Okio.buffer(codec.createRequestBody(request, 7))) {
      body.writeUtf8("payload");
    }
    codec.finishRequest();

    Http2TestPeer.Frame headers = peer.expect(Http2TestPeer.HEADERS);
    assertThat(headers.has(END_STREAM)).isFalse();
    assertThat(peer.decode(headers).method().toString()).isEqualTo("POST");
    Http2TestPeer.Frame data = peer.expect(DATA);
    assertThat(data.payload().utf8()).isEqualTo("payload");
    assertThat(data.has(END_STREAM)).isTrue();
  }

  @Test
  void requestBodyShorterThanContentLengthIsRejectedAndStreamReset() throws Exception {
    Request request = new Request.Builder().url("http://127.0.0.1:" + peer.port() + "/")
        .post(RequestBody.create("x", null)).build();
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(request);
    BufferedSink body = Okio.buffer(codec.createRequestBody(request, 10));
    body.writeUtf8("abc");

    assertThatThrownBy(body::close)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("3 of its 10 bytes");
    peer.expectHeaders(1);
    Http2TestPeer.Frame reset = peer.expect(RST_STREAM);
    assertThat((long) reset.intAt(0)).isEqualTo(ErrorCodes.CANCEL);
  }

  @Test
  void requestBodyLongerThanContentLengthIsRejected() throws Exception {
    Request request = new Request.Builder().url("http://127.0.0.1:" + peer.port() + "/")
        .post(RequestBody.create("x", null)).build();
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(request);
    okio.Sink body = codec.createRequestBody(request, 2);

    assertThatThrownBy(() -> body.write(new Buffer().writeUtf8("abc"), 3))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("Content-Length of 2 bytes");
  }

  @Test
  void informationalHeadsComeBeforeTheFinalOne() throws Exception {
    ExchangeCodec codec = h2.openStream(connection, OPTIONS, "/", 1);
    peer.writeHeaders(1, false, ":status", "103", "link", "</style.css>; rel=preload");
    peer.writeHeaders(1, true, ":status", "200");

    Response.Builder early = codec.readResponseHeaders(false);
    assertThat(early.code()).isEqualTo(103);
    assertThat(early.request(get(peer.port(), "/")).build().header("link")).isEqualTo("</style.css>; rel=preload");
    assertThat(codec.readResponseHeaders(false).code()).isEqualTo(200);
  }

  @Test
  void expectContinueReportsNullFor100ThenSendsTheBody() throws Exception {
    Request request = expectContinuePost();
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(request);
    codec.flushRequest();
    assertThat(peer.expectHeaders(1).get("expect").toString()).isEqualTo("100-continue");
    peer.writeHeaders(1, false, ":status", "100");

    assertThat(codec.readResponseHeaders(true)).isNull();
    try (BufferedSink body = Okio.buffer(codec.createRequestBody(request, 4))) {
      body.writeUtf8("body");
    }
    codec.finishRequest();
    assertThat(peer.expect(DATA).payload().utf8()).isEqualTo("body");
    peer.writeHeaders(1, true, ":status", "201");
    assertThat(codec.readResponseHeaders(true).code()).isEqualTo(201);
  }

  @Test
  void expectContinueAnsweredWithFinalStatusResetsTheUnsentRequest() throws Exception {
    Request request = expectContinuePost();
    ExchangeCodec codec = h2.openStreamWithBody(connection, OPTIONS, request, 1);
    peer.writeHeaders(1, true, ":status", "417");

    Response.Builder head = codec.readResponseHeaders(true);
    assertThat(head.code()).isEqualTo(417);
    assertThat(readBody(codec)).isEmpty();
    Http2TestPeer.Frame reset = peer.expect(RST_STREAM);
    assertThat((long) reset.intAt(0)).isEqualTo(ErrorCodes.CANCEL);
    assertThat(connection.openStreamCount()).isZero();
  }

  @Test
  void trailersFollowTheBody() throws Exception {
    ExchangeCodec codec = h2.openStream(connection, OPTIONS, "/", 1);
    peer.writeHeaders(1, false, ":status", "200");
    codec.readResponseHeaders(false);
    assertThatThrownBy(codec::trailers).isInstanceOf(IllegalStateException.class);

    peer.writeData(1, false, "body");
    peer.writeHeaders(1, true, "grpc-status", "0", "checksum", "abc");
    BufferedSource body = Okio.buffer(codec.openResponseBodySource(null));
    assertThat(body.readUtf8(4)).isEqualTo("body");
    assertThat(body.exhausted()).isTrue();
    assertThat(codec.trailers()).isEqualTo(Headers.of("grpc-status", "0", "checksum", "abc"));
  }

  @Test
  void trailersWithoutEndStreamAreMalformed() throws Exception {
    ExchangeCodec codec = h2.openStream(connection, OPTIONS, "/", 1);
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeHeaders(1, false, "x-trailer", "1");

    codec.readResponseHeaders(false);
    assertThatThrownBy(() -> readBody(codec))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("trailers without END_STREAM");
    assertThat((long) peer.expect(RST_STREAM).intAt(0)).isEqualTo(ErrorCodes.PROTOCOL_ERROR);
  }

  @Test
  void malformedResponseHeadsResetTheStreamAndRetireTheConnection() throws Exception {
    List<String[]> malformed = List.of(
        new String[] {"content-type", "text/plain"},
        new String[] {":status", "20"},
        new String[] {":status", "2x0"},
        new String[] {":status", "200", ":status", "200"},
        new String[] {":status", "200", ":path", "/"},
        new String[] {"x-a", "1", ":status", "200"},
        new String[] {":status", "200", "Content-Type", "text/plain"},
        new String[] {":status", "200", "connection", "close"},
        new String[] {":status", "200", "transfer-encoding", "chunked"},
        new String[] {":status", "101"},
        new String[] {":status", "200", "x-a", "1\u00002"},
        new String[] {":status", "200", "x-a", "1\r2"},
        new String[] {":status", "200", "x-a", "1\n2"},
        new String[] {":status", "200", "x-a\r\nx-b", "1"},
        new String[] {":status", "200", "content-length", "1x"});
    List<String> messages = new ArrayList<>();
    for (String[] fields : malformed) {
      // Each case on a connection of its own: a malformed response retires its connection.
      try (Http2TestPeer own = new Http2TestPeer()) {
        Http2Connection retired = TestTransports.start(own.port());
        try {
          own.handshake();
          ExchangeCodec codec = retired.newCodec(OPTIONS);
          codec.writeRequestHeaders(get(own.port(), "/"));
          codec.finishRequest();
          own.expectHeaders(1);
          own.writeHeaderBlock(1, true, Http2TestPeer.encodeLiterally(fields));

          Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> codec.readResponseHeaders(false));
          assertThat(thrown).as(String.join(",", fields)).isInstanceOf(ProtocolException.class)
              .hasMessageStartingWith("malformed HTTP/2 response from 127.0.0.1:" + own.port() + " (h2c, stream 1): ");
          messages.add(thrown.getMessage());
          Http2TestPeer.Frame reset = own.expect(RST_STREAM);
          assertThat(reset.streamId()).isEqualTo(1);
          assertThat((long) reset.intAt(0)).isEqualTo(ErrorCodes.PROTOCOL_ERROR);
          assertThat(retired.maxConcurrentExchanges()).as(String.join(",", fields)).isZero();
          assertThat(retired.isHealthy(false)).isFalse();
        } finally {
          retired.close();
        }
      }
    }
    assertThat(messages).anyMatch(m -> m.contains("no :status"))
        .anyMatch(m -> m.contains("not three digits"))
        .anyMatch(m -> m.contains("duplicate :status"))
        .anyMatch(m -> m.contains("unexpected pseudo-header :path"))
        .anyMatch(m -> m.contains("follows regular fields"))
        .anyMatch(m -> m.contains("not lowercase: Content-Type"))
        .anyMatch(m -> m.contains("connection-specific field connection"))
        .anyMatch(m -> m.contains("101 Switching Protocols"))
        .anyMatch(m -> m.contains("invalid character 0x0 in the value of x-a"))
        .anyMatch(m -> m.contains("invalid character 0xd in the value of x-a"))
        .anyMatch(m -> m.contains("invalid character 0xa in the value of x-a"))
        .anyMatch(m -> m.contains("invalid character 0xd in a field name"))
        .anyMatch(m -> m.contains("invalid content-length: 1x"));
  }

  @Test
  void headerListOverTheLimitIsRejectedAndTheConnectionStaysUsable() throws Exception {
    ExchangeCodec codec = h2.openStream(connection, OPTIONS, "/", 1);
    peer.writeHeaderBlock(1, true, peer.encode(1, ":status", "200", "x-big", "a".repeat(300 * 1024)));

    assertThatThrownBy(() -> codec.readResponseHeaders(false))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("127.0.0.1")
        .hasMessageContaining("262144 bytes");
    assertThat((long) peer.expect(RST_STREAM).intAt(0)).isEqualTo(ErrorCodes.PROTOCOL_ERROR);

    ExchangeCodec next = h2.openStream(connection, OPTIONS, "/next", 3);
    peer.writeHeaders(3, true, ":status", "200");
    assertThat(next.readResponseHeaders(false).code()).isEqualTo(200);
  }

  @Test
  void refusedStreamIsRetryableConnectionShutdown() throws Exception {
    ExchangeCodec codec = h2.openStream(connection, OPTIONS, "/", 1);
    peer.writeRstStream(1, ErrorCodes.REFUSED_STREAM);

    assertThatThrownBy(() -> codec.readResponseHeaders(false))
        .isInstanceOf(ConnectionShutdownException.class)
        .hasMessage("stream refused by 127.0.0.1:" + peer.port()
            + " (h2c, stream 1): REFUSED_STREAM, the request was not processed");
    assertThat(connection.isHealthy(false)).isTrue();
  }

  @Test
  void otherResetsAreStreamResetExceptionsWithTheirCode() throws Exception {
    ExchangeCodec codec = h2.openStream(connection, OPTIONS, "/", 1);
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeRstStream(1, ErrorCodes.INTERNAL_ERROR);

    codec.readResponseHeaders(false);
    assertThatThrownBy(() -> readBody(codec))
        .isInstanceOfSatisfying(StreamResetException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCodes.INTERNAL_ERROR))
        .hasMessageContaining("127.0.0.1")
        .hasMessageContaining("INTERNAL_ERROR");
    assertThat(connection.openStreamCount()).isZero();
  }

  @Test
  void resetWithNoErrorAfterFullResponseDropsTheRestOfTheUpload() throws Exception {
    Request request = new Request.Builder().url("http://127.0.0.1:" + peer.port() + "/")
        .post(RequestBody.create("x", null)).build();
    ExchangeCodec codec = h2.openStreamWithBody(connection, OPTIONS, request, 1);
    peer.writeHeaders(1, false, ":status", "413");
    peer.writeData(1, true, "too large");
    peer.writeRstStream(1, ErrorCodes.NO_ERROR);

    assertThat(codec.readResponseHeaders(false).code()).isEqualTo(413);
    try (BufferedSink body = Okio.buffer(codec.createRequestBody(request, -1))) {
      body.write(new byte[100_000]);
    }
    assertThat(readBody(codec)).isEqualTo("too large");
  }

  @Test
  void cancelResetsTheStreamAndWakesABlockedReader() throws Exception {
    ExchangeCodec codec = h2.openStream(connection, OPTIONS, "/", 1);
    CompletableFuture<Response.Builder> blocked = CompletableFuture.supplyAsync(() -> {
      try {
        return codec.readResponseHeaders(false);
      } catch (IOException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });

    codec.cancel();
    codec.cancel();

    assertThatThrownBy(() -> blocked.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IOException.class)
        .hasMessageContaining("canceled");
    Http2TestPeer.Frame reset = peer.expect(RST_STREAM);
    assertThat(reset.streamId()).isEqualTo(1);
    assertThat((long) reset.intAt(0)).isEqualTo(ErrorCodes.CANCEL);
    assertThat(connection.isHealthy(false)).isTrue();
    assertThat(connection.openStreamCount()).isZero();
  }

  @Test
  void cancelBeforeHeadersFailsTheExchangeWithoutOpeningAStream() throws Exception {
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.cancel();

    assertThatThrownBy(() -> codec.writeRequestHeaders(get(peer.port(), "/")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("canceled");
    assertThat(connection.openStreamCount()).isZero();
  }

  @Test
  void closingTheBodyEarlyResetsTheStreamAndReturnsItsWindow() throws Exception {
    ExchangeCodec codec = h2.openStream(connection, OPTIONS, "/", 1);
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeData(1, false, "partial");

    codec.readResponseHeaders(false);
    okio.Source body = codec.openResponseBodySource(null);
    Buffer first = new Buffer();
    assertThat(body.read(first, 1)).isEqualTo(1);
    TestTransports.awaitTrue("buffered", () -> connection.bufferedBytes() == 6);
    body.close();

    Http2TestPeer.Frame reset = peer.expect(RST_STREAM);
    assertThat((long) reset.intAt(0)).isEqualTo(ErrorCodes.CANCEL);
    assertThat(connection.bufferedBytes()).isZero();
    assertThatThrownBy(() -> body.read(new Buffer(), 1)).isInstanceOf(IOException.class);

    ExchangeCodec next = h2.openStream(connection, OPTIONS, "/next", 3);
    peer.writeHeaders(3, true, ":status", "200");
    assertThat(next.readResponseHeaders(false).code()).isEqualTo(200);
  }

  @Test
  void reportedContentLengthIsZeroForBodilessResponses() throws Exception {
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    Request head = new Request.Builder().url("http://127.0.0.1:" + peer.port() + "/").head().build();
    codec.writeRequestHeaders(head);
    codec.finishRequest();
    peer.expectHeaders(1);
    peer.writeHeaders(1, true, ":status", "200", "content-length", "100");

    Response response = codec.readResponseHeaders(false).request(head).build();
    assertThat(codec.reportedContentLength(response)).isZero();
    assertThat(codec.reportedContentLength(response.newBuilder().code(204).build())).isZero();
    assertThat(codec.reportedContentLength(response.newBuilder().code(304).build())).isZero();
  }

  @Test
  void duplexBodyIsWrittenWhileTheResponseIsRead() throws Exception {
    Request request = new Request.Builder().url("http://127.0.0.1:" + peer.port() + "/chat")
        .post(RequestBody.create("x", null)).build();
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(request);
    BufferedSink requestBody = Okio.buffer(codec.createRequestBody(request, -1));
    codec.finishRequest();
    peer.expectHeaders(1);
    peer.writeHeaders(1, false, ":status", "200");

    assertThat(codec.readResponseHeaders(false).code()).isEqualTo(200);
    BufferedSource responseBody = Okio.buffer(codec.openResponseBodySource(null));
    requestBody.writeUtf8("ping").flush();
    assertThat(peer.expect(DATA).payload().utf8()).isEqualTo("ping");
    peer.writeData(1, false, "pong");
    assertThat(responseBody.readUtf8(4)).isEqualTo("pong");
    requestBody.close();
    codec.flushRequest();
    assertThat(peer.expect(DATA).has(END_STREAM)).isTrue();
    peer.writeData(1, true, "");
    assertThat(responseBody.exhausted()).isTrue();
    assertThat(connection.openStreamCount()).isZero();
  }

  /** Returns a POST of a 4-byte body to {@code /} that waits for 100 Continue. */
  private Request expectContinuePost() {
    return new Request.Builder().url("http://127.0.0.1:" + peer.port() + "/")
        .header("Expect", "100-continue")
        .post(RequestBody.create("body", null)).build();
  }

  private static List<String> names(Http2Headers headers) {
    List<String> names = new ArrayList<>();
    for (Map.Entry<CharSequence, CharSequence> entry : headers) {
      names.add(entry.getKey().toString());
    }
    return names;
  }

  private static String readBody(ExchangeCodec codec) throws IOException {
    try (BufferedSource body = Okio.buffer(codec.openResponseBodySource(null))) {
      return body.readUtf8();
    }
  }
}
