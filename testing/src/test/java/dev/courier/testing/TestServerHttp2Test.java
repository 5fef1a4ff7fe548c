package dev.courier.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Shows the server's HTTP/2 side: h2 with ALPN (JDK HttpClient) and h2c with prior knowledge (raw frames). */
@Timeout(30)
class TestServerHttp2Test {
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("Courier HTTP/2 Test CA");
  private static final IssuedCertificate LOCALHOST = CA.issue("localhost", "127.0.0.1");

  private final TestServer server = new TestServer();

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void jdkClientSpeaksH2OverTls() throws Exception {
    startH2();
    server.enqueue(ScriptedResponse.builder().header("X-Reply", "yes").body("over h2").build());

    HttpResponse<String> response = jdkClient().send(
        HttpRequest.newBuilder(URI.create(server.url("/h2?q=1"))).header("X-Custom", "v").build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("over h2");
    assertThat(response.headers().firstValue("x-reply")).hasValue("yes");
    RecordedRequest request = server.takeRequest();
    assertThat(request.version()).isEqualTo("HTTP/2");
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.target()).isEqualTo("/h2?q=1");
    assertThat(request.path()).isEqualTo("/h2");
    assertThat(request.authority()).isEqualTo("localhost:" + server.port());
    assertThat(request.header("X-Custom")).isEqualTo("v");
    assertThat(request.headers()).noneMatch(header -> header.getKey().startsWith(":"));
    assertThat(request.tlsVersion()).isEqualTo("TLSv1.3");
    assertThat(request.streamId() % 2).isEqualTo(1);
  }

  @Test
  void largeUploadIsFlowControlledAndRecorded() throws Exception {
    startH2();
    byte[] upload = randomBytes(10 * 1024 * 1024);

    HttpResponse<String> response = jdkClient().send(
        HttpRequest.newBuilder(URI.create(server.url("/upload")))
            .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(404);
    RecordedRequest request = server.takeRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.body()).isEqualTo(upload);
  }

  @Test
  void largeDownloadRespectsClientFlowControl() throws Exception {
    startH2();
    byte[] download = randomBytes(10 * 1024 * 1024);
    server.enqueue(ScriptedResponse.builder().body(download).build());

    HttpResponse<byte[]> response = jdkClient().send(
        HttpRequest.newBuilder(URI.create(server.url("/download"))).build(), HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.body()).isEqualTo(download);
  }

  @Test
  void throttledAndDelayedBodyArrivesWhole() throws Exception {
    startH2();
    server.enqueue(ScriptedResponse.builder().body("slow and steady").throttleBody(4, 10, TimeUnit.MILLISECONDS)
        .headersDelay(20, TimeUnit.MILLISECONDS).bodyDelay(20, TimeUnit.MILLISECONDS).build());

    HttpResponse<String> response = jdkClient().send(
        HttpRequest.newBuilder(URI.create(server.url("/"))).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.body()).isEqualTo("slow and steady");
  }

  @Test
  void clientWithoutAlpnFallsBackToHttp1() throws Exception {
    startH2();
    server.enqueue(ScriptedResponse.builder().body("old school").build());

    HttpsURLConnection connection = (HttpsURLConnection) new URL(server.url("/")).openConnection();
    connection.setSSLSocketFactory(CA.clientSocketFactory());
    try (InputStream body = connection.getInputStream()) {
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("old school");
    } finally {
      connection.disconnect();
    }
    assertThat(server.takeRequest().version()).isEqualTo("HTTP/1.1");
  }

  @Test
  void alpnSelectsHttp1WhenClientAsksForIt() throws Exception {
    startH2();

    HttpClient client = HttpClient.newBuilder().sslContext(CA.clientContext()).version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create(server.url("/"))).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(server.takeRequest().version()).isEqualTo("HTTP/1.1");
  }

  @Test
  void h2cPriorKnowledgeAndHttp1ShareOnePort() throws Exception {
    server.protocols(List.of("http/1.1", "h2c"));
    server.enqueue(ScriptedResponse.builder().body("frames").build());
    server.enqueue(ScriptedResponse.builder().body("text").build());
    server.start();

    try (RawHttp2Connection h2c = RawHttp2Connection.openCleartext(server)) {
      RawHttp2Connection.Response response = h2c.get(1, "/prior").readResponse(1);
      assertThat(response.status()).isEqualTo("200");
      assertThat(response.headers.get("content-length").toString()).isEqualTo("6");
      assertThat(response.bodyUtf8()).isEqualTo("frames");
    }
    try (RawConnection http1 = RawConnection.open(server)) {
      assertThat(http1.get("/plain").readResponse().body()).isEqualTo("text");
    }

    RecordedRequest h2Request = server.takeRequest();
    assertThat(h2Request.version()).isEqualTo("HTTP/2");
    assertThat(h2Request.authority()).isEqualTo("test");
    assertThat(h2Request.tlsVersion()).isNull();
    assertThat(server.takeRequest().version()).isEqualTo("HTTP/1.1");
  }

  @Test
  void h2OverTlsWithRawFrames() throws Exception {
    startH2();
    server.enqueue(ScriptedResponse.builder().body("tls frames").build());

    try (RawHttp2Connection h2 = RawHttp2Connection.openTls(server, CA.clientContext(), "localhost")) {
      assertThat(h2.get(1, "/").readResponse(1).bodyUtf8()).isEqualTo("tls frames");
    }
  }

  @Test
  void requestTrailersAndBodyAreRecorded() throws Exception {
    startH2c();

    try (RawHttp2Connection h2c = RawHttp2Connection.openCleartext(server)) {
      h2c.headers(1, false, ":method", "POST", ":scheme", "http", ":authority", "test", ":path", "/t", "te", "trailers");
      h2c.data(1, "part1,".getBytes(StandardCharsets.UTF_8), false);
      h2c.data(1, "part2".getBytes(StandardCharsets.UTF_8), false);
      h2c.headers(1, true, "x-checksum", "42");
      assertThat(h2c.readResponse(1).status()).isEqualTo("404");
    }

    RecordedRequest request = server.takeRequest();
    assertThat(request.bodyUtf8()).isEqualTo("part1,part2");
    assertThat(request.trailers()).containsEntry("x-checksum", "42");
    assertThat(request.header("te")).isEqualTo("trailers");
  }

  @Test
  void responseTrailersInformationalAndChunkSizedDataFrames() throws Exception {
    startH2c();
    server.enqueue(ScriptedResponse.builder()
        .informational(103, "Link", "</a.css>; rel=preload")
        .chunkedBody("0123456789", 4)
        .header("Connection", "keep-alive")
        .trailers("grpc-status", "0")
        .build());

    try (RawHttp2Connection h2c = RawHttp2Connection.openCleartext(server)) {
      RawHttp2Connection.Response response = h2c.get(1, "/").readResponse(1);

      assertThat(response.informational).hasSize(1);
      assertThat(response.informational.get(0).status().toString()).isEqualTo("103");
      assertThat(response.informational.get(0).get("link").toString()).isEqualTo("</a.css>; rel=preload");
      assertThat(response.status()).isEqualTo("200");
      assertThat(response.headers.contains("transfer-encoding")).isFalse();
      assertThat(response.headers.contains("connection")).isFalse();
      assertThat(response.dataFrameSizes).containsExactly(4, 4, 2);
      assertThat(response.bodyUtf8()).isEqualTo("0123456789");
      assertThat(response.trailers.get("grpc-status").toString()).isEqualTo("0");
    }
  }

  @Test
  void resetStreamAnswersWithRstStreamAndConnectionSurvives() throws Exception {
    startH2c();
    server.enqueue(ScriptedResponse.builder().resetStream(8).build());
    server.enqueue(ScriptedResponse.builder().body("after reset").build());

    try (RawHttp2Connection h2c = RawHttp2Connection.openCleartext(server)) {
      assertThat(h2c.get(1, "/").readResponse(1).resetErrorCode).isEqualTo(8);
      assertThat(h2c.get(3, "/").readResponse(3).bodyUtf8()).isEqualTo("after reset");
    }
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void goAwayFollowsResponse() throws Exception {
    startH2c();
    server.enqueue(ScriptedResponse.builder().body("last one").goAwayAfter(0, 0).build());

    try (RawHttp2Connection h2c = RawHttp2Connection.openCleartext(server)) {
      assertThat(h2c.get(1, "/").readResponse(1).bodyUtf8()).isEqualTo("last one");
      RawHttp2Connection.Frame goAway = h2c.readFrame();
      assertThat(goAway.type()).isEqualTo(RawHttp2Connection.GOAWAY);
      ByteBuffer payload = ByteBuffer.wrap(goAway.payload());
      assertThat(payload.getInt()).isEqualTo(1);
      assertThat(payload.getInt()).isZero();
    }
  }

  @Test
  void serverAnnouncesConfiguredSettings() throws Exception {
    server.http2Settings(3, 1024 * 1024, 32_768);
    startH2c();

    try (RawHttp2Connection h2c = RawHttp2Connection.openCleartext(server)) {
      h2c.get(1, "/").readResponse(1);

      assertThat(h2c.serverSettings()).containsEntry(3, 3L).containsEntry(4, 1024L * 1024).containsEntry(5, 32_768L);
    }
  }

  @Test
  void streamsAreAnsweredConcurrently() throws Exception {
    startH2c();
    server.enqueue(ScriptedResponse.builder().body("slow").headersDelay(300, TimeUnit.MILLISECONDS).build());
    server.enqueue(ScriptedResponse.builder().body("fast").build());

    try (RawHttp2Connection h2c = RawHttp2Connection.openCleartext(server)) {
      h2c.get(1, "/slow");
      server.takeRequest();
      h2c.get(3, "/fast");
      RawHttp2Connection.Response fast = h2c.readResponse(3);
      assertThat(fast.bodyUtf8()).isEqualTo("fast");
      assertThat(fast.otherFrames).isEmpty();
      assertThat(h2c.readResponse(1).bodyUtf8()).isEqualTo("slow");
    }
    RecordedRequest second = server.takeRequest();
    assertThat(second.sequenceNumber()).isEqualTo(1);
    assertThat(second.connectionIndex()).isZero();
  }

  @Test
  void expectContinueGetsInterim100() throws Exception {
    startH2c();
    server.enqueue(ScriptedResponse.builder().body("continued").build());

    try (RawHttp2Connection h2c = RawHttp2Connection.openCleartext(server)) {
      h2c.headers(1, false, ":method", "PUT", ":scheme", "http", ":authority", "test", ":path", "/", "expect", "100-continue");
      RawHttp2Connection.Frame interim = h2c.readFrame();
      Http2Headers interimHeaders = h2c.decode(interim);
      assertThat(interimHeaders.status().toString()).isEqualTo("100");
      h2c.data(1, "body".getBytes(StandardCharsets.UTF_8), true);
      assertThat(h2c.readResponse(1).bodyUtf8()).isEqualTo("continued");
    }
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("body");
  }

  @Test
  void closeAfterHeadersClosesConnectionAfterHeadersFrame() throws Exception {
    startH2c();
    server.enqueue(ScriptedResponse.builder().body("never").fault(Fault.CLOSE_AFTER_HEADERS).build());

    try (RawHttp2Connection h2c = RawHttp2Connection.openCleartext(server)) {
      h2c.get(1, "/");
      RawHttp2Connection.Frame headers = h2c.readFrame();
      assertThat(headers.type()).isEqualTo(RawHttp2Connection.HEADERS);
      assertThat(headers.flags() & RawHttp2Connection.FLAG_END_STREAM).isZero();
      assertThat(h2c.closedByServer()).isTrue();
    }
  }

  @Test
  void closeMidBodySendsHalfTheDataThenCloses() throws Exception {
    startH2c();
    server.enqueue(ScriptedResponse.builder().body("0123456789").fault(Fault.CLOSE_MID_BODY).build());

    try (RawHttp2Connection h2c = RawHttp2Connection.openCleartext(server)) {
      h2c.get(1, "/");
      assertThat(h2c.readFrame().type()).isEqualTo(RawHttp2Connection.HEADERS);
      RawHttp2Connection.Frame data = h2c.readFrame();
      assertThat(data.type()).isEqualTo(RawHttp2Connection.DATA);
      assertThat(new String(data.payload(), StandardCharsets.UTF_8)).isEqualTo("01234");
      assertThat(data.flags() & RawHttp2Connection.FLAG_END_STREAM).isZero();
      assertThat(h2c.closedByServer()).isTrue();
    }
  }

  @Test
  void stallSendsHeadersAndNoData() throws Exception {
    startH2c();
    server.enqueue(ScriptedResponse.builder().fault(Fault.STALL).build());

    try (RawHttp2Connection h2c = RawHttp2Connection.openCleartext(server)) {
      h2c.get(1, "/");
      assertThat(h2c.readFrame().type()).isEqualTo(RawHttp2Connection.HEADERS);
      assertThat(h2c.silentFor(300)).isTrue();
    }
  }

  @Test
  void noResponseAndCloseAfterRequestRecordTheRequest() throws Exception {
    startH2c();
    server.enqueue(ScriptedResponse.builder().fault(Fault.NO_RESPONSE).build());
    server.enqueue(ScriptedResponse.builder().fault(Fault.CLOSE_AFTER_REQUEST).build());

    try (RawHttp2Connection h2c = RawHttp2Connection.openCleartext(server)) {
      h2c.get(1, "/silent");
      assertThat(server.takeRequest().path()).isEqualTo("/silent");
      assertThat(h2c.silentFor(300)).isTrue();
      h2c.get(3, "/closing");
      assertThat(h2c.closedByServer()).isTrue();
    }
    assertThat(server.takeRequest().path()).isEqualTo("/closing");
  }

  @Test
  void closeAtConnectClosesWithoutRecording() throws Exception {
    startH2c();
    server.enqueue(ScriptedResponse.builder().fault(Fault.CLOSE_AT_CONNECT).build());

    try (RawHttp2Connection h2c = RawHttp2Connection.openCleartext(server)) {
      h2c.get(1, "/");
      assertThat(h2c.closedByServer()).isTrue();
    }
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void h2cOnlyServerSpeaksFramesFromFirstByte() throws Exception {
    startH2c();

    try (RawHttp2Connection h2c = RawHttp2Connection.openCleartext(server)) {
      assertThat(h2c.get(1, "/x").readResponse(1).status()).isEqualTo("404");
    }
    assertThat(server.takeRequest().version()).isEqualTo("HTTP/2");
  }

  private void startH2() throws IOException {
    server.useHttps(CA.serverContext(LOCALHOST));
    server.protocols(List.of("h2", "http/1.1"));
    server.hostName("localhost");
    server.start();
  }

  private void startH2c() throws IOException {
    server.protocols(List.of("h2c"));
    server.start();
  }

  private static HttpClient jdkClient() {
    return HttpClient.newBuilder().sslContext(CA.clientContext()).version(HttpClient.Version.HTTP_2).build();
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
