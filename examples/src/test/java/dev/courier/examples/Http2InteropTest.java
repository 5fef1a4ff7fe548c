package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.MediaType;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.testing.ExternalProcess;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.NghttpdProcess;
import dev.courier.testing.NginxProcess;
import dev.courier.testing.TestCertificateAuthority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the client's HTTP/2 against independent servers: nginx (h2 over TLS with ALPN, and h2c
 * with prior knowledge) and nghttpd (h2 over TLS, echoing uploads). Each server part is skipped
 * where its server is not installed; CI installs both.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Http2InteropTest {
  static final int TEN_MIB = 10 * 1024 * 1024;

  @TempDir static Path directory;
  static TestCertificateAuthority authority;
  static NginxProcess nginx;
  static NghttpdProcess nghttpd;
  static int nginxTlsPort;
  static int nginxH2cPort;
  static int nghttpdPort;
  static byte[] download;

  @BeforeAll
  static void startServers() throws IOException {
    authority = TestCertificateAuthority.create("Courier HTTP/2 Interop CA");
    IssuedCertificate certificate = authority.issue("localhost", "127.0.0.1");
    Path cert = directory.resolve("cert.pem");
    Path key = directory.resolve("key.pem");
    Files.writeString(cert, certificate.chainPem());
    Files.writeString(key, certificate.privateKeyPem());
    Path www = Files.createDirectories(directory.resolve("www"));
    Files.writeString(www.resolve("hello.txt"), "hello over h2\n");
    download = new byte[TEN_MIB];
    new Random(7).nextBytes(download);
    Files.write(www.resolve("download.bin"), download);

    if (NginxProcess.isInstalled()) {
      nginxTlsPort = ExternalProcess.freePort();
      nginxH2cPort = ExternalProcess.freePort();
      Path nginxDirectory = Files.createDirectories(directory.resolve("nginx"));
      nginx = NginxProcess.start(nginxDirectory, String.join("\n",
          "  server {",
          "    listen 127.0.0.1:" + nginxTlsPort + " ssl http2;",
          "    ssl_certificate " + cert + ";",
          "    ssl_certificate_key " + key + ";",
          "    ssl_protocols TLSv1.2 TLSv1.3;",
          "    http2_max_requests 100000;",
          "    root " + www + ";",
          "  }",
          "  server {",
          "    listen 127.0.0.1:" + nginxH2cPort + " http2;",
          "    http2_max_requests 100000;",
          "    root " + www + ";",
          "  }"), nginxTlsPort, nginxH2cPort);
    }
    if (NghttpdProcess.isInstalled()) {
      nghttpdPort = ExternalProcess.freePort();
      Path nghttpdDirectory = Files.createDirectories(directory.resolve("nghttpd"));
      nghttpd = NghttpdProcess.start(nghttpdDirectory, www, nghttpdPort, key, cert, true,
          "--max-concurrent-streams=256");
    }
  }

  @AfterAll
  static void stopServers() {
    if (nginx != null) {
      nginx.close();
    }
    if (nghttpd != null) {
      nghttpd.close();
    }
  }

  private static CourierClient.Builder client(ConnectionCounter counter) {
    return CourierClient.builder()
        .sslSocketFactory(authority.clientSocketFactory(), authority.trustManager())
        .eventListenerFactory(counter.asFactory());
  }

  private static Request get(String url) {
    return new Request.Builder().url(url).build();
  }

  @Test
  void nginxNegotiatesH2WithAlpnAndServesThousandRequestsOnOneConnection() throws IOException {
    ExternalProcess.assumeInstalled("nginx");
    ConnectionCounter counter = new ConnectionCounter();
    CourierClient client = client(counter).build();
    String url = "https://localhost:" + nginxTlsPort + "/hello.txt";
    for (int i = 0; i < 1_000; i++) {
      try (Response response = client.newCall(get(url)).execute()) {
        assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
        assertThat(response.body().string()).isEqualTo("hello over h2\n");
      }
    }
    assertThat(counter.connectStarts).hasValue(1);
    assertThat(counter.distinctConnections).hasSize(1);
  }

  @Test
  void nginxSpeaksH2cWithPriorKnowledge() throws IOException {
    ExternalProcess.assumeInstalled("nginx");
    CourierClient client = client(new ConnectionCounter())
        .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
        .build();
    try (Response response = client.newCall(get("http://127.0.0.1:" + nginxH2cPort + "/hello.txt")).execute()) {
      assertThat(response.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
      assertThat(response.body().string()).isEqualTo("hello over h2\n");
    }
  }

  @Test
  void nginxTenMibDownloadMatches() throws IOException {
    ExternalProcess.assumeInstalled("nginx");
    CourierClient client = client(new ConnectionCounter()).build();
    try (Response response = client.newCall(get("https://localhost:" + nginxTlsPort + "/download.bin")).execute()) {
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(response.body().bytes()).isEqualTo(download);
    }
  }

  @Test
  void nghttpdEchoesTenMibUploadByteForByte() throws IOException {
    ExternalProcess.assumeInstalled("nghttpd");
    byte[] upload = new byte[TEN_MIB];
    new Random(11).nextBytes(upload);
    CourierClient client = client(new ConnectionCounter()).build();
    Request request = new Request.Builder()
        .url("https://localhost:" + nghttpdPort + "/echo")
        .post(RequestBody.create(upload, MediaType.get("application/octet-stream")))
        .build();
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().bytes()).isEqualTo(upload);
    }
  }

  @Test
  void nghttpdTenMibDownloadMatches() throws IOException {
    ExternalProcess.assumeInstalled("nghttpd");
    CourierClient client = client(new ConnectionCounter()).build();
    try (Response response = client.newCall(get("https://localhost:" + nghttpdPort + "/download.bin")).execute()) {
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(response.body().bytes()).isEqualTo(download);
    }
  }

  @Test
  void hundredConcurrentStreamsShareOneConnection() throws Exception {
    ExternalProcess.assumeInstalled("nghttpd");
    assertConcurrentCallsShareOneConnection("https://localhost:" + nghttpdPort + "/hello.txt", 100);
  }

  @Test
  void twoHundredConcurrentCallsShareOneConnection() throws Exception {
    ExternalProcess.assumeInstalled("nghttpd");
    // nghttpd allows 256 concurrent streams here, so one connection can carry all 200 calls.
    assertConcurrentCallsShareOneConnection("https://localhost:" + nghttpdPort + "/hello.txt", 200);
  }

  private static void assertConcurrentCallsShareOneConnection(String url, int calls) throws Exception {
    ConnectionCounter counter = new ConnectionCounter();
    CourierClient client = client(counter).build();
    // Open the connection first, so that the concurrent calls find it in the pool.
    try (Response warmUp = client.newCall(get(url)).execute()) {
      assertThat(warmUp.protocol()).isEqualTo(Protocol.HTTP_2);
    }
    ExecutorService executor = Executors.newFixedThreadPool(calls);
    try {
      CountDownLatch allHeadersRead = new CountDownLatch(calls);
      List<Future<String>> bodies = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        bodies.add(executor.submit(() -> {
          try (Response response = client.newCall(get(url)).execute()) {
            // Hold every stream open until all calls have their headers: they are truly concurrent.
            allHeadersRead.countDown();
            assertThat(allHeadersRead.await(60, TimeUnit.SECONDS)).isTrue();
            return response.body().string();
          }
        }));
      }
      for (Future<String> body : bodies) {
        assertThat(body.get(90, TimeUnit.SECONDS)).isEqualTo("hello over h2\n");
      }
    } finally {
      executor.shutdownNow();
    }
    assertThat(counter.connectStarts).hasValue(1);
    assertThat(counter.distinctConnections).hasSize(1);
  }
}
