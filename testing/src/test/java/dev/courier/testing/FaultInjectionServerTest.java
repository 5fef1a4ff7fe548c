package dev.courier.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.testing.FaultInjectionServer.RequestHead;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Checks each fault of {@link FaultInjectionServer} byte by byte with raw sockets (HTTP/1.1) and
 * raw frames (HTTP/2), and that the server ends its threads when closed.
 */
@Timeout(30)
class FaultInjectionServerTest {
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("Courier fault server test CA");
  private static final IssuedCertificate LOCALHOST = CA.issue("localhost", "127.0.0.1");
  private static final String GET = "GET /a HTTP/1.1\r\nHost: test\r\n\r\n";
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";

  @RegisterExtension
  final ThreadLeakExtension serverThreads = new ThreadLeakExtension("FaultInjectionServer");

  private FaultInjectionServer server;

  @AfterEach
  void closeServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void wellBehavedHttp1AnswersOkAndKeepsTheConnectionOpen() throws Exception {
    server = FaultInjectionServer.http1().start();
    try (Socket socket = connect()) {
      send(socket, GET + GET);

      assertThat(readExactly(socket, OK.length() * 2)).isEqualTo(OK + OK);
    }
    assertThat(server.connectionCount()).isEqualTo(1);
    assertThat(server.requests()).containsExactly(
        new RequestHead(1, 0, "GET", "/a", FaultPoint.NONE),
        new RequestHead(1, 0, "GET", "/a", FaultPoint.NONE));
    assertThat(server.faultedConnections()).isEmpty();
    assertThat(server.url("/x")).isEqualTo("http://127.0.0.1:" + server.port() + "/x");
  }

  @Test
  void closeAfterStatusLineSendsTheStatusLineThenEnds() throws Exception {
    assertHttp1ResponseBeforeEnd(FaultPoint.CLOSE_AFTER_STATUS_LINE, "HTTP/1.1 200 OK\r\n");
  }

  @Test
  void closeAfterHeadersPromisesABodyAndSendsNone() throws Exception {
    assertHttp1ResponseBeforeEnd(FaultPoint.CLOSE_AFTER_HEADERS,
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 64\r\n\r\n");
  }

  @Test
  void closeMidFixedLengthBodySendsHalfTheBody() throws Exception {
    assertHttp1ResponseBeforeEnd(FaultPoint.CLOSE_MID_FIXED_LENGTH_BODY,
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 64\r\n\r\n" + "x".repeat(32));
  }

  @Test
  void closeMidChunkedBodyEndsInsideTheSecondChunk() throws Exception {
    assertHttp1ResponseBeforeEnd(FaultPoint.CLOSE_MID_CHUNKED_BODY,
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "20\r\n" + "x".repeat(32) + "\r\n20\r\n" + "x".repeat(16));
  }

  @Test
  void closeAfterRequestReadsAChunkedBodyInFullThenEndsWithoutAnswer() throws Exception {
    server = FaultInjectionServer.http1().start();
    server.fault(FaultPoint.CLOSE_AFTER_REQUEST);
    try (Socket socket = connect()) {
      send(socket, "POST /p HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n");

      assertThat(readToEnd(socket)).isEmpty();
    }
    assertThat(server.requestCount("POST", "/p")).isEqualTo(1);
    assertThat(server.faultedConnections()).containsExactly(1);
  }

  @Test
  void resetAfterHeadersAbortsTheConnection() throws Exception {
    server = FaultInjectionServer.http1().start();
    server.fault(FaultPoint.RESET_AFTER_HEADERS);
    try (Socket socket = connect()) {
      send(socket, GET);
      ByteArrayOutputStream received = new ByteArrayOutputStream();

      // A reset, unlike a FIN, ends reading with an exception instead of end of stream. The
      // kernel drops bytes not yet read when the reset arrives, so the head may be cut short.
      assertThatThrownBy(() -> socket.getInputStream().transferTo(received)).isInstanceOf(SocketException.class);
      assertThat("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 64\r\n\r\n")
          .startsWith(received.toString(StandardCharsets.ISO_8859_1));
    }
    assertThat(server.requests()).containsExactly(new RequestHead(1, 0, "GET", "/a", FaultPoint.RESET_AFTER_HEADERS));
  }

  @Test
  void closeAtAcceptEndsBeforeReadingAndRecordsNoRequest() throws Exception {
    server = FaultInjectionServer.http1().start();
    server.fault(FaultPoint.CLOSE_AT_ACCEPT);
    try (Socket socket = connect()) {
      assertThat(readToEnd(socket)).isEmpty();
    }
    assertThat(server.connectionCount()).isEqualTo(1);
    assertThat(server.requests()).isEmpty();
    assertThat(server.faultedConnections()).containsExactly(1);
  }

  @Test
  void resetAtAcceptAbortsBeforeReading() throws Exception {
    server = FaultInjectionServer.http1().start();
    server.fault(FaultPoint.RESET_AT_ACCEPT);
    try (Socket socket = connect()) {
      assertThatThrownBy(() -> readToEnd(socket)).isInstanceOf(SocketException.class);
    }
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void refuseLeavesNothingListeningUntilAnotherFaultIsChosen() throws Exception {
    server = FaultInjectionServer.http1().start();
    int port = server.port();
    server.fault(FaultPoint.REFUSE);

    assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);

    server.fault(FaultPoint.NONE);
    assertThat(server.port()).isEqualTo(port);
    try (Socket socket = connect()) {
      send(socket, GET);
      assertThat(readExactly(socket, OK.length())).isEqualTo(OK);
    }
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void stallReadsTheRequestAndAnswersNothing() throws Exception {
    server = FaultInjectionServer.http1().start();
    server.fault(FaultPoint.STALL);
    try (Socket socket = connect()) {
      socket.setSoTimeout(200);
      send(socket, GET);

      assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      assertThat(server.requests()).containsExactly(new RequestHead(1, 0, "GET", "/a", FaultPoint.STALL));
    }
  }

  @Test
  void stalePooledConnectionAnswersTheFirstRequestAndDropsTheSecond() throws Exception {
    server = FaultInjectionServer.http1().start();
    server.fault(FaultPoint.STALE_POOLED_CONNECTION);
    try (Socket socket = connect()) {
      send(socket, GET);
      assertThat(readExactly(socket, OK.length())).isEqualTo(OK);
      send(socket, GET.replace("/a", "/b"));
      assertThat(readToEnd(socket)).isEmpty();
    }
    try (Socket fresh = connect()) {
      send(fresh, GET.replace("/a", "/c"));
      assertThat(readExactly(fresh, OK.length())).isEqualTo(OK);
    }
    assertThat(server.requests()).containsExactly(
        new RequestHead(1, 0, "GET", "/a", FaultPoint.NONE),
        new RequestHead(1, 0, "GET", "/b", FaultPoint.STALE_POOLED_CONNECTION),
        new RequestHead(2, 0, "GET", "/c", FaultPoint.NONE));
    assertThat(server.faultedConnections()).containsExactly(1);
  }

  @Test
  void h2cAnswersStreamsAndRecordsThem() throws Exception {
    server = FaultInjectionServer.h2c().start();
    try (RawHttp2Connection connection = RawHttp2Connection.openCleartext(server.socketAddress())) {
      RawHttp2Connection.Response first = connection.get(1, "/a").readResponse(1);
      RawHttp2Connection.Response second = connection.get(3, "/b").readResponse(3);

      assertThat(first.status()).isEqualTo("200");
      assertThat(first.bodyUtf8()).isEqualTo("ok");
      assertThat(first.headers.get("content-length").toString()).isEqualTo("2");
      assertThat(second.bodyUtf8()).isEqualTo("ok");
    }
    assertThat(server.requests()).containsExactly(
        new RequestHead(1, 1, "GET", "/a", FaultPoint.NONE),
        new RequestHead(1, 3, "GET", "/b", FaultPoint.NONE));
  }

  @Test
  void h2cPostBodyIsReadToEndStreamBeforeTheFault() throws Exception {
    server = FaultInjectionServer.h2c().start();
    server.fault(FaultPoint.CLOSE_AFTER_REQUEST);
    try (RawHttp2Connection connection = RawHttp2Connection.openCleartext(server.socketAddress())) {
      connection.headers(1, false, ":method", "POST", ":scheme", "http", ":authority", "test", ":path", "/p");
      connection.data(1, "part".getBytes(StandardCharsets.UTF_8), false);
      assertThat(connection.silentFor(200)).isTrue();
      connection.data(1, "end".getBytes(StandardCharsets.UTF_8), true);

      assertThat(connection.closedByServer()).isTrue();
    }
    assertThat(server.requestCount("POST", "/p")).isEqualTo(1);
  }

  @Test
  void h2cCloseAfterStatusLineLeavesTheHeaderBlockUnfinished() throws Exception {
    server = FaultInjectionServer.h2c().start();
    server.fault(FaultPoint.CLOSE_AFTER_STATUS_LINE);
    try (RawHttp2Connection connection = RawHttp2Connection.openCleartext(server.socketAddress())) {
      RawHttp2Connection.Frame headers = connection.get(1, "/a").readFrame();

      assertThat(headers.type()).isEqualTo(RawHttp2Connection.HEADERS);
      assertThat(headers.flags() & RawHttp2Connection.FLAG_END_HEADERS).isZero();
      assertThat(connection.decode(headers).status().toString()).isEqualTo("200");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void h2cMidFixedLengthBodySendsHalfOfTheContentLength() throws Exception {
    server = FaultInjectionServer.h2c().start();
    server.fault(FaultPoint.CLOSE_MID_FIXED_LENGTH_BODY);
    try (RawHttp2Connection connection = RawHttp2Connection.openCleartext(server.socketAddress())) {
      connection.get(1, "/a");
      Http2Headers headers = connection.decode(connection.readFrame());
      RawHttp2Connection.Frame data = connection.readFrame();

      assertThat(headers.get("content-length").toString()).isEqualTo("64");
      assertThat(data.type()).isEqualTo(RawHttp2Connection.DATA);
      assertThat(data.payload()).hasSize(32);
      assertThat(data.flags() & RawHttp2Connection.FLAG_END_STREAM).isZero();
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void h2cMidChunkedBodySendsDataWithoutContentLength() throws Exception {
    server = FaultInjectionServer.h2c().start();
    server.fault(FaultPoint.CLOSE_MID_CHUNKED_BODY);
    try (RawHttp2Connection connection = RawHttp2Connection.openCleartext(server.socketAddress())) {
      connection.get(1, "/a");
      Http2Headers headers = connection.decode(connection.readFrame());
      RawHttp2Connection.Frame data = connection.readFrame();

      assertThat(headers.contains("content-length")).isFalse();
      assertThat(data.payload()).hasSize(32);
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void h2cStallHoldsOnlyThatStreamAndRecordsTheClientsReset() throws Exception {
    server = FaultInjectionServer.h2c().start();
    server.fault(FaultPoint.STALL);
    try (RawHttp2Connection connection = RawHttp2Connection.openCleartext(server.socketAddress())) {
      connection.get(1, "/a");
      assertThat(connection.silentFor(200)).isTrue();
      connection.frame(RawHttp2Connection.RST_STREAM, 0, 1, ByteBuffer.allocate(4).putInt(0x8).array());
      server.fault(FaultPoint.NONE);

      RawHttp2Connection.Response next = connection.get(3, "/b").readResponse(3);

      assertThat(next.bodyUtf8()).isEqualTo("ok");
      // The reset was read before stream 3, on the same connection thread.
      assertThat(server.clientResetStream(1, 1)).isTrue();
      assertThat(server.clientResetStream(1, 3)).isFalse();
    }
  }

  @Test
  void h2cStalePooledConnectionDropsTheSecondStream() throws Exception {
    server = FaultInjectionServer.h2c().start();
    server.fault(FaultPoint.STALE_POOLED_CONNECTION);
    try (RawHttp2Connection connection = RawHttp2Connection.openCleartext(server.socketAddress())) {
      assertThat(connection.get(1, "/a").readResponse(1).bodyUtf8()).isEqualTo("ok");
      connection.get(3, "/b");

      assertThat(connection.closedByServer()).isTrue();
    }
    assertThat(server.faultedConnections()).containsExactly(1);
    assertThat(server.requests()).extracting(RequestHead::fault)
        .containsExactly(FaultPoint.NONE, FaultPoint.STALE_POOLED_CONNECTION);
  }

  @Test
  void h2OverTlsNegotiatesH2WithAlpn() throws Exception {
    server = FaultInjectionServer.h2(CA.serverContext(LOCALHOST)).hostName("localhost").start();
    HttpClient client = HttpClient.newBuilder().sslContext(CA.clientContext()).version(HttpClient.Version.HTTP_2).build();

    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.url("/tls")))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(server.url("/tls")).startsWith("https://localhost:");
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.body()).isEqualTo("ok");
    assertThat(server.requestCount("GET", "/tls")).isEqualTo(1);
  }

  @Test
  void http1OverTlsAnswersOverHttp11() throws Exception {
    server = FaultInjectionServer.http1OverTls(CA.serverContext(LOCALHOST)).hostName("localhost").start();
    HttpClient client = HttpClient.newBuilder().sslContext(CA.clientContext()).version(HttpClient.Version.HTTP_1_1).build();

    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.url("/tls")))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(response.body()).isEqualTo("ok");
    assertThat(server.hostAndPort()).isEqualTo("localhost:" + server.port());
    assertThat(server.protocol()).isEqualTo("http/1.1");
  }

  @Test
  void h2OverTlsResetAfterRequestEndsTheConnectionWithoutCloseNotify() throws Exception {
    server = FaultInjectionServer.h2(CA.serverContext(LOCALHOST)).start();
    server.fault(FaultPoint.RESET_AFTER_REQUEST);
    try (RawHttp2Connection connection = RawHttp2Connection.openTls(server.socketAddress(), CA.clientContext(), "localhost")) {
      connection.get(1, "/a");

      assertThatThrownBy(() -> readFramesForever(connection)).isInstanceOf(SocketException.class);
    }
    assertThat(server.requestCount("GET", "/a")).isEqualTo(1);
  }

  @Test
  void closeEndsOpenConnectionsAndTheListener() throws Exception {
    server = FaultInjectionServer.h2c().start();
    server.fault(FaultPoint.STALL);
    InetSocketAddress address = server.socketAddress();
    try (RawHttp2Connection connection = RawHttp2Connection.openCleartext(address)) {
      connection.get(1, "/a");
      assertThat(connection.silentFor(100)).isTrue();

      server.close();

      assertThat(connection.closedByServer()).isTrue();
    }
    assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> server.start()).isInstanceOf(IllegalStateException.class);
  }

  private void assertHttp1ResponseBeforeEnd(FaultPoint fault, String expected) throws Exception {
    server = FaultInjectionServer.http1().start();
    server.fault(fault);
    try (Socket socket = connect()) {
      send(socket, GET);

      assertThat(readToEnd(socket)).isEqualTo(expected);
    }
    assertThat(server.requests()).containsExactly(new RequestHead(1, 0, "GET", "/a", fault));
    assertThat(server.faultedConnections()).containsExactly(1);
  }

  private static void readFramesForever(RawHttp2Connection connection) throws IOException {
    while (true) {
      connection.readAnyFrame();
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(server.socketAddress().getAddress(), server.port());
    socket.setSoTimeout(5_000);
    return socket;
  }

  private static void send(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static String readExactly(Socket socket, int byteCount) throws IOException {
    byte[] bytes = socket.getInputStream().readNBytes(byteCount);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static String readToEnd(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[1024];
    for (int read; (read = in.read(buffer)) != -1; ) {
      bytes.write(buffer, 0, read);
    }
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }
}
