package dev.courier.chain.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.WebSocket;
import dev.courier.chain.CourierClient;
import dev.courier.pool.CloseReason;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs WebSockets against the test server's echo endpoint, built on Netty's RFC 6455 codec. */
class RealWebSocketTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("Courier");

  private final TestServer server = new TestServer();
  private final RecordingWebSocketListener listener = new RecordingWebSocketListener();
  private CourierClient client = new CourierClient();
  private WebSocket webSocket;

  @BeforeEach
  void setUp() throws IOException {
    server.start();
  }

  @AfterEach
  void tearDown() {
    if (webSocket != null) {
      webSocket.cancel();
    }
    client.close();
    server.close();
  }

  private WebSocket open() throws InterruptedException {
    server.enqueue(ScriptedResponse.builder().webSocket().build());
    webSocket = client.newWebSocket(
        new Request.Builder().url(server.url("/echo").replace("http:", "ws:")).build(), listener);
    return webSocket;
  }

  @Test
  void handshakeSendsTheUpgradeHeadersAndOpens() throws Exception {
    open();
    listener.expectOpen();
    RecordedRequest request = server.takeRequest();
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.path()).isEqualTo("/echo");
    assertThat(request.header("Upgrade")).isEqualTo("websocket");
    assertThat(request.header("Connection")).isEqualTo("Upgrade");
    assertThat(request.header("Sec-WebSocket-Version")).isEqualTo("13");
    assertThat(ByteString.decodeBase64(request.header("Sec-WebSocket-Key")).size()).isEqualTo(16);
  }

  @Test
  void handshakeAsksForNoContentEncodingThoughOrdinaryCallsDo() throws Exception {
    open();
    listener.expectOpen();
    assertThat(server.takeRequest().header("Accept-Encoding")).isNull();

    server.enqueue(ScriptedResponse.builder().body("plain").build());
    try (Response response = client.newCall(new Request.Builder().url(server.url("/plain")).build())
        .execute()) {
      assertThat(response.body().string()).isEqualTo("plain");
    }
    assertThat(server.takeRequest().header("Accept-Encoding")).isEqualTo("gzip");
  }

  @Test
  void textAndBinaryMessagesAreEchoed() throws Exception {
    open();
    assertThat(webSocket.send("hello")).isTrue(); // May be queued before the socket opens.
    listener.expectOpen();
    listener.expectText("hello");
    assertThat(webSocket.send(ByteString.of((byte) 0, (byte) 0xff))).isTrue();
    assertThat(listener.next("bytes").bytes()).isEqualTo(ByteString.of((byte) 0, (byte) 0xff));
    assertThat(webSocket.send("")).isTrue();
    listener.expectText("");
  }

  @Test
  void manyMessagesOfMixedSizesUpTo1MibAreEchoedByteForByte() throws Exception {
    open();
    listener.expectOpen();
    Random random = new Random(6455);
    int[] edges = {0, 1, 125, 126, 127, 65_535, 65_536, 65_537, 1 << 20};
    List<ByteString> sent = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int size = i < edges.length ? edges[i]
          : random.nextInt(8) == 0 ? random.nextInt((1 << 20) + 1) : random.nextInt(4096);
      byte[] bytes = new byte[size];
      random.nextBytes(bytes);
      sent.add(ByteString.of(bytes));
    }
    int received = 0;
    for (ByteString message : sent) {
      while (!webSocket.send(message)) {
        // The queue is full: take an echo before sending more (back-pressure).
        assertThat(listener.next("bytes").bytes()).isEqualTo(sent.get(received++));
      }
    }
    while (received < sent.size()) {
      assertThat(listener.next("bytes").bytes()).isEqualTo(sent.get(received++));
    }
    webSocket.close(1000, "done");
    listener.expectClosing(1000, "done");
    listener.expectClosed(1000, "done");
  }

  @Test
  void permessageDeflateWithNettyEchoesMixedMessagesByteForByte() throws Exception {
    server.enqueue(ScriptedResponse.builder().webSocketDeflate().build());
    webSocket = client.newWebSocket(
        new Request.Builder().url(server.url("/echo").replace("http:", "ws:")).build(), listener);
    listener.expectOpen();
    assertThat(server.takeRequest().header("Sec-WebSocket-Extensions")).isEqualTo("permessage-deflate");
    assertThat(webSocket.extensions()).isEqualTo("permessage-deflate");
    Random random = new Random(7692);
    List<Object> sent = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int size = i % 50 == 49 ? random.nextInt((1 << 20) + 1) : random.nextInt(4096);
      if (i % 2 == 0) {
        StringBuilder text = new StringBuilder();
        while (text.length() < size) {
          text.append(i).append(" compressible words, again and again; ");
        }
        sent.add(text.substring(0, size));
      } else {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        sent.add(ByteString.of(bytes));
      }
    }
    int received = 0;
    for (Object message : sent) {
      while (!(message instanceof String text ? webSocket.send(text) : webSocket.send((ByteString) message))) {
        received = expectEcho(sent, received);
      }
    }
    while (received < sent.size()) {
      received = expectEcho(sent, received);
    }
    webSocket.close(1000, "done");
    listener.expectClosing(1000, "done");
    listener.expectClosed(1000, "done");
  }

  private int expectEcho(List<Object> sent, int index) throws InterruptedException {
    Object expected = sent.get(index);
    if (expected instanceof String text) {
      assertThat(listener.next("text").text()).isEqualTo(text);
    } else {
      assertThat(listener.next("bytes").bytes()).isEqualTo(expected);
    }
    return index + 1;
  }

  @Test
  void textMessagesAreFragmentedWhenLongAndEchoedWhole() throws Exception {
    client.close();
    client = CourierClient.builder().webSocketFragmentBytes(1000).build();
    open();
    listener.expectOpen();
    String text = "ünïcödé ".repeat(5000);
    assertThat(webSocket.send(text)).isTrue();
    listener.expectText(text);
  }

  @Test
  void clientStartedCloseHandshakeEndsWithOnClosed() throws Exception {
    open();
    listener.expectOpen();
    assertThat(webSocket.close(1000, "bye")).isTrue();
    assertThat(webSocket.close(1000, "again")).isFalse();
    assertThat(webSocket.send("too late")).isFalse();
    listener.expectClosing(1000, "bye");
    listener.expectClosed(1000, "bye");
    listener.expectNoMore();
    assertThat(listener.threadNames).hasSize(1);
    assertThat(listener.threadNames.iterator().next()).startsWith("Courier WebSocket reader");
    // The upgraded connection was closed, never pooled for HTTP.
    assertThat(client.connectionPool().connectionCount()).isZero();
    assertThat(client.connectionPool().statistics().closedCount(CloseReason.UPGRADED)).isEqualTo(1);
  }

  @Test
  void serverStartedCloseHandshakeIsAnswered() throws Exception {
    open();
    listener.expectOpen();
    webSocket.send("close:4000:server is done");
    listener.expectClosing(4000, "server is done");
    listener.expectClosed(4000, "server is done");
    assertThat(webSocket.send("after close")).isFalse();
  }

  @Test
  void serverPingIsAnsweredWithAPong() throws Exception {
    open();
    listener.expectOpen();
    webSocket.send("ping:are you there");
    listener.expectText("pong:are you there");
  }

  @Test
  void nextCallUsesAFreshConnection() throws Exception {
    open();
    listener.expectOpen();
    server.enqueue(ScriptedResponse.builder().body("plain").build());
    try (Response response = client.newCall(new Request.Builder().url(server.url("/")).build())
        .execute()) {
      assertThat(response.body().string()).isEqualTo("plain");
    }
    assertThat(server.connectionCount()).isEqualTo(2);
  }

  @Test
  void subprotocolIsPassedThroughBothWays() throws Exception {
    server.enqueue(ScriptedResponse.builder().webSocket()
        .header("Sec-WebSocket-Protocol", "chat").build());
    webSocket = client.newWebSocket(new Request.Builder().url(server.url("/echo"))
        .header("Sec-WebSocket-Protocol", "chat, superchat").build(), listener);
    RecordingWebSocketListener.Event open = listener.next("open");
    assertThat(open.response().header("Sec-WebSocket-Protocol")).isEqualTo("chat");
    assertThat(server.takeRequest().header("Sec-WebSocket-Protocol")).isEqualTo("chat, superchat");
  }

  @Test
  void subprotocolNotOfferedFailsTheHandshake() throws Exception {
    server.enqueue(ScriptedResponse.builder().webSocket()
        .header("Sec-WebSocket-Protocol", "mqtt").build());
    webSocket = client.newWebSocket(new Request.Builder().url(server.url("/echo")).build(), listener);
    assertThat(listener.expectFailure()).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("subprotocol 'mqtt', which was not offered");
  }

  @Test
  void cancelFailsTheSocket() throws Exception {
    open();
    listener.expectOpen();
    webSocket.cancel();
    assertThat(listener.expectFailure()).isInstanceOf(IOException.class)
        .hasMessageContaining("canceled");
    assertThat(webSocket.send("x")).isFalse();
    listener.expectNoMore();
  }

  @Test
  void closeRejectsCodesThatMayNotBeSent() throws Exception {
    open();
    listener.expectOpen();
    assertThatThrownBy(() -> webSocket.close(1005, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> webSocket.close(999, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> webSocket.close(2000, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> webSocket.close(1000, "x".repeat(124)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(webSocket.close(3000, "x".repeat(123))).isTrue();
    listener.expectClosing(3000, "x".repeat(123));
    listener.expectClosed(3000, "x".repeat(123));
  }

  @Test
  void postRequestsAreRefused() {
    Request post = new Request.Builder().url(server.url("/echo"))
        .post(dev.courier.RequestBody.create("x", null)).build();
    assertThatThrownBy(() -> client.newWebSocket(post, listener))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void socketsRunOverHttp11WhicheverProtocolsTheClientPrefers() throws Exception {
    client.close();
    client = CourierClient.builder().protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1)).build();
    open();
    listener.expectOpen();
    webSocket.send("over http/1.1");
    listener.expectText("over http/1.1");
  }

  @Test
  void eventListenerSeesTheUpgradeAndTheCallEndsWithTheSocket() throws Exception {
    java.util.List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    client.close();
    client = CourierClient.builder().eventListener(new dev.courier.EventListener() {
      @Override public void responseHeadersEnd(dev.courier.Call call, Response response) {
        events.add("responseHeadersEnd " + response.code());
      }

      @Override public void connectionReleased(dev.courier.Call call, dev.courier.Connection connection) {
        events.add("connectionReleased");
      }

      @Override public void callEnd(dev.courier.Call call) {
        events.add("callEnd");
      }
    }).build();
    open();
    listener.expectOpen();
    assertThat(events).containsExactly("responseHeadersEnd 101");
    webSocket.close(1000, null);
    listener.expectClosing(1000, "");
    listener.expectClosed(1000, "");
    // The call ends once the socket has closed its streams, before onClosed.
    assertThat(events).containsExactly("responseHeadersEnd 101", "connectionReleased", "callEnd");
  }
}
