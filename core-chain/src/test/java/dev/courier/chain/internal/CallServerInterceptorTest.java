package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Call;
import dev.courier.Headers;
import dev.courier.MediaType;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.chain.support.H2c;
import dev.courier.chain.support.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ProtocolException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(10)
class CallServerInterceptorTest {
  private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  private static Request expectContinuePost(TestServer server) {
    return new Request.Builder().url(server.url("/upload"))
        .header("Expect", "100-continue")
        .post(RequestBody.create("the body", TEXT))
        .build();
  }

  @Test
  void expectContinueSendsTheBodyAfter100() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("stored").build());
    Call call = chain.client().newCall(expectContinuePost(server));

    try (Response response = call.execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).isEqualTo("stored");
    }
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("the body");
    assertThat(chain.events().eventNames(call)).containsSubsequence(
        "requestHeadersEnd", "responseHeadersStart", "requestBodyStart", "requestBodyEnd",
        "responseHeadersEnd");
  }

  @Test
  void finalResponseInsteadOf100SkipsTheBodyAndRetiresTheConnection() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().status(413).body("too large").expectContinue(false).build());
    CourierClient client = chain.client();
    Call call = client.newCall(expectContinuePost(server));

    try (Response response = call.execute()) {
      assertThat(response.code()).isEqualTo(413);
      assertThat(response.body().string()).isEqualTo("too large");
    }
    assertThat(server.takeRequest().bodySize()).isZero();
    assertThat(chain.events().eventNames(call)).doesNotContain("requestBodyStart");
    assertThat(client.connectionPool().connectionCount()).isZero();
  }

  @Test
  void informationalResponsesAreSkipped() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder()
        .informational(103, "Link", "</style.css>; rel=preload")
        .header("X-Final", "yes")
        .body("final")
        .build());

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.header("X-Final")).isEqualTo("yes");
      assertThat(response.header("Link")).isNull();
      assertThat(response.body().string()).isEqualTo("final");
    }
  }

  @Test
  void switchingProtocolsIsRefused() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder()
        .raw("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
        .build());

    assertThatThrownBy(() -> chain.client().newCall(new Request.Builder().url(server.url("/")).build()).execute())
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("101");
  }

  @Test
  void noContentWithABodyIsAProtocolError() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder()
        .raw("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello")
        .build());
    CourierClient client = chain.client();

    assertThatThrownBy(() -> client.newCall(new Request.Builder().url(server.url("/")).build()).execute())
        .isInstanceOf(ProtocolException.class)
        .hasMessageMatching("HTTP 204 from [^ ]+ had non-zero Content-Length: 5");
    assertThat(client.connectionPool().connectionCount()).isZero();
  }

  @Test
  void noContentWithoutABodyIsFine() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().status(204).build());

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.code()).isEqualTo(204);
      assertThat(response.body().bytes()).isEmpty();
    }
  }

  @Test
  void connectionCloseFromTheServerRetiresTheConnection() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().header("Connection", "close").body("bye").closeConnectionAfter().build());
    server.enqueue(ScriptedResponse.builder().body("hello again").build());
    CourierClient client = chain.client();

    try (Response response = client.newCall(new Request.Builder().url(server.url("/1")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("bye");
    }
    assertThat(client.connectionPool().connectionCount()).isZero();
    try (Response response = client.newCall(new Request.Builder().url(server.url("/2")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("hello again");
    }
    assertThat(server.connectionCount()).isEqualTo(2);
    assertThat(chain.events().eventNames()).doesNotContain("requestFailed", "responseFailed");
  }

  @Test
  void connectionCloseFromTheCallerRetiresTheConnection() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("bye").build());
    CourierClient client = chain.client();

    Request request = new Request.Builder().url(server.url("/")).header("Connection", "close").build();
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.body().string()).isEqualTo("bye");
    }
    assertThat(client.connectionPool().connectionCount()).isZero();
  }

  @Test
  void keepAliveConnectionGoesBackToThePool() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("stay").build());
    CourierClient client = chain.client();

    try (Response response = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("stay");
    }
    assertThat(client.connectionPool().idleConnectionCount()).isEqualTo(1);
  }

  @Test
  void trailersAreAvailableAfterTheBody() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().chunkedBody("chunked content", 4).trailers("Checksum", "abc123").build());

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("chunked content");
      assertThat(response.trailers().get("Checksum")).isEqualTo("abc123");
    }
  }

  @Test
  void http2TrailersFollowABodyOfKnownLength() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(ScriptedResponse.builder().body("sized content").trailers("Checksum", "xyz").build());

    try (Response response = chain.client(H2c::priorKnowledge)
        .newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.header("Content-Length")).isEqualTo("13");
      assertThat(response.body().string()).isEqualTo("sized content");
      assertThat(response.trailers().get("Checksum")).isEqualTo("xyz");
    }
  }

  /**
   * Returns a body of {@code content} whose {@code X-Written} trailer counts the bytes {@code
   * writeTo} wrote, so it is right only if trailers are asked for after the content.
   */
  private static RequestBody bodyWithTrailers(String content, long contentLength) {
    return new RequestBody() {
      private long written = -1;

      @Override
      public MediaType contentType() {
        return TEXT;
      }

      @Override
      public long contentLength() {
        return contentLength;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.writeUtf8(content);
        written = content.length();
      }

      @Override
      public Headers trailers() {
        return Headers.of("X-Written", Long.toString(written), "Checksum", "c0ffee");
      }
    };
  }

  @Test
  void requestTrailersReachTheServerOverHttp1() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("received").build());
    Request request = new Request.Builder().url(server.url("/upload"))
        .post(bodyWithTrailers("content", -1L)).build();

    try (Response response = chain.client().newCall(request).execute()) {
      assertThat(response.body().string()).isEqualTo("received");
    }
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.header("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(recorded.bodyUtf8()).isEqualTo("content");
    assertThat(recorded.trailers()).containsExactly(
        Map.entry("X-Written", "7"), Map.entry("Checksum", "c0ffee"));
  }

  @Test
  void requestTrailersReachTheServerOverH2c() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(ScriptedResponse.builder().body("received").build());
    server.enqueue(ScriptedResponse.builder().body("received again").build());
    CourierClient client = chain.client(H2c::priorKnowledge);

    try (Response response = client.newCall(new Request.Builder().url(server.url("/unsized"))
        .post(bodyWithTrailers("content", -1L)).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("received");
    }
    try (Response response = client.newCall(new Request.Builder().url(server.url("/sized"))
        .post(bodyWithTrailers("sized content", 13L)).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("received again");
    }
    RecordedRequest unsized = server.takeRequest();
    assertThat(unsized.bodyUtf8()).isEqualTo("content");
    assertThat(unsized.trailers()).containsExactly(
        Map.entry("x-written", "7"), Map.entry("checksum", "c0ffee"));
    RecordedRequest sized = server.takeRequest();
    assertThat(sized.header("Content-Length")).isEqualTo("13");
    assertThat(sized.bodyUtf8()).isEqualTo("sized content");
    assertThat(sized.trailers()).containsEntry("x-written", "13");
  }

  @Test
  void requestTrailersOnABodyOfKnownLengthFailOverHttp1() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("unread").build());
    CourierClient client = chain.client();
    Request request = new Request.Builder().url(server.url("/upload"))
        .post(bodyWithTrailers("content", 7L)).build();

    assertThatThrownBy(() -> client.newCall(request).execute())
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining(":" + server.port())
        .hasMessageContaining("chunked")
        .hasMessageContaining("contentLength() -1");
    assertThat(client.connectionPool().connectionCount()).isZero();
  }

  @Test
  void headResponseHasNoBody() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("x".repeat(100)).build());
    server.enqueue(ScriptedResponse.builder().body("next").build());
    CourierClient client = chain.client();

    try (Response response = client.newCall(new Request.Builder().url(server.url("/")).head().build()).execute()) {
      assertThat(response.header("Content-Length")).isEqualTo("100");
      assertThat(response.body().bytes()).isEmpty();
    }
    // The connection stays usable: the next response is read from where the head ended.
    try (Response response = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("next");
    }
    RecordedRequest head = server.takeRequest();
    assertThat(head.method()).isEqualTo("HEAD");
    assertThat(server.takeRequest().connectionIndex()).isEqualTo(head.connectionIndex());
  }

  @Test
  void duplexBodyIsHandedItsSinkAndWritesWhileTheResponseIsAwaited() throws Exception {
    TestServer server = H2c.server(chain);
    server.enqueue(ScriptedResponse.builder().body("got it").build());
    CountDownLatch go = new CountDownLatch(1);
    List<Throwable> writerFailures = new CopyOnWriteArrayList<>();
    RequestBody duplex = new RequestBody() {
      @Override
      public MediaType contentType() {
        return TEXT;
      }

      @Override
      public void writeTo(BufferedSink sink) {
        new Thread(() -> {
          try {
            go.await();
            sink.writeUtf8("written later");
            sink.close();
          } catch (Throwable t) {
            writerFailures.add(t);
          }
        }, "duplex writer").start();
      }

      @Override
      public boolean isDuplex() {
        return true;
      }
    };
    CourierClient client = chain.client(H2c::priorKnowledge);
    Call call = client.newCall(new Request.Builder().url(server.url("/")).post(duplex).build());
    CompletableFuture<Response> result = CompletableFuture.supplyAsync(() -> {
      try {
        return call.execute();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });

    // The call reads the response while the body has not been written yet.
    Poll.until("the call awaits the response", () -> chain.events().eventNames(call).contains("responseHeadersStart"));
    assertThat(chain.events().eventNames(call)).doesNotContain("requestBodyEnd");
    go.countDown();

    Response response = result.get(5, TimeUnit.SECONDS);
    try (response) {
      assertThat(response.body().string()).isEqualTo("got it");
    }
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("written later");
    assertThat(writerFailures).isEmpty();
    // The writer thread reports the body's end after the last frame left, so the server may
    // have it first.
    Poll.until("the body's end is reported", () -> chain.events().eventNames(call).contains("requestBodyEnd"));
  }
}
