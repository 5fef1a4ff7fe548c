package dev.courier.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(20)
class TestServerTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("TestServer");

  private final TestServer server = new TestServer();

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void queuedResponsesAreServedInOrderAndRequestsRecorded() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("first").build());
    server.enqueue(ScriptedResponse.builder().status(201).body("second").build());
    server.start();

    assertThat(get(server.url("/one"))).isEqualTo("200 first");
    assertThat(get(server.url("/two?x=1"))).isEqualTo("201 second");

    RecordedRequest first = server.takeRequest();
    assertThat(first.method()).isEqualTo("GET");
    assertThat(first.target()).isEqualTo("/one");
    assertThat(first.version()).isEqualTo("HTTP/1.1");
    RecordedRequest second = server.takeRequest();
    assertThat(second.target()).isEqualTo("/two?x=1");
    assertThat(second.path()).isEqualTo("/two");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void emptyQueueAnswers404() throws Exception {
    server.start();

    assertThat(get(server.url("/missing"))).isEqualTo("404 no scripted response");
    assertThat(server.takeRequest().path()).isEqualTo("/missing");
  }

  @Test
  void dispatcherOverridesQueue() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("queued").build());
    server.dispatcher(request -> ScriptedResponse.builder().body("for " + request.path()).build());
    server.start();

    assertThat(get(server.url("/a"))).isEqualTo("200 for /a");
    assertThat(get(server.url("/b"))).isEqualTo("200 for /b");

    server.dispatcher(null);
    assertThat(get(server.url("/c"))).isEqualTo("200 queued");
  }

  @Test
  void failingDispatcherAnswers500() throws Exception {
    server.dispatcher(request -> {
      throw new IllegalStateException("boom");
    });
    server.start();

    assertThat(get(server.url("/a"))).startsWith("500 dispatcher failed").contains("boom");
  }

  @Test
  void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("a").build());
    server.enqueue(ScriptedResponse.builder().body("bb").build());
    server.start();

    try (RawConnection connection = RawConnection.open(server)) {
      assertThat(connection.get("/1").readResponse().body()).isEqualTo("a");
      assertThat(connection.get("/2").readResponse().body()).isEqualTo("bb");
    }

    RecordedRequest first = server.takeRequest();
    RecordedRequest second = server.takeRequest();
    assertThat(second.connectionIndex()).isEqualTo(first.connectionIndex());
    assertThat(first.sequenceNumber()).isEqualTo(0);
    assertThat(second.sequenceNumber()).isEqualTo(1);
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("slow").headersDelay(200, TimeUnit.MILLISECONDS).build());
    server.enqueue(ScriptedResponse.builder().body("fast").build());
    server.start();

    try (RawConnection connection = RawConnection.open(server)) {
      connection.send("GET /1 HTTP/1.1\r\nHost: test\r\n\r\nGET /2 HTTP/1.1\r\nHost: test\r\n\r\n");
      assertThat(connection.readResponse().body()).isEqualTo("slow");
      assertThat(connection.readResponse().body()).isEqualTo("fast");
    }
  }

  @Test
  void separateConnectionsGetSeparateIndexes() throws Exception {
    server.start();

    // The second connection opens only once the first was served: the server numbers connections
    // as it accepts them, and two opened at once may be accepted in either order.
    try (RawConnection first = RawConnection.open(server)) {
      first.get("/a").readResponse();
      try (RawConnection second = RawConnection.open(server)) {
        second.get("/b").readResponse();
      }
    }

    assertThat(server.takeRequest().connectionIndex()).isEqualTo(0);
    assertThat(server.takeRequest().connectionIndex()).isEqualTo(1);
    assertThat(server.connectionCount()).isEqualTo(2);
  }

  @Test
  void connectionCloseRequestHeaderClosesAfterResponse() throws Exception {
    server.start();

    try (RawConnection connection = RawConnection.open(server)) {
      connection.send("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
      assertThat(connection.readResponse().statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void closeConnectionAfterClosesAfterResponse() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("bye").closeConnectionAfter().build());
    server.start();

    try (RawConnection connection = RawConnection.open(server)) {
      assertThat(connection.get("/").readResponse().body()).isEqualTo("bye");
      assertThat(connection.closedByServer()).isTrue();
    }
  }

  @Test
  void connectionStaysOpenAfterKeepAliveResponse() throws Exception {
    server.start();

    try (RawConnection connection = RawConnection.open(server)) {
      connection.get("/").readResponse();
      assertThat(connection.silentFor(200)).isTrue();
    }
  }

  @Test
  void requestBodyIsRecorded() throws Exception {
    server.start();

    HttpURLConnection connection = (HttpURLConnection) new URL(server.url("/upload")).openConnection();
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Content-Type", "text/plain");
    try (OutputStream out = connection.getOutputStream()) {
      out.write("hello body".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(connection.getResponseCode()).isEqualTo(404);
    connection.disconnect();

    RecordedRequest request = server.takeRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.bodyUtf8()).isEqualTo("hello body");
    assertThat(request.header("content-type")).isEqualTo("text/plain");
  }

  @Test
  void expectContinueGets100ContinueBeforeBody() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("got it").build());
    server.start();

    try (RawConnection connection = RawConnection.open(server)) {
      connection.send("PUT / HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
      assertThat(connection.readHead()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
      connection.send("data");
      assertThat(connection.readResponse().body()).isEqualTo("got it");
    }
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("data");
  }

  @Test
  void expectContinueCanBeRefusedWithFinalResponse() throws Exception {
    server.enqueue(ScriptedResponse.builder().status(417).expectContinue(false).build());
    server.start();

    try (RawConnection connection = RawConnection.open(server)) {
      connection.send("PUT / HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
      assertThat(connection.readResponse().statusLine()).isEqualTo("HTTP/1.1 417 Expectation Failed");
      assertThat(connection.closedByServer()).isTrue();
    }
    assertThat(server.takeRequest().bodySize()).isZero();
  }

  @Test
  void headRequestGetsHeadersWithoutBody() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("not sent").build());
    server.enqueue(ScriptedResponse.builder().body("next").build());
    server.start();

    try (RawConnection connection = RawConnection.open(server)) {
      connection.send("HEAD / HTTP/1.1\r\nHost: test\r\n\r\n");
      assertThat(connection.readHead()).contains("Content-Length: 8");
      assertThat(connection.get("/").readResponse().body()).isEqualTo("next");
    }
  }

  @Test
  void malformedRequestGets400AndClose() throws Exception {
    server.start();

    try (RawConnection connection = RawConnection.open(server)) {
      connection.send("GET / HTTP/1.1\r\nHost: test\r\nContent-Length: nope\r\n\r\n");
      assertThat(connection.readResponse().statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
      assertThat(connection.closedByServer()).isTrue();
    }
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void takeRequestWithTimeoutReturnsNullWhenNothingArrives() throws Exception {
    server.start();

    assertThat(server.takeRequest(50, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void urlUsesHostNameAndScheme() throws Exception {
    server.hostName("localhost");
    server.start();

    assertThat(server.url("/a")).isEqualTo("http://localhost:" + server.port() + "/a");
    assertThat(server.url("b")).isEqualTo("http://localhost:" + server.port() + "/b");
    assertThat(server.hostName()).isEqualTo("localhost");
  }

  @Test
  void defaultHostNameIsLoopbackAddress() throws Exception {
    server.start();

    assertThat(server.hostName()).isEqualTo("127.0.0.1");
    assertThat(server.url("/")).isEqualTo("http://127.0.0.1:" + server.port() + "/");
  }

  @Test
  void startOnTakenPortThrowsIOException() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> server.start(taken.getLocalPort())).isInstanceOf(IOException.class);
    }
  }

  @Test
  void configurationAfterStartIsRejected() throws Exception {
    server.start();

    assertThatThrownBy(() -> server.protocols(List.of("http/1.1"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void unknownProtocolIsRejected() {
    assertThatThrownBy(() -> server.protocols(List.of("spdy/3"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spdy/3");
  }

  @Test
  void h2WithoutTlsIsRejectedAtStart() {
    server.protocols(List.of("h2", "http/1.1"));

    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("h2");
  }

  @Test
  void portBeforeStartIsRejected() {
    assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeEndsEventLoopThreadsAndConnections() throws Exception {
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    server.start();
    try (RawConnection connection = RawConnection.open(server)) {
      connection.get("/").readResponse();

      server.close();

      assertThat(connection.closedByServer()).isTrue();
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(thread -> thread.getName().startsWith("TestServer-") && !before.contains(thread));
  }

  @Test
  void closeIsIdempotentAndAllowedBeforeStart() {
    TestServer neverStarted = new TestServer();
    neverStarted.close();
    neverStarted.close();
    server.close();
  }

  private static String get(String url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    try {
      int code = connection.getResponseCode();
      InputStream body = code >= 400 ? connection.getErrorStream() : connection.getInputStream();
      return code + " " + (body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      connection.disconnect();
    }
  }
}
