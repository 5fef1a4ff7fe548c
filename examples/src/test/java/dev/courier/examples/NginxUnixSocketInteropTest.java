package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.MediaType;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.http1.UnixSocketConnectionProvider;
import dev.courier.testing.ExternalProcess;
import dev.courier.testing.NginxProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the client against nginx listening on a Unix domain socket: the {@code courier-http1-unix}
 * provider opens its own transport (no TCP) and speaks HTTP/1.1 over it. nginx also listens on a
 * loopback port, only so that the test knows when it is ready. Skipped where nginx is not
 * installed; CI installs it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NginxUnixSocketInteropTest {
  @TempDir static Path directory;
  static NginxProcess nginx;
  static Path socket;
  static String text;

  @BeforeAll
  static void startNginx() throws IOException {
    ExternalProcess.assumeInstalled("nginx");
    Path www = Files.createDirectories(directory.resolve("www"));
    Files.writeString(www.resolve("hello.txt"), "hello over a unix socket\n");
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 5_000; i++) {
      big.append("line ").append(i).append(" of a text that compresses well\n");
    }
    text = big.toString();
    Files.writeString(www.resolve("big.txt"), text);
    socket = directory.resolve("nginx.sock");
    int readyPort = ExternalProcess.freePort();
    nginx = NginxProcess.start(directory, String.join("\n",
        "  server {",
        "    listen unix:" + socket + ";",
        "    listen 127.0.0.1:" + readyPort + ";",
        "    root " + www + ";",
        "    gzip on;",
        "    gzip_types text/plain;",
        "    gzip_min_length 100;",
        "    location = /echo-host { default_type text/plain; return 200 \"host=$host via=$server_addr\"; }",
        "    location = /post { default_type text/plain; return 201 \"got $content_length bytes\"; }",
        "  }"), readyPort);
  }

  @AfterAll
  static void stopNginx() {
    if (nginx != null) {
      nginx.close();
    }
  }

  private static CourierClient client() {
    return CourierClient.builder()
        .protocolProvider(Protocol.HTTP_1_1, UnixSocketConnectionProvider.NAME)
        .providerSetting(UnixSocketConnectionProvider.NAME, UnixSocketConnectionProvider.PATH, socket.toString())
        .build();
  }

  @Test
  void getsAFileAndReusesTheConnection() throws IOException {
    try (CourierClient client = client()) {
      for (int i = 0; i < 3; i++) {
        try (Response response = client.newCall(
            new Request.Builder().url("http://files.local/hello.txt").build()).execute()) {
          assertThat(response.code()).isEqualTo(200);
          assertThat(response.header("Server")).startsWith("nginx");
          assertThat(response.body().string()).isEqualTo("hello over a unix socket\n");
        }
      }
      assertThat(client.connectionPool().connectionCount()).isEqualTo(1);
    }
  }

  @Test
  void hostHeaderComesFromTheUrlAndNginxSeesAUnixPeer() throws IOException {
    try (CourierClient client = client(); Response response = client.newCall(
        new Request.Builder().url("http://files.local/echo-host").build()).execute()) {
      assertThat(response.body().string()).isEqualTo("host=files.local via=unix:" + socket);
    }
  }

  @Test
  void gzipBodyIsDecodedTransparently() throws IOException {
    try (CourierClient client = client(); Response response = client.newCall(
        new Request.Builder().url("http://files.local/big.txt").build()).execute()) {
      assertThat(response.body().string()).isEqualTo(text);
      assertThat(response.networkResponse().header("Content-Encoding")).isEqualTo("gzip");
    }
  }

  @Test
  void postsABody() throws IOException {
    Request request = new Request.Builder().url("http://files.local/post")
        .post(RequestBody.create("x".repeat(5_000), MediaType.parse("text/plain"))).build();
    try (CourierClient client = client(); Response response = client.newCall(request).execute()) {
      assertThat(response.code()).isEqualTo(201);
      assertThat(response.body().string()).isEqualTo("got 5000 bytes");
    }
  }
}
