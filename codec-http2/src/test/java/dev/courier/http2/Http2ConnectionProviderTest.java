package dev.courier.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Authenticator;
import dev.courier.Dns;
import dev.courier.Headers;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.Route;
import dev.courier.StreamResetException;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.ProviderLoader;
import dev.courier.spi.Transport;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Timeout(60)
@ExtendWith(ThreadLeakExtension.class)
class Http2ConnectionProviderTest {
  private static final ExchangeOptions OPTIONS = new ExchangeOptions(10_000, 10_000);

  private final Http2ConnectionProvider provider = new Http2ConnectionProvider();
  private final TestServer server = new TestServer();
  private ProtocolConnection connection;

  @BeforeEach
  void setUp() {
    server.protocols(List.of("h2c"));
  }

  @AfterEach
  void tearDown() {
    if (connection != null) {
      connection.close();
    }
    server.close();
  }

  @Test
  void serviceLoaderFindsTheProvider() {
    List<ProtocolConnectionProvider> found = new ArrayList<>();
    ServiceLoader.load(ProtocolConnectionProvider.class).forEach(found::add);
    assertThat(found).hasAtLeastOneElementOfType(Http2ConnectionProvider.class);

    ProtocolConnectionProvider loaded = ProviderLoader.load(ProtocolConnectionProvider.class).stream()
        .filter(p -> p.name().equals("courier-http2")).findFirst().orElseThrow();
    assertThat(loaded.protocols()).containsExactlyInAnyOrder(Protocol.HTTP_2, Protocol.H2_PRIOR_KNOWLEDGE);
    assertThat(loaded.priority()).isZero();
  }

  @Test
  void createRejectsATransportForAnotherProtocol() throws Exception {
    server.start();
    Transport transport = connect(Protocol.HTTP_1_1);
    try {
      assertThatThrownBy(() -> provider.create(transport, ConnectionOptions.DEFAULT, ProtocolConnection.Listener.NONE))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("http/1.1");
    } finally {
      transport.socket().close();
    }
  }

  @Test
  void getOverPriorKnowledge() throws Exception {
    server.enqueue(ScriptedResponse.builder().status(200).header("Content-Type", "text/plain").body("hello").build());
    server.start();
    connection = create();

    ExchangeCodec codec = connection.newCodec(OPTIONS);
    Request request = get("/greeting?lang=en");
    codec.writeRequestHeaders(request);
    codec.finishRequest();
    Response response = codec.readResponseHeaders(false).request(request).build();

    assertThat(response.code()).isEqualTo(200);
    assertThat(response.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
    assertThat(response.header("content-type")).isEqualTo("text/plain");
    assertThat(readBody(codec)).isEqualTo("hello");
    RecordedRequest recorded = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(recorded.method()).isEqualTo("GET");
    assertThat(recorded.target()).isEqualTo("/greeting?lang=en");
    assertThat(recorded.authority()).isEqualTo("127.0.0.1:" + server.port());
  }

  @Test
  void hundredConcurrentCallsShareOneConnection() throws Exception {
    server.dispatcher(request -> ScriptedResponse.builder().body("echo " + request.path()).build());
    server.start();
    connection = create();
    ExecutorService executor = Executors.newFixedThreadPool(20);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String path = "/" + i;
        results.add(executor.submit(() -> {
          ExchangeCodec codec = connection.newCodec(OPTIONS);
          codec.writeRequestHeaders(get(path));
          codec.finishRequest();
          assertThat(codec.readResponseHeaders(false).code()).isEqualTo(200);
          return readBody(codec);
        }));
      }
      Set<String> bodies = new HashSet<>();
      for (Future<String> result : results) {
        bodies.add(result.get(30, TimeUnit.SECONDS));
      }
      assertThat(bodies).hasSize(100).contains("echo /0", "echo /99");
    } finally {
      executor.shutdownNow();
    }
    assertThat(server.connectionCount()).isEqualTo(1);
    assertThat(server.requestCount()).isEqualTo(100);
  }

  @Test
  void tenMebibyteUploadLargerThanTheServersWindow() throws Exception {
    server.http2Settings(-1, 16_384, -1);
    server.enqueue(ScriptedResponse.builder().status(201).build());
    server.start();
    connection = create();
    byte[] content = new byte[10 * 1024 * 1024];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    Request request = new Request.Builder().url(server.url("/upload"))
        .post(RequestBody.create(content, null)).build();

    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(request);
    try (BufferedSink body = Okio.buffer(codec.createRequestBody(request, content.length))) {
      request.body().writeTo(body);
    }
    codec.finishRequest();

    assertThat(codec.readResponseHeaders(false).code()).isEqualTo(201);
    RecordedRequest recorded = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(recorded.bodySize()).isEqualTo(content.length);
    assertThat(ByteString.of(recorded.body()).sha256()).isEqualTo(ByteString.of(content).sha256());
  }

  @Test
  void informationalResponsesAndTrailers() throws Exception {
    server.enqueue(ScriptedResponse.builder()
        .informational(103, "Link", "</a.css>; rel=preload")
        .status(200)
        .body("body")
        .trailers("Checksum", "abc")
        .build());
    server.start();
    connection = create();

    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(get("/"));
    codec.finishRequest();

    Response.Builder early = codec.readResponseHeaders(false);
    assertThat(early.code()).isEqualTo(103);
    assertThat(codec.readResponseHeaders(false).code()).isEqualTo(200);
    assertThat(readBody(codec)).isEqualTo("body");
    assertThat(codec.trailers()).isEqualTo(Headers.of("checksum", "abc"));
  }

  @Test
  void expectContinueGetsTheBodyAfter100() throws Exception {
    server.enqueue(ScriptedResponse.builder().status(200).build());
    server.start();
    connection = create();
    Request request = new Request.Builder().url(server.url("/"))
        .header("Expect", "100-continue")
        .post(RequestBody.create("expected", null)).build();

    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(request);
    codec.flushRequest();
    assertThat(codec.readResponseHeaders(true)).isNull();
    try (BufferedSink body = Okio.buffer(codec.createRequestBody(request, 8))) {
      body.writeUtf8("expected");
    }
    codec.finishRequest();

    assertThat(codec.readResponseHeaders(true).code()).isEqualTo(200);
    assertThat(server.takeRequest(10, TimeUnit.SECONDS).bodyUtf8()).isEqualTo("expected");
  }

  @Test
  void streamResetByTheServerCarriesItsCode() throws Exception {
    server.enqueue(ScriptedResponse.builder().resetStream(0x2).build());
    server.enqueue(ScriptedResponse.builder().body("after").build());
    server.start();
    connection = create();

    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(get("/reset"));
    codec.finishRequest();
    assertThatThrownBy(() -> codec.readResponseHeaders(false))
        .isInstanceOfSatisfying(StreamResetException.class, e -> assertThat(e.errorCode()).isEqualTo(2));

    ExchangeCodec next = connection.newCodec(OPTIONS);
    next.writeRequestHeaders(get("/after"));
    next.finishRequest();
    next.readResponseHeaders(false);
    assertThat(readBody(next)).isEqualTo("after");
  }

  @Test
  void goAwayFromTheServerStopsNewStreams() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("last").goAwayAfter(0, 0).build());
    server.start();
    java.util.concurrent.atomic.AtomicInteger capacityChanges = new java.util.concurrent.atomic.AtomicInteger();
    connection = provider.create(connect(Protocol.H2_PRIOR_KNOWLEDGE), new ConnectionOptions(0, 10_000),
        new ProtocolConnection.Listener() {
          @Override
          public void capacityChanged(ProtocolConnection c) {
            capacityChanges.incrementAndGet();
          }
        });

    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(get("/"));
    codec.finishRequest();
    codec.readResponseHeaders(false);
    assertThat(readBody(codec)).isEqualTo("last");

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (connection.maxConcurrentExchanges() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(connection.maxConcurrentExchanges()).isZero();
    assertThat(connection.isHealthy(false)).isFalse();
    assertThatThrownBy(() -> connection.newCodec(OPTIONS))
        .isInstanceOf(dev.courier.ConnectionShutdownException.class)
        .hasMessageContaining("GOAWAY");
    assertThat(capacityChanges.get()).isPositive();
  }

  @Test
  void h2OverTlsNegotiatedWithAlpn() throws Exception {
    TestCertificateAuthority authority = TestCertificateAuthority.create("Courier codec-http2 test CA");
    IssuedCertificate certificate = authority.issue("localhost", "127.0.0.1");
    server.useHttps(authority.serverContext(certificate));
    server.protocols(List.of("h2"));
    server.enqueue(ScriptedResponse.builder().body("secure").build());
    server.start();
    connection = createTls(authority);

    ExchangeCodec codec = connection.newCodec(OPTIONS);
    Request request = new Request.Builder().url("https://127.0.0.1:" + server.port() + "/tls").build();
    codec.writeRequestHeaders(request);
    codec.finishRequest();

    Response response = codec.readResponseHeaders(false).request(request).build();
    assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
    assertThat(readBody(codec)).isEqualTo("secure");
    RecordedRequest recorded = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(recorded.version()).containsIgnoringCase("2");
    assertThat(recorded.path()).isEqualTo("/tls");
  }

  @Test
  void failuresOverTlsNameTheServerAndH2() throws Exception {
    TestCertificateAuthority authority = TestCertificateAuthority.create("Courier codec-http2 test CA");
    IssuedCertificate certificate = authority.issue("localhost", "127.0.0.1");
    server.useHttps(authority.serverContext(certificate));
    server.protocols(List.of("h2"));
    server.enqueue(ScriptedResponse.builder().resetStream(0x2).build());
    server.enqueue(ScriptedResponse.builder().body("hello").setHeader("Content-Length", "9").build());
    server.enqueue(ScriptedResponse.builder().body("x".repeat(1000)).fault(dev.courier.testing.Fault.CLOSE_MID_BODY).build());
    server.start();
    connection = createTls(authority);
    String peer = "127.0.0.1:" + server.port() + " (h2";

    ExchangeCodec reset = connection.newCodec(OPTIONS);
    reset.writeRequestHeaders(new Request.Builder().url("https://127.0.0.1:" + server.port() + "/reset").build());
    reset.finishRequest();
    assertThatThrownBy(() -> reset.readResponseHeaders(false))
        .isInstanceOf(StreamResetException.class)
        .hasMessage("stream was reset by " + peer + ", stream 1): INTERNAL_ERROR (0x2)");

    ExchangeCodec shortBody = connection.newCodec(OPTIONS);
    shortBody.writeRequestHeaders(new Request.Builder().url("https://127.0.0.1:" + server.port() + "/short").build());
    shortBody.finishRequest();
    shortBody.readResponseHeaders(false);
    assertThatThrownBy(() -> readBody(shortBody))
        .isInstanceOf(java.net.ProtocolException.class)
        .hasMessageContaining("malformed HTTP/2 response from " + peer + ", stream 3)");
    connection.close();

    connection = createTls(authority);
    ExchangeCodec closed = connection.newCodec(OPTIONS);
    closed.writeRequestHeaders(new Request.Builder().url("https://127.0.0.1:" + server.port() + "/closed").build());
    closed.finishRequest();
    closed.readResponseHeaders(false);
    assertThatThrownBy(() -> readBody(closed))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("HTTP/2 connection to " + peer + ")");
  }

  private ProtocolConnection createTls(TestCertificateAuthority authority) throws IOException {
    SSLSocket socket = (SSLSocket) authority.clientSocketFactory().createSocket("127.0.0.1", server.port());
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setApplicationProtocols(new String[] {"h2"});
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
    Address address = new Address("127.0.0.1", server.port(), Dns.SYSTEM, SocketFactory.getDefault(),
        authority.clientSocketFactory(), (host, session) -> true, dev.courier.CertificatePinner.DEFAULT,
        Authenticator.NONE, Proxy.NO_PROXY, ProxySelector.getDefault(), List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
    InetSocketAddress socketAddress = new InetSocketAddress("127.0.0.1", server.port());
    Transport transport = new Transport(socket, Okio.buffer(Okio.source(socket)), Okio.buffer(Okio.sink(socket)),
        new Route(address, Proxy.NO_PROXY, socketAddress), null, Protocol.HTTP_2);
    return provider.create(transport, new ConnectionOptions(0, 10_000), ProtocolConnection.Listener.NONE);
  }

  private ProtocolConnection create() throws IOException {
    return provider.create(connect(Protocol.H2_PRIOR_KNOWLEDGE), new ConnectionOptions(0, 10_000),
        ProtocolConnection.Listener.NONE);
  }

  private Request get(String path) {
    return new Request.Builder().url(server.url(path)).build();
  }

  private Transport connect(Protocol protocol) throws IOException {
    Address address = new Address("127.0.0.1", server.port(), Dns.SYSTEM, SocketFactory.getDefault(),
        null, null, null, Authenticator.NONE, Proxy.NO_PROXY, ProxySelector.getDefault(), List.of(protocol));
    InetSocketAddress socketAddress = new InetSocketAddress("127.0.0.1", server.port());
    Socket socket = new Socket();
    socket.connect(socketAddress, 5_000);
    return new Transport(socket, Okio.buffer(Okio.source(socket)), Okio.buffer(Okio.sink(socket)),
        new Route(address, Proxy.NO_PROXY, socketAddress), null, protocol);
  }

  private static String readBody(ExchangeCodec codec) throws IOException {
    try (BufferedSource body = Okio.buffer(codec.openResponseBodySource(null))) {
      return body.readUtf8();
    }
  }
}
