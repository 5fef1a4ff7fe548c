package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Interceptor;
import dev.courier.MediaType;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.testing.ExternalProcess;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.NginxProcess;
import dev.courier.testing.TestCertificateAuthority;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the client against nginx over HTTP/1.1: cleartext, HTTPS with a certificate made here,
 * gzip, chunked bodies in both directions, redirects and keep-alive. Skipped where nginx is not
 * installed; CI installs it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NginxHttp1InteropTest {
  @TempDir static Path directory;
  static NginxProcess nginx;
  static TestCertificateAuthority authority;
  static int plainPort;
  static int tlsPort;
  static String text;

  @BeforeAll
  static void startNginx() throws IOException {
    ExternalProcess.assumeInstalled("nginx");
    authority = TestCertificateAuthority.create("Courier Interop CA");
    IssuedCertificate certificate = authority.issue("localhost", "127.0.0.1");
    Files.writeString(directory.resolve("cert.pem"), certificate.chainPem());
    Files.writeString(directory.resolve("key.pem"), certificate.privateKeyPem());
    Path www = Files.createDirectories(directory.resolve("www"));
    Files.createDirectories(www.resolve("dav"));
    Files.writeString(www.resolve("hello.txt"), "hello from nginx\n");
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 5_000; i++) {
      big.append("line ").append(i).append(" of a text that compresses well\n");
    }
    text = big.toString();
    Files.writeString(www.resolve("big.txt"), text);
    plainPort = ExternalProcess.freePort();
    tlsPort = ExternalProcess.freePort();
    StringBuilder redirects = new StringBuilder();
    for (int code : new int[] {301, 302, 303, 307, 308}) {
      redirects.append("    location = /redirect/").append(code).append(" { return ").append(code)
          .append(" /hello.txt; }\n");
    }
    nginx = NginxProcess.start(directory, String.join("\n",
        "  server {",
        "    listen 127.0.0.1:" + plainPort + ";",
        "    listen 127.0.0.1:" + tlsPort + " ssl;",
        "    ssl_certificate " + directory.resolve("cert.pem") + ";",
        "    ssl_certificate_key " + directory.resolve("key.pem") + ";",
        "    ssl_protocols TLSv1.2 TLSv1.3;",
        "    root " + www + ";",
        "    gzip on;",
        "    gzip_types text/plain;",
        "    gzip_min_length 100;",
        redirects.toString(),
        "    location = /redirect/chain { return 302 /redirect/301; }",
        "    location /dav/ { dav_methods PUT DELETE; client_max_body_size 20m; }",
        "  }"), plainPort, tlsPort);
  }

  @AfterAll
  static void stopNginx() {
    if (nginx != null) {
      nginx.close();
    }
  }

  private static CourierClient.Builder client(ConnectionCounter counter) {
    return CourierClient.builder()
        .protocols(List.of(Protocol.HTTP_1_1))
        .sslSocketFactory(authority.clientSocketFactory(), authority.trustManager())
        .eventListenerFactory(counter.asFactory());
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + plainPort + path;
  }

  @Test
  void plainHttp11Get() throws IOException {
    CourierClient client = client(new ConnectionCounter()).build();
    try (Response response = client.newCall(new Request.Builder().url(url("/hello.txt")).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_1_1);
      assertThat(response.header("Server")).startsWith("nginx");
      assertThat(response.handshake()).isNull();
      assertThat(response.body().string()).isEqualTo("hello from nginx\n");
    }
  }

  @Test
  void httpsWithCertificateMadeByTheTest() throws IOException {
    CourierClient client = client(new ConnectionCounter()).build();
    Request request = new Request.Builder().url("https://localhost:" + tlsPort + "/hello.txt").build();
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.handshake()).isNotNull();
      assertThat(response.handshake().tlsVersion()).isIn("TLSv1.3", "TLSv1.2");
      assertThat(response.handshake().peerCertificates()).isNotEmpty();
      assertThat(response.body().string()).isEqualTo("hello from nginx\n");
    }
  }

  @Test
  void gzipResponseIsDecodedTransparentlyAndArrivesChunked() throws IOException {
    Map<String, String> networkHeaders = new ConcurrentHashMap<>();
    Interceptor recorder = chain -> {
      Response response = chain.proceed(chain.request());
      networkHeaders.put("accept-encoding", String.valueOf(chain.request().header("Accept-Encoding")));
      networkHeaders.put("content-encoding", String.valueOf(response.header("Content-Encoding")));
      networkHeaders.put("transfer-encoding", String.valueOf(response.header("Transfer-Encoding")));
      return response;
    };
    CourierClient client = client(new ConnectionCounter()).addNetworkInterceptor(recorder).build();
    try (Response response = client.newCall(new Request.Builder().url(url("/big.txt")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo(text);
      assertThat(response.header("Content-Encoding")).isNull();
      assertThat(response.header("Content-Length")).isNull();
    }
    assertThat(networkHeaders).containsEntry("accept-encoding", "gzip")
        .containsEntry("content-encoding", "gzip")
        .containsEntry("transfer-encoding", "chunked");
  }

  @Test
  void chunkedRequestBodyIsStoredByNginxByteForByte() throws IOException {
    byte[] content = new byte[1024 * 1024 + 17];
    new Random(42).nextBytes(content);
    RequestBody chunked = new RequestBody() {
      @Override
      public MediaType contentType() {
        return MediaType.get("application/octet-stream");
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        for (int offset = 0; offset < content.length; offset += 10_000) {
          sink.write(content, offset, Math.min(10_000, content.length - offset));
        }
      }
    };
    CourierClient client = client(new ConnectionCounter()).build();
    Request put = new Request.Builder().url(url("/dav/upload.bin")).put(chunked).build();
    try (Response response = client.newCall(put).execute()) {
      assertThat(response.code()).isIn(201, 204);
    }
    try (Response response = client.newCall(new Request.Builder().url(url("/dav/upload.bin")).build()).execute()) {
      assertThat(response.body().bytes()).isEqualTo(content);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void redirectsAreFollowed(int code) throws IOException {
    CourierClient client = client(new ConnectionCounter()).build();
    try (Response response = client.newCall(new Request.Builder().url(url("/redirect/" + code)).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.request().url().encodedPath()).isEqualTo("/hello.txt");
      assertThat(response.priorResponse().code()).isEqualTo(code);
      assertThat(response.body().string()).isEqualTo("hello from nginx\n");
    }
  }

  @Test
  void redirectChainIsFollowedAndRecorded() throws IOException {
    CourierClient client = client(new ConnectionCounter()).build();
    try (Response response = client.newCall(new Request.Builder().url(url("/redirect/chain")).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.priorResponse().code()).isEqualTo(301);
      assertThat(response.priorResponse().priorResponse().code()).isEqualTo(302);
    }
  }

  @Test
  void hundredSequentialCallsReuseOneConnection() throws IOException {
    ConnectionCounter counter = new ConnectionCounter();
    CourierClient client = client(counter).build();
    for (int i = 0; i < 100; i++) {
      try (Response response = client.newCall(new Request.Builder().url(url("/hello.txt")).build()).execute()) {
        assertThat(response.body().string()).isEqualTo("hello from nginx\n");
      }
    }
    assertThat(counter.connectStarts).hasValue(1);
    assertThat(counter.acquisitions).hasValue(100);
    assertThat(counter.distinctConnections).hasSize(1);
  }

  @Test
  void hundredSequentialHttpsCallsReuseOneConnection() throws IOException {
    ConnectionCounter counter = new ConnectionCounter();
    CourierClient client = client(counter).build();
    String url = "https://localhost:" + tlsPort + "/hello.txt";
    for (int i = 0; i < 100; i++) {
      try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
        assertThat(response.body().bytes()).isEqualTo("hello from nginx\n".getBytes(StandardCharsets.UTF_8));
      }
    }
    assertThat(counter.connectStarts).hasValue(1);
    assertThat(counter.distinctConnections).hasSize(1);
  }
}
