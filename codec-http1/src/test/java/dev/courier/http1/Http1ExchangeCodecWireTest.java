package dev.courier.http1;

import static dev.courier.http1.Exchanges.newCodec;
import static dev.courier.http1.Exchanges.readUtf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Headers;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.http1.toolkit.Http1Limits;
import dev.courier.spi.ProtocolConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.Sink;
import okio.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drives {@link Http1ExchangeCodec} against a raw socket server that sends scripted bytes, for
 * exact wire formats and malformed responses that a real server would not produce.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class Http1ExchangeCodecWireTest {
  private Http1Connection connection;
  private Http1ExchangeCodec codec;
  private String peer;

  @AfterEach
  void tearDown() {
    if (connection != null) {
      connection.close();
    }
  }

  /** Connects to {@code server} and sends {@code method /} with no body. */
  private Http1ExchangeCodec sendRequest(RawServer server, String method) throws IOException {
    connection = new Http1Connection(Transports.connect(server.host(), server.port()),
        ProtocolConnection.Listener.NONE);
    peer = server.host() + ":" + server.port();
    codec = newCodec(connection);
    Request request = new Request.Builder().url("http://" + peer + "/").method(method, null).build();
    codec.writeRequestHeaders(request);
    codec.finishRequest();
    return codec;
  }

  private Response readFinalHead(RawServer server, String method) throws IOException {
    sendRequest(server, method);
    return Exchanges.readFinalResponse(codec, new Request.Builder().url("http://" + peer + "/").build());
  }

  private String readBody(Response head) throws IOException {
    return readUtf8(codec.openResponseBodySource(head));
  }

  @Test
  void requestHeadIsWrittenInOriginForm() throws Exception {
    BlockingQueue<String> heads = new ArrayBlockingQueue<>(1);
    try (RawServer server = RawServer.serve((in, out) -> {
      heads.add(RawServer.readHead(in));
      out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.UTF_8));
    })) {
      connection = new Http1Connection(Transports.connect(server.host(), server.port()),
          ProtocolConnection.Listener.NONE);
      codec = newCodec(connection);
      Request request = new Request.Builder()
          .url("http://user:pw@127.0.0.1:" + server.port() + "/a%20b/c?x=y%20z#fragment")
          .header("Host", "127.0.0.1")
          .addHeader("X-Multi", "1")
          .addHeader("X-Multi", "2")
          .build();
      codec.writeRequestHeaders(request);
      codec.finishRequest();

      assertThat(heads.poll(5, TimeUnit.SECONDS)).isEqualTo("GET /a%20b/c?x=y%20z HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\n"
          + "X-Multi: 1\r\n"
          + "X-Multi: 2\r\n"
          + "\r\n");
    }
  }

  @Test
  void requestTargetIsAbsoluteThroughAPlainTextHttpProxy() throws Exception {
    BlockingQueue<String> heads = new ArrayBlockingQueue<>(2);
    try (RawServer server = RawServer.serve((in, out) -> {
      heads.add(RawServer.readHead(in));
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      heads.add(RawServer.readHead(in));
    })) {
      InetSocketAddress proxyAddress = new InetSocketAddress(server.host(), server.port());
      connection = new Http1Connection(Transports.connect("example.com", 8080,
          new Proxy(Proxy.Type.HTTP, proxyAddress), proxyAddress), ProtocolConnection.Listener.NONE);
      codec = newCodec(connection);
      Request first = new Request.Builder().url("http://user:pw@example.com:8080/path?q=1#top").build();
      codec.openResponseBodySource(Exchanges.send(codec, first)).close();
      Http1ExchangeCodec second = newCodec(connection);
      second.writeRequestHeaders(new Request.Builder().url("http://[::1]/").build());
      second.finishRequest();

      assertThat(heads.poll(5, TimeUnit.SECONDS)).startsWith("GET http://example.com:8080/path?q=1 HTTP/1.1\r\n");
      assertThat(heads.poll(5, TimeUnit.SECONDS)).startsWith("GET http://[::1]/ HTTP/1.1\r\n");
    }
  }

  @Test
  void chunkedRequestBodyIsFramedOnTheWire() throws Exception {
    BlockingQueue<String> bodies = new ArrayBlockingQueue<>(1);
    String expected = "5\r\nhello\r\n1\r\n!\r\n0\r\n\r\n";
    try (RawServer server = RawServer.serve((in, out) -> {
      RawServer.readHead(in);
      bodies.add(new String(RawServer.readBytes(in, expected.length()), StandardCharsets.UTF_8));
    })) {
      connection = new Http1Connection(Transports.connect(server.host(), server.port()),
          ProtocolConnection.Listener.NONE);
      codec = newCodec(connection);
      Request request = new Request.Builder().url("http://127.0.0.1:" + server.port() + "/")
          .header("Transfer-Encoding", "chunked").post(RequestBody.create("unused", null)).build();
      codec.writeRequestHeaders(request);
      Sink sink = codec.createRequestBody(request, -1L);
      sink.write(new Buffer().writeUtf8("hello"), 5);
      sink.write(new Buffer(), 0);
      sink.write(new Buffer().writeUtf8("!"), 1);
      sink.close();
      codec.finishRequest();

      assertThat(bodies.poll(5, TimeUnit.SECONDS)).isEqualTo(expected);
    }
  }

  @Test
  void requestTrailersFollowTheLastChunk() throws Exception {
    String expected = "5\r\nhello\r\n0\r\nChecksum: 5d41402a\r\nX-Parts: 1\r\nX-Parts: 2\r\n\r\n";
    BlockingQueue<String> bodies = new ArrayBlockingQueue<>(1);
    try (RawServer server = RawServer.serve((in, out) -> {
      RawServer.readHead(in);
      bodies.add(new String(RawServer.readBytes(in, expected.length()), StandardCharsets.UTF_8));
      out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      RawServer.holdOpen();
    })) {
      connection = new Http1Connection(Transports.connect(server.host(), server.port()),
          ProtocolConnection.Listener.NONE);
      codec = newCodec(connection);
      Headers trailers = Headers.of("Checksum", "5d41402a", "X-Parts", "1", "X-Parts", "2");
      Request request = new Request.Builder().url("http://127.0.0.1:" + server.port() + "/")
          .header("Transfer-Encoding", "chunked")
          .post(Exchanges.withTrailers("hello", -1L, trailers)).build();

      Response response = Exchanges.send(codec, request);

      assertThat(bodies.poll(5, TimeUnit.SECONDS)).isEqualTo(expected);
      assertThat(response.code()).isEqualTo(204);
      assertThat(connection.maxConcurrentExchanges()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "HTTP/1.1 2OO OK", "HTTP/2.0 200 OK", "ICY 200 OK", "HTTP/1.1 200OK", "HTTP/1.1  200 OK",
      "HTTP/1.1 099 Too low", "HTTP/1.1 20", "", "<html>", "HTTP/1.1\t200 OK"})
  void malformedStatusLineIsAProtocolError(String statusLine) throws Exception {
    try (RawServer server = RawServer.respondAndHold(statusLine + "\r\nContent-Length: 0\r\n\r\n")) {
      sendRequest(server, "GET");

      assertThatThrownBy(() -> codec.readResponseHeaders(false))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("Unexpected status line from " + peer + ": " + statusLine);
      assertThat(connection.maxConcurrentExchanges()).isZero();
    }
  }

  @Test
  void statusLineWithoutReasonPhraseIsAccepted() throws Exception {
    try (RawServer server = RawServer.respondAndHold("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n")) {
      Response head = readFinalHead(server, "GET");

      assertThat(head.code()).isEqualTo(404);
      assertThat(head.message()).isEmpty();
      assertThat(head.protocol()).isEqualTo(Protocol.HTTP_1_1);
    }
  }

  @Test
  void headExactlyAtTheLimitIsAccepted() throws Exception {
    String statusLine = "HTTP/1.1 200 OK\r\n";
    String contentLength = "Content-Length: 0\r\n";
    int valueLength = (int) Http1Limits.DEFAULT_MAX_HEAD_BYTES - statusLine.length() - contentLength.length()
        - "X-Big: \r\n".length() - "\r\n".length();
    String head = statusLine + contentLength + "X-Big: " + "a".repeat(valueLength) + "\r\n\r\n";
    assertThat(head.length()).isEqualTo(Http1Limits.DEFAULT_MAX_HEAD_BYTES);
    try (RawServer server = RawServer.respondAndHold(head)) {
      Response response = readFinalHead(server, "GET");

      assertThat(response.header("X-Big")).hasSize(valueLength);
    }
  }

  @Test
  void headJustOverTheLimitIsAProtocolError() throws Exception {
    String statusLine = "HTTP/1.1 200 OK\r\n";
    int valueLength = (int) Http1Limits.DEFAULT_MAX_HEAD_BYTES - statusLine.length()
        - "X-Big: \r\n".length() - "\r\n".length() + 1;
    String head = statusLine + "X-Big: " + "a".repeat(valueLength) + "\r\n\r\n";
    try (RawServer server = RawServer.respondAndHold(head)) {
      sendRequest(server, "GET");

      assertThatThrownBy(() -> codec.readResponseHeaders(false))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("exceeded the limit of 262144 bytes")
          .hasMessageContaining(peer);
      assertThat(connection.maxConcurrentExchanges()).isZero();
    }
  }

  @Test
  void manySmallHeadersOverTheLimitAreAProtocolError() throws Exception {
    StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
    while (head.length() <= Http1Limits.DEFAULT_MAX_HEAD_BYTES) {
      head.append("X-Header: value\r\n");
    }
    head.append("\r\n");
    try (RawServer server = RawServer.respondAndHold(head.toString())) {
      sendRequest(server, "GET");

      assertThatThrownBy(() -> codec.readResponseHeaders(false))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("exceeded the limit");
    }
  }

  @Test
  void endOfStreamBeforeTheHeadNamesTheHost() throws Exception {
    try (RawServer server = RawServer.serve((in, out) -> RawServer.readHead(in))) {
      sendRequest(server, "GET");

      assertThatThrownBy(() -> codec.readResponseHeaders(false))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(ProtocolException.class)
          .hasMessage("unexpected end of stream on " + peer);
      assertThat(connection.maxConcurrentExchanges()).isZero();
    }
  }

  @Test
  void endOfStreamInsideTheHeadNamesTheHost() throws Exception {
    try (RawServer server = RawServer.respond("HTTP/1.1 200 OK\r\nContent-Le")) {
      sendRequest(server, "GET");

      assertThatThrownBy(() -> codec.readResponseHeaders(false))
          .isInstanceOf(IOException.class)
          .hasMessage("unexpected end of stream on " + peer);
    }
  }

  @Test
  void truncatedFixedLengthBodyIsAProtocolError() throws Exception {
    try (RawServer server = RawServer.respond("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")) {
      Response head = readFinalHead(server, "GET");
      Source body = codec.openResponseBodySource(head);

      assertThatThrownBy(() -> readUtf8(body))
          .isInstanceOf(ProtocolException.class)
          .hasMessageStartingWith("unexpected end of stream on " + peer)
          .hasMessageContaining("3 of 10");
      assertThat(connection.maxConcurrentExchanges()).isZero();
      assertThatThrownBy(() -> body.read(new Buffer(), 1))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("failed earlier");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"5\r\nab", "3\r\nabc\r\n", "3\r\nabc", "3", "3\r\nabc\r\n0\r\nX-Trailer: 1\r\n"})
  void truncatedChunkedBodyIsAnError(String chunks) throws Exception {
    try (RawServer server = RawServer.respond(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks)) {
      Response head = readFinalHead(server, "GET");
      Source body = codec.openResponseBodySource(head);

      assertThatThrownBy(() -> readUtf8(body))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("unexpected end of stream on " + peer);
      assertThat(connection.maxConcurrentExchanges()).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"zz", "-1", "3x", "0x3", "ffffffffffffffffff", "8000000000000000", ""})
  void malformedChunkSizeIsAProtocolError(String size) throws Exception {
    try (RawServer server = RawServer.respondAndHold(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + size + "\r\nabc\r\n0\r\n\r\n")) {
      Response head = readFinalHead(server, "GET");
      Source body = codec.openResponseBodySource(head);

      assertThatThrownBy(() -> readUtf8(body))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("Malformed chunk size from " + peer);
      assertThat(connection.maxConcurrentExchanges()).isZero();
    }
  }

  @Test
  void missingLineEndAfterChunkDataIsAProtocolError() throws Exception {
    try (RawServer server = RawServer.respondAndHold(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n")) {
      Response head = readFinalHead(server, "GET");
      Source body = codec.openResponseBodySource(head);

      assertThatThrownBy(() -> readUtf8(body))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("Expected CRLF after chunk data");
    }
  }

  @Test
  void chunkExtensionsAndUppercaseSizesAreAccepted() throws Exception {
    try (RawServer server = RawServer.respondAndHold("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "3;name=value\r\nabc\r\n4 ; quoted=\"x;y\"\r\ndefg\r\nA\r\n0123456789\r\n0;last\r\n\r\n")) {
      Response head = readFinalHead(server, "GET");

      assertThat(readBody(head)).isEqualTo("abcdefg0123456789");
      assertThat(connection.maxConcurrentExchanges()).isEqualTo(1);
    }
  }

  @Test
  void bareLineFeedsAreAccepted() throws Exception {
    try (RawServer server = RawServer.respondAndHold("HTTP/1.1 200 OK\nContent-Length: 2\nX-A: b\n\nok")) {
      Response head = readFinalHead(server, "GET");

      assertThat(head.header("X-A")).isEqualTo("b");
      assertThat(readBody(head)).isEqualTo("ok");
    }
  }

  @Test
  void obsoleteLineFoldsAreJoinedWithASpace() throws Exception {
    try (RawServer server = RawServer.respondAndHold("HTTP/1.1 200 OK\r\n"
        + "X-Folded: first\r\n   second \r\n\tthird\r\nContent-Length: 0\r\n\r\n")) {
      Response head = readFinalHead(server, "GET");

      assertThat(head.headers().values("X-Folded")).containsExactly("first second third");
      assertThat(head.header("Content-Length")).isEqualTo("0");
    }
  }

  @Test
  void foldBeforeAnyFieldIsAProtocolError() throws Exception {
    try (RawServer server = RawServer.respondAndHold("HTTP/1.1 200 OK\r\n folded\r\n\r\n")) {
      sendRequest(server, "GET");

      assertThatThrownBy(() -> codec.readResponseHeaders(false))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("Unexpected continuation line from " + peer + ":  folded");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"no colon here", ": no name", ":"})
  void headerLineWithoutANameIsAProtocolError(String line) throws Exception {
    try (RawServer server = RawServer.respondAndHold("HTTP/1.1 200 OK\r\nX-Ok: 1\r\n" + line + "\r\n\r\n")) {
      sendRequest(server, "GET");

      assertThatThrownBy(() -> codec.readResponseHeaders(false))
          .isInstanceOf(ProtocolException.class)
          .hasMessageStartingWith("Unexpected header line from " + peer);
    }
  }

  @Test
  void headerValuesAreKeptLenientlyWithoutSurroundingWhitespace() throws Exception {
    try (RawServer server = RawServer.respondAndHold("HTTP/1.1 200 OK\r\n"
        + "X-Control:  a\u0001b\t \r\nX-Empty:\r\nX-Spaced-Name \t: v\r\nX-Colon: a:b\r\n"
        + "Content-Length: 0\r\n\r\n")) {
      Response head = readFinalHead(server, "GET");

      assertThat(head.header("X-Control")).isEqualTo("a\u0001b");
      assertThat(head.header("X-Empty")).isEmpty();
      assertThat(head.header("X-Spaced-Name")).isEqualTo("v");
      assertThat(head.header("X-Colon")).isEqualTo("a:b");
    }
  }

  @Test
  void noContentResponseReportsNoBodyAndDropsTheConnectionIfItClaimsOne() throws Exception {
    try (RawServer server = RawServer.respondAndHold("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello")) {
      Response head = readFinalHead(server, "GET");

      assertThat(codec.reportedContentLength(head)).isZero();
      assertThat(readBody(head)).isEmpty();
      assertThat(connection.maxConcurrentExchanges()).isZero();
    }
  }

  @Test
  void notModifiedResponseReportsNoBodyAndKeepsTheConnection() throws Exception {
    try (RawServer server = RawServer.respondAndHold("HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n")) {
      Response head = readFinalHead(server, "GET");

      assertThat(codec.reportedContentLength(head)).isZero();
      assertThat(readBody(head)).isEmpty();
      assertThat(connection.maxConcurrentExchanges()).isEqualTo(1);
    }
  }

  @Test
  void reportedContentLengthFollowsTheResponseWhenNoHeadWasRead() throws Exception {
    try (RawServer server = RawServer.respondAndHold("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")) {
      sendRequest(server, "GET");
      Request request = new Request.Builder().url("http://" + peer + "/").build();
      Response.Builder builder = new Response.Builder().request(request).protocol(Protocol.HTTP_1_1);

      assertThat(codec.reportedContentLength(builder.code(204).header("Content-Length", "5").build())).isZero();
      assertThat(codec.reportedContentLength(builder.code(200).header("Content-Length", "7").build())).isEqualTo(7L);
      assertThat(codec.reportedContentLength(builder.code(200).removeHeader("Content-Length").build())).isEqualTo(-1L);
      assertThat(codec.reportedContentLength(builder.code(200).header("Transfer-Encoding", "chunked")
          .header("Content-Length", "7").build())).isEqualTo(-1L);
    }
  }

  @Test
  void http10ResponseWithoutKeepAliveIsNotReused() throws Exception {
    try (RawServer server = RawServer.respond("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi")) {
      Response head = readFinalHead(server, "GET");

      assertThat(head.protocol()).isEqualTo(Protocol.HTTP_1_0);
      assertThat(readBody(head)).isEqualTo("hi");
      assertThat(connection.maxConcurrentExchanges()).isZero();
    }
  }

  @Test
  void http10ResponseWithKeepAliveIsReused() throws Exception {
    try (RawServer server = RawServer.respondAndHold(
        "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nhi")) {
      Response head = readFinalHead(server, "GET");

      assertThat(head.protocol()).isEqualTo(Protocol.HTTP_1_0);
      assertThat(readBody(head)).isEqualTo("hi");
      assertThat(connection.maxConcurrentExchanges()).isEqualTo(1);
    }
  }

  @Test
  void http10ResponseWithoutLengthIsReadToTheEnd() throws Exception {
    try (RawServer server = RawServer.respond("HTTP/1.0 200 OK\r\n\r\nold school")) {
      Response head = readFinalHead(server, "GET");

      assertThat(codec.reportedContentLength(head)).isEqualTo(-1L);
      assertThat(readBody(head)).isEqualTo("old school");
      assertThat(connection.maxConcurrentExchanges()).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "1.5", "5, 6", "", "99999999999999999999"})
  void invalidContentLengthIsAProtocolError(String value) throws Exception {
    try (RawServer server = RawServer.respondAndHold(
        "HTTP/1.1 200 OK\r\nContent-Length: " + value + "\r\n\r\nhello")) {
      sendRequest(server, "GET");

      assertThatThrownBy(() -> codec.readResponseHeaders(false))
          .isInstanceOf(ProtocolException.class)
          .hasMessage("Invalid Content-Length from " + peer + ": " + value);
      assertThat(connection.maxConcurrentExchanges()).isZero();
    }
  }

  @Test
  void repeatedIdenticalContentLengthsCountAsOne() throws Exception {
    try (RawServer server = RawServer.respondAndHold(
        "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\nhello")) {
      Response head = readFinalHead(server, "GET");

      assertThat(codec.reportedContentLength(head)).isEqualTo(5L);
      assertThat(readBody(head)).isEqualTo("hello");
    }
  }

  @Test
  void chunkedWinsOverContentLengthAndTheConnectionIsDropped() throws Exception {
    try (RawServer server = RawServer.respondAndHold("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")) {
      Response head = readFinalHead(server, "GET");

      assertThat(codec.reportedContentLength(head)).isEqualTo(-1L);
      assertThat(readBody(head)).isEqualTo("hello");
      assertThat(connection.maxConcurrentExchanges()).isZero();
    }
  }

  @Test
  void closingAnUnframedBodyEarlyLeavesConnectionUnusable() throws Exception {
    try (RawServer server = RawServer.respondAndHold("HTTP/1.1 200 OK\r\n\r\nsome bytes")) {
      Response head = readFinalHead(server, "GET");
      Source body = codec.openResponseBodySource(head);

      body.close();

      assertThat(connection.maxConcurrentExchanges()).isZero();
      assertThatThrownBy(codec::trailers).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void transferCodingOtherThanChunkedIsReadToTheEnd() throws Exception {
    try (RawServer server = RawServer.respond(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, identity\r\n\r\n3\r\nabc")) {
      Response head = readFinalHead(server, "GET");

      assertThat(readBody(head)).isEqualTo("3\r\nabc");
      assertThat(connection.maxConcurrentExchanges()).isZero();
    }
  }

  @Test
  void continueIsReturnedWhenNotExpectedAndSkippedWhenExpected() throws Exception {
    try (RawServer server = RawServer.respondAndHold("HTTP/1.1 100 Continue\r\n\r\n"
        + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) {
      sendRequest(server, "GET");

      Response.Builder interim = codec.readResponseHeaders(false);
      assertThat(interim.code()).isEqualTo(100);
      assertThat(codec.readResponseHeaders(true)).isNull();
      Response head = codec.readResponseHeaders(true).build();
      assertThat(head.code()).isEqualTo(200);
      assertThat(readBody(head)).isEqualTo("ok");
      assertThat(connection.maxConcurrentExchanges()).isEqualTo(1);
    }
  }

  @Test
  void switchingProtocolsIsFinalAndEndsHttp1OnTheConnection() throws Exception {
    try (RawServer server = RawServer.respondAndHold(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")) {
      sendRequest(server, "GET");

      Response head = codec.readResponseHeaders(false).build();

      assertThat(head.code()).isEqualTo(101);
      assertThat(codec.reportedContentLength(head)).isZero();
      assertThat(connection.maxConcurrentExchanges()).isZero();
      assertThatThrownBy(() -> codec.readResponseHeaders(false)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void responseToHeadRequestHasNoBody() throws Exception {
    try (RawServer server = RawServer.respondAndHold(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")) {
      sendRequest(server, "HEAD");
      Response head = codec.readResponseHeaders(false).build();

      assertThat(codec.reportedContentLength(head)).isZero();
      assertThat(readBody(head)).isEmpty();
      assertThat(connection.maxConcurrentExchanges()).isEqualTo(1);
    }
  }

  @Test
  void switchedConnectionHandsOverItsStreamsWithTheBytesAfterTheHead() throws Exception {
    try (RawServer server = RawServer.serve((in, out) -> {
      RawServer.readHead(in);
      out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\nearly"
          .getBytes(StandardCharsets.UTF_8));
      out.flush();
      byte[] ping = RawServer.readBytes(in, 4);
      out.write(("re:" + new String(ping, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
      out.flush();
      RawServer.holdOpen();
    })) {
      sendRequest(server, "GET");
      Response head = codec.readResponseHeaders(false).build();

      dev.courier.spi.UpgradedStreams streams = codec.upgradedStreams(head);
      assertThat(streams.source().readUtf8(5)).isEqualTo("early");
      streams.sink().writeUtf8("ping").flush();
      assertThat(streams.source().readUtf8(7)).isEqualTo("re:ping");
      assertThat(connection.maxConcurrentExchanges()).isZero();
      assertThatThrownBy(() -> codec.upgradedStreams(head)).isInstanceOf(IllegalStateException.class);
      streams.close();
      assertThatThrownBy(() -> streams.source().readByte()).isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void streamsAreRefusedWhenTheProtocolDidNotSwitch() throws Exception {
    try (RawServer server = RawServer.respondAndHold("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")) {
      sendRequest(server, "GET");
      Response head = codec.readResponseHeaders(false).build();

      assertThatThrownBy(() -> codec.upgradedStreams(head))
          .isInstanceOf(java.net.ProtocolException.class)
          .hasMessageContaining("Expected 101 Switching Protocols from " + peer + " but was 200");
    }
  }
}
