package dev.courier.chain.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Call;
import dev.courier.EventListener;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.WebSocket;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.TestTls;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs WebSockets over HTTP/2 (RFC 8441) against Jetty 12's server: on the pooled connection that
 * ordinary calls use, a hundred at once, over TLS and h2c, and the fall back to HTTP/1.1 when the
 * server did not enable the extended CONNECT protocol.
 */
class WebSocketOverHttp2JettyTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("Courier");

  private final Queue<String> events = new ConcurrentLinkedQueue<>();
  private JettyWebSocketServer server;
  private CourierClient client;
  private final List<WebSocket> sockets = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (WebSocket socket : sockets) {
      socket.cancel();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void start(boolean connectProtocolEnabled, Protocol... protocols) throws Exception {
    server = new JettyWebSocketServer(connectProtocolEnabled);
    CourierClient.Builder builder = CourierClient.builder()
        .dns(TestTls.LOOPBACK_DNS)
        .eventListenerFactory(call -> new EventListener() {
          @Override
          public void webSocketUpgraded(Call call, Protocol protocol) {
            events.add("upgraded " + protocol);
          }

          @Override
          public void webSocketFallback(Call call, String reason) {
            events.add("fallback " + reason);
          }
        });
    if (protocols.length > 0) {
      builder.protocols(List.of(protocols));
    }
    TestTls.trustTestAuthority(builder);
    client = builder.build();
  }

  private String https(String path) {
    return "https://localhost:" + server.tlsPort() + path;
  }

  private WebSocket open(String url, RecordingWebSocketListener listener) {
    WebSocket socket = client.newWebSocket(new Request.Builder().url(url).build(), listener);
    sockets.add(socket);
    return socket;
  }

  private Response get(String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("hello");
      return response;
    }
  }

  @Test
  void socketSharesThePooledHttp2ConnectionWithCallsAndClosingEndsOnlyItsStream() throws Exception {
    start(true);
    assertThat(get(https("/")).protocol()).isEqualTo(Protocol.HTTP_2);

    RecordingWebSocketListener listener = new RecordingWebSocketListener();
    WebSocket socket = open("wss://localhost:" + server.tlsPort() + "/echo", listener);
    RecordingWebSocketListener.Event open = listener.next("open");
    assertThat(open.code()).isEqualTo(200);
    assertThat(open.response().protocol()).isEqualTo(Protocol.HTTP_2);
    assertThat(socket.protocol()).isEqualTo(Protocol.HTTP_2);
    assertThat(events).containsExactly("upgraded h2");

    assertThat(socket.send("hello over h2")).isTrue();
    listener.expectText("hello over h2");
    ByteString binary = ByteString.of((byte) 0, (byte) 0x80, (byte) 0xff);
    assertThat(socket.send(binary)).isTrue();
    assertThat(listener.next("bytes").bytes()).isEqualTo(binary);

    // A call while the socket is open takes another stream of the same connection.
    assertThat(get(https("/again")).protocol()).isEqualTo(Protocol.HTTP_2);
    assertThat(server.acceptedConnections()).isEqualTo(1);
    assertThat(client.connectionPool().connectionCount()).isEqualTo(1);

    assertThat(socket.close(WebSocket.NORMAL_CLOSURE, "bye")).isTrue();
    listener.expectClosing(WebSocket.NORMAL_CLOSURE, "bye");
    listener.expectClosed(WebSocket.NORMAL_CLOSURE, "bye");

    // Closing the socket ended its stream, not the connection.
    assertThat(get(https("/after")).protocol()).isEqualTo(Protocol.HTTP_2);
    assertThat(server.acceptedConnections()).isEqualTo(1);
    assertThat(client.connectionPool().connectionCount()).isEqualTo(1);
  }

  @Test
  void aHundredSocketsAtOnceShareOneConnectionEachEchoingItsOwnMessages() throws Exception {
    start(true);
    get(https("/warm-up"));
    int socketCount = 100;
    int messagesEach = 20;
    List<RecordingWebSocketListener> listeners = new ArrayList<>();
    List<WebSocket> opened = new ArrayList<>();
    for (int i = 0; i < socketCount; i++) {
      RecordingWebSocketListener listener = new RecordingWebSocketListener();
      listeners.add(listener);
      opened.add(open("wss://localhost:" + server.tlsPort() + "/echo", listener));
    }
    Random random = new Random(8441);
    List<List<ByteString>> sent = new ArrayList<>();
    for (int i = 0; i < socketCount; i++) {
      List<ByteString> messages = new ArrayList<>();
      for (int m = 0; m < messagesEach; m++) {
        byte[] bytes = new byte[random.nextInt(m == 0 ? 70_000 : 2_000)];
        random.nextBytes(bytes);
        bytes = ByteString.of(bytes).toByteArray();
        messages.add(new okio.Buffer().writeInt(i).writeInt(m).write(bytes).readByteString());
      }
      sent.add(messages);
      // Messages queue before the socket opens and go out once it does.
      for (ByteString message : messages) {
        assertThat(opened.get(i).send(message)).isTrue();
      }
    }
    for (int i = 0; i < socketCount; i++) {
      RecordingWebSocketListener listener = listeners.get(i);
      assertThat(listener.next("open").code()).isEqualTo(200);
      for (ByteString message : sent.get(i)) {
        assertThat(listener.next("bytes").bytes()).isEqualTo(message);
      }
      assertThat(opened.get(i).protocol()).isEqualTo(Protocol.HTTP_2);
    }
    assertThat(server.acceptedConnections()).isEqualTo(1);
    assertThat(client.connectionPool().connectionCount()).isEqualTo(1);
    for (int i = 0; i < socketCount; i++) {
      assertThat(opened.get(i).close(WebSocket.NORMAL_CLOSURE, null)).isTrue();
    }
    for (RecordingWebSocketListener listener : listeners) {
      listener.expectClosing(WebSocket.NORMAL_CLOSURE, "");
      listener.expectClosed(WebSocket.NORMAL_CLOSURE, "");
    }
    get(https("/after"));
    assertThat(server.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void overCleartextWithPriorKnowledge() throws Exception {
    start(true, Protocol.H2_PRIOR_KNOWLEDGE);
    RecordingWebSocketListener listener = new RecordingWebSocketListener();
    WebSocket socket = open("ws://127.0.0.1:" + server.clearPort() + "/echo", listener);
    RecordingWebSocketListener.Event open = listener.next("open");
    assertThat(open.code()).isEqualTo(200);
    assertThat(open.response().protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
    assertThat(socket.protocol()).isEqualTo(Protocol.HTTP_2);
    String text = "ünïcödé ".repeat(10_000);
    assertThat(socket.send(text)).isTrue();
    listener.expectText(text);
    socket.close(WebSocket.NORMAL_CLOSURE, null);
    listener.expectClosing(WebSocket.NORMAL_CLOSURE, "");
    listener.expectClosed(WebSocket.NORMAL_CLOSURE, "");
    assertThat(server.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void fallsBackToHttp11UpgradeWhenTheServerDidNotEnableExtendedConnect() throws Exception {
    start(false);
    assertThat(get(https("/")).protocol()).isEqualTo(Protocol.HTTP_2);

    RecordingWebSocketListener listener = new RecordingWebSocketListener();
    WebSocket socket = open("wss://localhost:" + server.tlsPort() + "/echo", listener);
    assertThat(listener.next("open").code()).isEqualTo(101);
    assertThat(socket.protocol()).isEqualTo(Protocol.HTTP_1_1);
    assertThat(events).hasSize(2);
    assertThat(events.poll()).startsWith("fallback ")
        .contains("localhost:" + server.tlsPort(), "extended CONNECT", "HTTP/1.1");
    assertThat(events.poll()).isEqualTo("upgraded http/1.1");
    assertThat(socket.send("over http/1.1")).isTrue();
    listener.expectText("over http/1.1");

    // The HTTP/2 connection, which carried nothing for the socket, still serves calls.
    assertThat(get(https("/again")).protocol()).isEqualTo(Protocol.HTTP_2);
    assertThat(server.acceptedConnections()).isEqualTo(2);
    socket.close(WebSocket.NORMAL_CLOSURE, null);
    listener.expectClosing(WebSocket.NORMAL_CLOSURE, "");
    listener.expectClosed(WebSocket.NORMAL_CLOSURE, "");
  }

  @Test
  void aPathWithoutWebSocketEndpointFailsTheSocketAndLeavesTheConnectionServing()
      throws Exception {
    start(true);
    get(https("/"));
    RecordingWebSocketListener listener = new RecordingWebSocketListener();
    WebSocket socket = open("wss://localhost:" + server.tlsPort() + "/no-socket-here", listener);
    RecordingWebSocketListener.Event failure = listener.next("failure");
    assertThat(failure.failure()).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("localhost:" + server.tlsPort())
        .hasMessageContaining("Expected HTTP 200");
    assertThat(failure.response().code()).isNotEqualTo(200);
    assertThat(socket.protocol()).isNull();
    assertThat(get(https("/again")).protocol()).isEqualTo(Protocol.HTTP_2);
    assertThat(server.acceptedConnections()).isEqualTo(1);
  }
}
