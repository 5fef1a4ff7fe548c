package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.CookieJar;
import dev.courier.DecompressedBodyTooLargeException;
import dev.courier.HttpUrl;
import dev.courier.MediaType;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.RawHttpPeer;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okio.Buffer;
import okio.BufferedSink;
import okio.GzipSink;
import okio.Okio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class BridgeInterceptorTest {
  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  private static byte[] gzip(String content) throws IOException {
    Buffer gzipped = new Buffer();
    try (BufferedSink sink = Okio.buffer(new GzipSink(gzipped))) {
      sink.writeUtf8(content);
    }
    return gzipped.readByteArray();
  }

  @Test
  void addsTheHeadersEveryRequestNeeds() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().build());

    chain.client().newCall(new Request.Builder().url(server.url("/")).build()).execute().close();

    RecordedRequest request = server.takeRequest();
    assertThat(request.header("Host")).isEqualTo("127.0.0.1:" + server.port());
    assertThat(request.header("User-Agent")).isEqualTo("Courier/0.1");
    assertThat(request.header("Connection")).isNull(); // HTTP/1.1 persists by default.
    assertThat(request.header("Accept-Encoding")).isEqualTo("gzip");
  }

  @Test
  void responseCarriesTheCallersRequestAndItsNetworkResponseTheNetworkRequest() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().body("one").build());
    server.enqueue(ScriptedResponse.builder().body("two").build());
    List<Response> networkSeen = new CopyOnWriteArrayList<>();
    CourierClient withNetworkInterceptor = chain.client(b -> b.addNetworkInterceptor(c -> {
      Response response = c.proceed(c.request());
      networkSeen.add(response);
      return response;
    }));

    for (CourierClient client : List.of(chain.client(), withNetworkInterceptor)) {
      Request request = new Request.Builder().url(server.url("/")).header("X-Caller", "yes").build();
      try (Response response = client.newCall(request).execute()) {
        assertThat(response.request()).isSameAs(request);
        assertThat(response.request().header("Host")).isNull();
        Response network = response.networkResponse();
        assertThat(network.request().header("Host")).isEqualTo("127.0.0.1:" + server.port());
        assertThat(network.request().header("X-Caller")).isEqualTo("yes");
        assertThat(network.request().header("User-Agent")).isEqualTo("Courier/0.1");
        assertThat(network.networkResponse()).isNull();
        assertThat(network.body().contentLength()).isZero();
        assertThat(response.body().contentLength()).isEqualTo(3L);
        response.body().string();
      }
    }
    // What a network interceptor gets is the network's own response: no network response of its
    // own yet, the network request.
    assertThat(networkSeen).hasSize(1);
    assertThat(networkSeen.get(0).networkResponse()).isNull();
    assertThat(networkSeen.get(0).request().header("Host")).isEqualTo("127.0.0.1:" + server.port());
  }

  @Test
  void eachCallSendsItsOwnHeadersWhateverTheCallBeforeSent() throws Exception {
    TestServer server = chain.server();
    List<Request> requests = List.of(
        new Request.Builder().url(server.url("/a")).build(),
        new Request.Builder().url(server.url("/b")).build(),
        new Request.Builder().url(server.url("/c")).header("X-One", "1").build(),
        new Request.Builder().url(server.url("/d")).header("X-One", "2").build(),
        new Request.Builder().url(server.url("/e")).header("Range", "bytes=0-1").build(),
        new Request.Builder().url(server.url("/f")).header("User-Agent", "Mine/1").build(),
        new Request.Builder().url(server.url("/g")).header("Host", "virtual.test").build(),
        new Request.Builder().url(server.url("/h")).build());
    for (Request request : requests) {
      server.enqueue(ScriptedResponse.builder().build());
      chain.client().newCall(request).execute().close();
    }

    String host = "127.0.0.1:" + server.port();
    List<String> sent = new java.util.ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      RecordedRequest recorded = server.takeRequest();
      sent.add(recorded.path() + " host=" + recorded.header("Host") + " ae="
          + recorded.header("Accept-Encoding") + " ua=" + recorded.header("User-Agent") + " x="
          + recorded.header("X-One"));
    }
    assertThat(sent).containsExactly(
        "/a host=" + host + " ae=gzip ua=Courier/0.1 x=null",
        "/b host=" + host + " ae=gzip ua=Courier/0.1 x=null",
        "/c host=" + host + " ae=gzip ua=Courier/0.1 x=1",
        "/d host=" + host + " ae=gzip ua=Courier/0.1 x=2",
        "/e host=" + host + " ae=null ua=Courier/0.1 x=null",
        "/f host=" + host + " ae=gzip ua=Mine/1 x=null",
        "/g host=virtual.test ae=gzip ua=Courier/0.1 x=null",
        "/h host=" + host + " ae=gzip ua=Courier/0.1 x=null");
  }

  @Test
  void leavesConnectionFieldsAndChunkedFramingToTheCodec() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().build());
    List<Request> networkRequests = new CopyOnWriteArrayList<>();
    CourierClient client = chain.client(b -> b.addNetworkInterceptor(c -> {
      networkRequests.add(c.request());
      return c.proceed(c.request());
    }));
    RequestBody streamed = new RequestBody() {
      @Override
      public MediaType contentType() {
        return null;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.writeUtf8("streamed");
      }
    };

    client.newCall(new Request.Builder().url(server.url("/")).post(streamed).build()).execute().close();

    Request networkRequest = networkRequests.get(0);
    assertThat(networkRequest.header("Connection")).isNull();
    assertThat(networkRequest.header("Transfer-Encoding")).isNull();
    assertThat(networkRequest.header("Content-Length")).isNull();
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.header("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(recorded.bodyUtf8()).isEqualTo("streamed");
  }

  @Test
  void headersTheCallerSetAreKept() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().build());
    CourierClient client = chain.client(b -> b.userAgent("Client/9"));

    client.newCall(new Request.Builder().url(server.url("/"))
        .header("Host", "virtual.test")
        .header("Connection", "close")
        .build()).execute().close();

    RecordedRequest request = server.takeRequest();
    assertThat(request.header("Host")).isEqualTo("virtual.test");
    assertThat(request.header("Connection")).isEqualTo("close");
    assertThat(request.header("User-Agent")).isEqualTo("Client/9");
  }

  @Test
  void hostHeaderCarriesThePortOnlyWhenItIsNotTheDefault() {
    assertThat(BridgeInterceptor.hostHeader(HttpUrl.parse("http://example.com/"))).isEqualTo("example.com");
    assertThat(BridgeInterceptor.hostHeader(HttpUrl.parse("https://example.com/"))).isEqualTo("example.com");
    assertThat(BridgeInterceptor.hostHeader(HttpUrl.parse("http://example.com:443/"))).isEqualTo("example.com:443");
    assertThat(BridgeInterceptor.hostHeader(HttpUrl.parse("https://example.com:8443/"))).isEqualTo("example.com:8443");
    assertThat(BridgeInterceptor.hostHeader(HttpUrl.parse("http://[::1]:8080/"))).isEqualTo("[::1]:8080");
  }

  @Test
  void bodyOfKnownLengthSendsContentTypeAndLength() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().build());

    chain.client().newCall(new Request.Builder().url(server.url("/"))
        .post(RequestBody.create("hello", MediaType.get("text/plain"))).build()).execute().close();

    RecordedRequest request = server.takeRequest();
    assertThat(request.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(request.header("Content-Length")).isEqualTo("5");
    assertThat(request.header("Transfer-Encoding")).isNull();
    assertThat(request.bodyUtf8()).isEqualTo("hello");
  }

  @Test
  void bodyOfUnknownLengthIsSentChunked() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().build());
    RequestBody streamed = new RequestBody() {
      @Override
      public MediaType contentType() {
        return null;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        for (int i = 0; i < 100; i++) {
          sink.writeUtf8("line " + i + "\n");
          sink.flush();
        }
      }
    };

    chain.client().newCall(new Request.Builder().url(server.url("/")).post(streamed).build()).execute().close();

    RecordedRequest request = server.takeRequest();
    assertThat(request.header("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(request.header("Content-Length")).isNull();
    assertThat(request.header("Content-Type")).isNull();
    assertThat(request.bodyUtf8()).startsWith("line 0\nline 1\n").endsWith("line 99\n");
  }

  @Test
  void gzipResponseIsDecompressedTransparently() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder()
        .header("Content-Encoding", "gzip")
        .header("Content-Type", "text/plain")
        .body(gzip("compressed text, compressed text, compressed text"))
        .build());

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThat(response.header("Content-Encoding")).isNull();
      assertThat(response.header("Content-Length")).isNull();
      assertThat(response.body().contentLength()).isEqualTo(-1L);
      assertThat(response.body().contentType()).hasToString("text/plain");
      assertThat(response.body().string()).isEqualTo("compressed text, compressed text, compressed text");
      assertThat(response.networkResponse().header("Content-Encoding")).isEqualTo("gzip");
      assertThat(response.networkResponse().request().header("Accept-Encoding")).isEqualTo("gzip");
    }
  }

  @Test
  void gzipIsLeftAloneWhenTheCallerChoseAnEncoding() throws Exception {
    TestServer server = chain.server();
    byte[] gzipped = gzip("raw");
    server.enqueue(ScriptedResponse.builder().header("Content-Encoding", "gzip").body(gzipped).build());

    Request request = new Request.Builder().url(server.url("/")).header("Accept-Encoding", "gzip").build();
    try (Response response = chain.client().newCall(request).execute()) {
      assertThat(response.header("Content-Encoding")).isEqualTo("gzip");
      assertThat(response.body().bytes()).isEqualTo(gzipped);
    }
  }

  @Test
  void rangeRequestsDoNotAskForGzip() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().status(206).body("partial").build());

    Request request = new Request.Builder().url(server.url("/")).header("Range", "bytes=0-6").build();
    try (Response response = chain.client().newCall(request).execute()) {
      assertThat(response.body().string()).isEqualTo("partial");
    }
    assertThat(server.takeRequest().header("Accept-Encoding")).isNull();
  }

  @Test
  void cookiesAreSavedAndSentThroughTheCookieJar() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder()
        .header("Set-Cookie", "session=abc; Path=/")
        .header("Set-Cookie", "theme=dark")
        .build());
    server.enqueue(ScriptedResponse.builder().build());
    CookieJar jar = CookieJar.inMemory();
    CourierClient client = chain.client(b -> b.cookieJar(jar));

    client.newCall(new Request.Builder().url(server.url("/login")).build()).execute().close();
    client.newCall(new Request.Builder().url(server.url("/home")).build()).execute().close();

    assertThat(server.takeRequest().header("Cookie")).isNull();
    assertThat(server.takeRequest().header("Cookie")).isEqualTo("session=abc; theme=dark");
    assertThat(jar.loadForRequest(HttpUrl.parse(server.url("/")))).hasSize(2);
  }

  @Test
  void noCookiesAreSentByDefault() throws Exception {
    TestServer server = chain.server();
    server.enqueue(ScriptedResponse.builder().header("Set-Cookie", "session=abc").build());
    server.enqueue(ScriptedResponse.builder().build());
    CourierClient client = chain.client();

    client.newCall(new Request.Builder().url(server.url("/")).build()).execute().close();
    client.newCall(new Request.Builder().url(server.url("/")).build()).execute().close();

    server.takeRequest();
    assertThat(server.takeRequest().header("Cookie")).isNull();
  }

  private static final long MIB = 1024L * 1024;

  private static String peerOf(TestServer server) {
    HttpUrl url = HttpUrl.parse(server.url("/"));
    return url.host() + ":" + url.port();
  }

  /** Returns {@code size} zero bytes, gzipped: a decompression bomb about 1000 times smaller. */
  private static byte[] gzippedZeros(long size) throws IOException {
    Buffer gzipped = new Buffer();
    byte[] zeros = new byte[64 * 1024];
    try (BufferedSink sink = Okio.buffer(new GzipSink(gzipped))) {
      for (long written = 0; written < size; written += zeros.length) {
        sink.write(zeros);
      }
    }
    return gzipped.readByteArray();
  }

  @ParameterizedTest(name = "{0} answered by {1}")
  @CsvSource(delimiter = '|', value = {
      "GET  | HTTP/1.1 304 Not Modified\\r\\nContent-Encoding: gzip\\r\\nContent-Length: 123\\r\\nETag: \"v\"",
      "HEAD | HTTP/1.1 200 OK\\r\\nContent-Encoding: gzip\\r\\nContent-Length: 40",
      "GET  | HTTP/1.1 204 No Content\\r\\nContent-Encoding: gzip",
      "GET  | HTTP/1.1 204 No Content\\r\\nContent-Encoding: gzip\\r\\nTransfer-Encoding: chunked",
      "GET  | HTTP/1.1 200 OK\\r\\nContent-Encoding: gzip\\r\\nContent-Length: 0"})
  void responsesWithoutBodyBytesReadAsEmptyWhateverTheirEncoding(String method, String head)
      throws Exception {
    String wire = head.replace("\\r\\n", "\r\n") + "\r\n\r\n";
    try (RawHttpPeer peer = RawHttpPeer.start((index, socket, in, out) -> {
      RawHttpPeer.readHead(in);
      RawHttpPeer.write(out, wire);
      RawHttpPeer.awaitClientClose(in);
    })) {
      Request request = new Request.Builder().url(peer.url("/")).method(method, null).build();
      try (Response response = chain.client().newCall(request).execute()) {
        assertThat(response.body().string()).isEmpty();
        assertThat(response.header("Content-Encoding")).isEqualTo("gzip");
      }
    }
  }

  @Test
  void decompressionBombEndsAtTheLimitNamingTheHost() throws Exception {
    TestServer server = chain.server();
    byte[] bomb = gzippedZeros(64 * MIB);
    assertThat(bomb.length).isLessThan((int) MIB);
    server.enqueue(ScriptedResponse.builder().header("Content-Encoding", "gzip").body(bomb).build());
    CourierClient client = chain.client(builder -> builder.maxDecompressedBodyBytes(MIB));

    long received = 0;
    Buffer sink = new Buffer();
    try (Response response = client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      DecompressedBodyTooLargeException failure = null;
      try {
        for (long read; (read = response.body().source().read(sink, 8192)) != -1L; sink.clear()) {
          received += read;
        }
      } catch (DecompressedBodyTooLargeException e) {
        failure = e;
      }

      assertThat(failure).isNotNull();
      assertThat(failure.limitBytes()).isEqualTo(MIB);
      assertThat(failure).hasMessageContaining(peerOf(server)).hasMessageContaining("1048576");
    }
    assertThat(received).isEqualTo(MIB);
  }

  @Test
  void decompressionLimitAllowsABodyOfExactlyTheLimit() throws Exception {
    TestServer server = chain.server();
    byte[] gzipped = gzip("x".repeat(1000));
    server.enqueue(ScriptedResponse.builder().header("Content-Encoding", "gzip").body(gzipped).build());
    server.enqueue(ScriptedResponse.builder().header("Content-Encoding", "gzip").body(gzipped).build());
    Request request = new Request.Builder().url(server.url("/")).build();

    try (Response response = chain.client(builder -> builder.maxDecompressedBodyBytes(1000))
        .newCall(request).execute()) {
      assertThat(response.body().string()).hasSize(1000);
    }
    try (Response response = chain.client(builder -> builder.maxDecompressedBodyBytes(999))
        .newCall(request).execute()) {
      assertThatThrownBy(() -> response.body().string())
          .isInstanceOf(DecompressedBodyTooLargeException.class)
          .hasMessageContaining("999");
    }
  }

  @Test
  void decompressionLimitHasADocumentedDefaultMustBePositiveAndIsKeptByNewBuilder() {
    assertThat(CourierClient.builder().build().maxDecompressedBodyBytes())
        .isEqualTo(CourierClient.Builder.DEFAULT_MAX_DECOMPRESSED_BODY_BYTES)
        .isEqualTo(256 * MIB);
    assertThatThrownBy(() -> CourierClient.builder().maxDecompressedBodyBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxDecompressedBodyBytes");
    CourierClient limited = CourierClient.builder().maxDecompressedBodyBytes(MIB).build();
    assertThat(limited.newBuilder().build().maxDecompressedBodyBytes()).isEqualTo(MIB);
  }

  @Test
  void truncatedGzipStreamFailsNamingTheHost() throws Exception {
    TestServer server = chain.server();
    byte[] gzipped = gzip("some text that is cut short");
    server.enqueue(ScriptedResponse.builder().header("Content-Encoding", "gzip")
        .body(Arrays.copyOf(gzipped, gzipped.length - 6)).build());

    try (Response response = chain.client().newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertThatThrownBy(() -> response.body().string())
          .isInstanceOf(EOFException.class)
          .hasMessageContaining("gzip")
          .hasMessageContaining(peerOf(server));
    }
  }
}
