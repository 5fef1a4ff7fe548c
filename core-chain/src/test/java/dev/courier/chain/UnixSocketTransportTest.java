package dev.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.MediaType;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.http1.UnixSocketConnectionProvider;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownServiceException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/1.1 over a Unix domain socket through the whole client: the {@code courier-http1-unix}
 * provider, chosen by name and configured with a builder setting, opens its own transport (a JDK
 * {@code SocketChannel}, no {@code java.net.Socket}) against a JDK peer, including peers that
 * misbehave.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnixSocketTransportTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension();

  @TempDir Path directory;
  private UnixSocketPeer peer;
  private CourierClient client;

  @BeforeEach
  void setUp() throws IOException {
    peer = new UnixSocketPeer(directory.resolve("app.sock"));
    client = clientFor(peer.path().toString()).build();
  }

  @AfterEach
  void tearDown() throws IOException {
    client.close();
    peer.close();
  }

  private static CourierClient.Builder clientFor(String path) {
    return CourierClient.builder()
        .protocolProvider(Protocol.HTTP_1_1, UnixSocketConnectionProvider.NAME)
        .providerSetting(UnixSocketConnectionProvider.NAME, UnixSocketConnectionProvider.PATH, path)
        .readTimeout(2, TimeUnit.SECONDS);
  }

  private Response get(String url) throws IOException {
    return client.newCall(new Request.Builder().url(url).build()).execute();
  }

  @Test
  void requestsGoOverTheSocketFileAndReuseTheConnection() throws IOException {
    peer.enqueueOk("first").enqueueOk("second");

    try (Response response = get("http://app.internal/one")) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.protocol()).isEqualTo(Protocol.HTTP_1_1);
      assertThat(response.body().string()).isEqualTo("first");
    }
    try (Response response = get("http://app.internal/two")) {
      assertThat(response.body().string()).isEqualTo("second");
    }

    assertThat(peer.connectionCount()).isEqualTo(1);
    assertThat(peer.requests()).hasSize(2);
    assertThat(peer.requests().get(0)).startsWith("GET /one HTTP/1.1\r\n").contains("Host: app.internal\r\n");
    assertThat(client.chosenProviders())
        .containsEntry("ProtocolConnectionProvider http/1.1", UnixSocketConnectionProvider.NAME);
    // HTTP/2 is still discovered: choosing the HTTP/1.1 provider turns off nothing else.
    assertThat(client.chosenProviders()).containsEntry("ProtocolConnectionProvider h2", "courier-http2");
  }

  @Test
  void requestBodyIsSent() throws IOException {
    peer.enqueueOk("stored");

    Request request = new Request.Builder().url("http://app.internal/items")
        .post(RequestBody.create("{\"a\":1}", MediaType.parse("application/json"))).build();
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.body().string()).isEqualTo("stored");
    }

    assertThat(peer.requests().get(0)).startsWith("POST /items HTTP/1.1\r\n").endsWith("\r\n\r\n{\"a\":1}");
  }

  @Test
  void peerThatClosesWithoutAnsweringFailsTheCallNamingTheHost() {
    peer.enqueue(null).enqueue(null).enqueue(null);

    assertThatThrownBy(() -> get("http://app.internal/").close())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("app.internal");
  }

  @Test
  void garbageStatusLineIsAProtocolErrorAndTheConnectionIsNotReused() throws IOException {
    peer.enqueue("SMTP READY\r\n\r\n").enqueueOk("clean");

    assertThatThrownBy(() -> get("http://app.internal/").close())
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("app.internal");
    try (Response response = get("http://app.internal/again")) {
      assertThat(response.body().string()).isEqualTo("clean");
    }
    assertThat(peer.connectionCount()).isEqualTo(2);
  }

  @Test
  void bodyShorterThanItsContentLengthFailsAndIsNotReused() throws IOException {
    peer.enqueue("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc").enqueueOk("clean");

    // The peer then waits for the next request, so the short body ends only by the read timeout.
    assertThatThrownBy(() -> {
      try (Response response = get("http://app.internal/")) {
        response.body().string();
      }
    }).isInstanceOf(IOException.class);
    try (Response response = get("http://app.internal/again")) {
      assertThat(response.body().string()).isEqualTo("clean");
    }
    assertThat(peer.connectionCount()).isEqualTo(2);
  }

  @Test
  void stalledPeerTimesOut() {
    peer.enqueue(UnixSocketPeer.STALL);

    assertThatThrownBy(() -> get("http://app.internal/").close())
        .isInstanceOf(SocketTimeoutException.class);
    assertThat(peer.requests()).hasSize(1); // A GET is not resent after a read timeout.
  }

  @Test
  void missingSocketFileFailsTheConnectNamingIt() throws IOException {
    String missing = directory.resolve("nobody.sock").toString();
    try (CourierClient other = clientFor(missing).build()) {
      assertThatThrownBy(() -> other.newCall(new Request.Builder().url("http://app.internal/").build()).execute())
          .isInstanceOf(ConnectException.class)
          .hasMessageContaining("app.internal")
          .hasMessageContaining("unix:" + missing);
    }
  }

  @Test
  void missingPathSettingIsExplained() throws IOException {
    try (CourierClient other = CourierClient.builder()
        .protocolProvider(Protocol.HTTP_1_1, UnixSocketConnectionProvider.NAME).build()) {
      assertThatThrownBy(() -> other.newCall(new Request.Builder().url("http://app.internal/").build()).execute())
          .isInstanceOf(UnknownServiceException.class)
          .hasMessageContaining("needs the setting 'path'")
          .hasMessageContaining("courier.provider.courier-http1-unix.path");
    }
  }

  @Test
  void pathMayComeFromASystemPropertyNamedAfterTheProvider() throws IOException {
    peer.enqueueOk("from property");
    System.setProperty("courier.provider.courier-http1-unix.path", peer.path().toString());
    try (CourierClient other = CourierClient.builder()
        .protocolProvider(Protocol.HTTP_1_1, UnixSocketConnectionProvider.NAME).build();
        Response response = other.newCall(new Request.Builder().url("http://app.internal/").build()).execute()) {
      assertThat(response.body().string()).isEqualTo("from property");
    } finally {
      System.clearProperty("courier.provider.courier-http1-unix.path");
    }
  }

  @Test
  void idleConnectionClosedByThePeerIsNotReused() throws Exception {
    peer.enqueue("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi").enqueueOk("fresh");
    try (Response response = get("http://app.internal/")) {
      assertThat(response.body().string()).isEqualTo("hi");
    }
    // The peer closes its end of the idle connection (its next reply is missing).
    peer.close();
    peer = new UnixSocketPeer(peer.path());
    peer.enqueueOk("fresh");

    try (Response response = get("http://app.internal/again")) {
      assertThat(response.body().string()).isEqualTo("fresh");
    }
    assertThat(peer.requests()).hasSize(1);
  }
}
