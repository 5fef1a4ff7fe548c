package dev.courier.chain.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.WebSocket;
import dev.courier.WebSocketProtocolException;
import dev.courier.chain.CourierClient;
import dev.courier.testing.ThreadLeakExtension;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs WebSockets against hand-driven peers that break RFC 6455: every violation fails the socket
 * with the right close code, sent to the peer, and an exception naming the peer; none hangs.
 */
class WebSocketMisbehavingPeerTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("Courier");

  private final RecordingWebSocketListener listener = new RecordingWebSocketListener();
  private CourierClient client = CourierClient.builder()
      .protocols(List.of(Protocol.HTTP_1_1))
      .build();
  private RawWebSocketPeer peer;
  private WebSocket webSocket;

  @BeforeEach
  void setUp() throws IOException {
    peer = new RawWebSocketPeer();
  }

  @AfterEach
  void tearDown() throws IOException {
    if (webSocket != null) {
      webSocket.cancel();
    }
    client.close();
    peer.close();
  }

  private RawWebSocketPeer.Connection open() throws Exception {
    webSocket = client.newWebSocket(new Request.Builder().url(peer.url()).build(), listener);
    RawWebSocketPeer.Connection connection = peer.accept();
    connection.handshake();
    listener.expectOpen();
    return connection;
  }

  /** Expects the socket to fail with {@code closeCode}, sent to the peer before the connection ends. */
  private void expectViolation(RawWebSocketPeer.Connection connection, int closeCode,
      String messagePart) throws Exception {
    Throwable failure = listener.expectFailure();
    assertThat(failure).isInstanceOf(WebSocketProtocolException.class)
        .hasMessageContaining(peer.hostAndPort())
        .hasMessageContaining(messagePart);
    assertThat(((WebSocketProtocolException) failure).closeCode()).isEqualTo(closeCode);
    RawWebSocketPeer.Frame close = connection.readFrame();
    assertThat(close.opcode()).isEqualTo(WebSocketProtocol.OPCODE_CLOSE);
    assertThat(close.masked()).isTrue();
    assertThat(close.closeCode()).isEqualTo(closeCode);
    assertThat(connection.clientClosed()).isTrue();
    listener.expectNoMore();
  }

  @Test
  void garbageInsteadOfAHandshakeFailsTheSocket() throws Exception {
    webSocket = client.newWebSocket(new Request.Builder().url(peer.url()).build(), listener);
    RawWebSocketPeer.Connection connection = peer.accept();
    connection.readRequestHead();
    connection.write("\u0000\u0001garbage that is no status line\r\n\r\n");
    Throwable failure = listener.expectFailure();
    assertThat(failure).isInstanceOf(ProtocolException.class).hasMessageContaining(peer.hostAndPort());
    assertThat(connection.clientClosed()).isTrue();
  }

  @Test
  void wrongAcceptValueFailsTheHandshake() throws Exception {
    webSocket = client.newWebSocket(new Request.Builder().url(peer.url()).build(), listener);
    RawWebSocketPeer.Connection connection = peer.accept();
    List<String> head = connection.readRequestHead();
    assertThat(head).contains("Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13");
    connection.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Accept: bm90IHRoZSByaWdodCBvbmU=\r\n\r\n");
    RecordingWebSocketListener.Event failure = listener.next("failure");
    assertThat(failure.failure()).isInstanceOf(ProtocolException.class)
        .hasMessageContaining(peer.hostAndPort())
        .hasMessageContaining("Sec-WebSocket-Accept");
    assertThat(failure.response().code()).isEqualTo(101);
    assertThat(connection.clientClosed()).isTrue();
    // The upgraded connection was not pooled.
    assertThat(client.connectionPool().connectionCount()).isZero();
  }

  @Test
  void missingUpgradeHeaderFailsTheHandshake() throws Exception {
    webSocket = client.newWebSocket(new Request.Builder().url(peer.url()).build(), listener);
    RawWebSocketPeer.Connection connection = peer.accept();
    connection.readRequestHead();
    connection.write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: x\r\n\r\n");
    assertThat(listener.expectFailure()).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("expected 'Upgrade: websocket' but was 'null'");
    assertThat(connection.clientClosed()).isTrue();
  }

  @Test
  void refusedUpgradeReportsTheResponse() throws Exception {
    webSocket = client.newWebSocket(new Request.Builder().url(peer.url()).build(), listener);
    RawWebSocketPeer.Connection connection = peer.accept();
    connection.readRequestHead();
    connection.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    RecordingWebSocketListener.Event failure = listener.next("failure");
    assertThat(failure.failure()).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("Expected HTTP 101 response from " + peer.hostAndPort()
            + " but was '403 Forbidden'");
    assertThat(failure.response().code()).isEqualTo(403);
  }

  @Test
  void maskedServerFrameIsAProtocolError() throws Exception {
    RawWebSocketPeer.Connection connection = open();
    connection.write(new Buffer().writeByte(0x81).writeByte(0x80 | 2).writeInt(0x01020304)
        .writeByte('h' ^ 1).writeByte('i' ^ 2).readByteString());
    expectViolation(connection, 1002, "a masked frame");
  }

  @Test
  void reservedBitsWithoutExtensionAreAProtocolError() throws Exception {
    RawWebSocketPeer.Connection connection = open();
    connection.writeFrame(0x80 | 0x40 | 0x1, ByteString.encodeUtf8("compressed?"));
    expectViolation(connection, 1002, "reserved bits set");
  }

  @Test
  void badUtf8InTextIsAnInvalidPayload() throws Exception {
    RawWebSocketPeer.Connection connection = open();
    connection.writeFrame(0x81, ByteString.of((byte) 'o', (byte) 0xc3, (byte) 0x28));
    expectViolation(connection, 1007, "not valid UTF-8");
  }

  @Test
  void badUtf8SplitAcrossFragmentsIsAnInvalidPayload() throws Exception {
    RawWebSocketPeer.Connection connection = open();
    connection.writeFrame(0x01, ByteString.of((byte) 'o', (byte) 0xe2));
    connection.writeFrame(0x80, ByteString.of((byte) 0x28, (byte) 0xa1));
    expectViolation(connection, 1007, "not valid UTF-8");
  }

  @Test
  void controlFrameOver125BytesIsAProtocolError() throws Exception {
    RawWebSocketPeer.Connection connection = open();
    connection.writeFrame(0x89, ByteString.of(new byte[126]));
    expectViolation(connection, 1002, "a control frame of 126 bytes");
  }

  @Test
  void fragmentedControlFrameIsAProtocolError() throws Exception {
    RawWebSocketPeer.Connection connection = open();
    connection.writeFrame(0x09, ByteString.encodeUtf8("ping"));
    expectViolation(connection, 1002, "a fragmented control frame");
  }

  @Test
  void unexpectedContinuationIsAProtocolError() throws Exception {
    RawWebSocketPeer.Connection connection = open();
    connection.writeFrame(0x80, ByteString.encodeUtf8("orphan"));
    expectViolation(connection, 1002, "an unexpected continuation frame");
  }

  @Test
  void newMessageInsideAFragmentedOneIsAProtocolError() throws Exception {
    RawWebSocketPeer.Connection connection = open();
    connection.writeFrame(0x01, ByteString.encodeUtf8("first half"));
    connection.writeFrame(0x81, ByteString.encodeUtf8("another message"));
    expectViolation(connection, 1002, "where a continuation frame was expected");
  }

  @Test
  void unknownOpcodeIsAProtocolError() throws Exception {
    RawWebSocketPeer.Connection connection = open();
    connection.writeFrame(0x83, ByteString.encodeUtf8("x"));
    expectViolation(connection, 1002, "unknown opcode 3");
  }

  @Test
  void reservedCloseCodeIsAProtocolError() throws Exception {
    RawWebSocketPeer.Connection connection = open();
    connection.writeFrame(0x88, new Buffer().writeShort(1005).readByteString());
    expectViolation(connection, 1002, "invalid code");
  }

  @Test
  void oneByteClosePayloadIsAProtocolError() throws Exception {
    RawWebSocketPeer.Connection connection = open();
    connection.writeFrame(0x88, ByteString.of((byte) 3));
    expectViolation(connection, 1002, "1-byte payload");
  }

  @Test
  void messageOverTheLimitIsTooBig() throws Exception {
    client.close();
    client = CourierClient.builder().protocols(List.of(Protocol.HTTP_1_1))
        .webSocketMaxMessageBytes(1000).build();
    RawWebSocketPeer.Connection connection = open();
    connection.writeFrame(0x02, ByteString.of(new byte[600]));
    // Only the header of the second fragment is needed to see that the message is too big.
    connection.write(new Buffer().writeByte(0x80).writeByte(126).writeShort(600).readByteString());
    expectViolation(connection, 1009, "more than 1000 bytes");
  }

  @Test
  void serverClosingMidFrameFailsTheSocketNamingTheHost() throws Exception {
    RawWebSocketPeer.Connection connection = open();
    connection.write(new Buffer().writeByte(0x82).writeByte(100).write(new byte[40]).readByteString());
    connection.close();
    Throwable failure = listener.expectFailure();
    assertThat(failure).isInstanceOf(EOFException.class)
        .hasMessageContaining(peer.hostAndPort())
        .hasMessageContaining("without a close frame");
    listener.expectNoMore();
  }

  @Test
  void silentPeerFailsAfterAnUnansweredPing() throws Exception {
    client.close();
    client = CourierClient.builder().protocols(List.of(Protocol.HTTP_1_1))
        .pingInterval(Duration.ofMillis(200)).build();
    RawWebSocketPeer.Connection connection = open();
    RawWebSocketPeer.Frame ping = connection.readFrame();
    assertThat(ping.opcode()).isEqualTo(WebSocketProtocol.OPCODE_PING);
    assertThat(ping.masked()).isTrue();
    // No pong: the next ping is due and the socket fails instead.
    Throwable failure = listener.expectFailure();
    assertThat(failure).isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining(peer.hostAndPort())
        .hasMessageContaining("did not answer a ping within 200 ms (after 0 successful ping/pongs)");
    assertThat(connection.clientClosed()).isTrue();
  }

  @Test
  void answeredPingsKeepTheSocketOpen() throws Exception {
    client.close();
    client = CourierClient.builder().protocols(List.of(Protocol.HTTP_1_1))
        .pingInterval(Duration.ofMillis(100)).build();
    RawWebSocketPeer.Connection connection = open();
    for (int i = 0; i < 3; i++) {
      RawWebSocketPeer.Frame ping = connection.readFrame();
      assertThat(ping.opcode()).isEqualTo(WebSocketProtocol.OPCODE_PING);
      connection.writeFrame(0x8a, ping.payload());
    }
    connection.writeFrame(0x81, ByteString.encodeUtf8("still here"));
    listener.expectText("still here");
    webSocket.close(1000, null);
    RawWebSocketPeer.Frame close;
    do {
      close = connection.readFrame();
    } while (close.opcode() == WebSocketProtocol.OPCODE_PING);
    assertThat(close.opcode()).isEqualTo(WebSocketProtocol.OPCODE_CLOSE);
    connection.writeFrame(0x88, new Buffer().writeShort(1000).readByteString());
    listener.expectClosing(1000, "");
    listener.expectClosed(1000, "");
  }

  @Test
  void peerNotAnsweringCloseFailsAfterTheCloseTimeout() throws Exception {
    client.close();
    client = CourierClient.builder().protocols(List.of(Protocol.HTTP_1_1))
        .webSocketCloseTimeout(Duration.ofMillis(300)).build();
    RawWebSocketPeer.Connection connection = open();
    assertThat(webSocket.close(1001, "leaving")).isTrue();
    RawWebSocketPeer.Frame close = connection.readFrame();
    assertThat(close.closeCode()).isEqualTo(1001);
    assertThat(close.payload().substring(2).utf8()).isEqualTo("leaving");
    Throwable failure = listener.expectFailure();
    assertThat(failure).isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining(peer.hostAndPort())
        .hasMessageContaining("did not answer the close frame within 300 ms");
    assertThat(connection.clientClosed()).isTrue();
  }

  @Test
  void fragmentedServerMessageIsReassembledAroundAPing() throws Exception {
    RawWebSocketPeer.Connection connection = open();
    connection.writeFrame(0x01, ByteString.encodeUtf8("Hel"));
    connection.writeFrame(0x89, ByteString.encodeUtf8("in between"));
    connection.writeFrame(0x00, ByteString.encodeUtf8("lo, "));
    connection.writeFrame(0x80, ByteString.encodeUtf8("wörld"));
    listener.expectText("Hello, wörld");
    RawWebSocketPeer.Frame pong = connection.readFrame();
    assertThat(pong.opcode()).isEqualTo(WebSocketProtocol.OPCODE_PONG);
    assertThat(pong.payload().utf8()).isEqualTo("in between");
  }

  @Test
  void fullQueueRefusesMessagesUntilItDrains() throws Exception {
    client.close();
    client = CourierClient.builder().protocols(List.of(Protocol.HTTP_1_1))
        .webSocketMaxQueueBytes(1000).build();
    webSocket = client.newWebSocket(new Request.Builder().url(peer.url()).build(), listener);
    // The peer has not answered the handshake, so nothing leaves the queue.
    assertThat(webSocket.send(ByteString.of(new byte[600]))).isTrue();
    assertThat(webSocket.send(ByteString.of(new byte[600]))).isFalse();
    assertThat(webSocket.send(ByteString.of(new byte[400]))).isTrue();
    assertThat(webSocket.queueSize()).isEqualTo(1000);
    RawWebSocketPeer.Connection connection = peer.accept();
    connection.handshake();
    listener.expectOpen();
    assertThat(connection.readFrame().payload().size()).isEqualTo(600);
    RawWebSocketPeer.Frame second = connection.readFrame();
    assertThat(second.payload().size()).isEqualTo(400);
    assertThat(second.fin()).isTrue();
    assertThat(second.opcode()).isEqualTo(WebSocketProtocol.OPCODE_BINARY);
    // Both were written: the queue drained, so a message as large as the whole queue fits.
    connection.writeFrame(0x81, ByteString.encodeUtf8("ack"));
    listener.expectText("ack");
    assertThat(webSocket.queueSize()).isZero();
    assertThat(webSocket.send(ByteString.of(new byte[1000]))).isTrue();
    assertThat(connection.readFrame().payload().size()).isEqualTo(1000);
  }

  @Test
  void cancelDuringTheHandshakeFailsTheSocket() throws Exception {
    webSocket = client.newWebSocket(new Request.Builder().url(peer.url()).build(), listener);
    RawWebSocketPeer.Connection connection = peer.accept();
    connection.readRequestHead();
    webSocket.cancel();
    assertThat(listener.expectFailure()).isInstanceOf(IOException.class)
        .hasMessageContaining("canceled");
    assertThat(connection.clientClosed()).isTrue();
    listener.expectNoMore();
  }

  @Test
  void closeFrameWithoutACodeIsAnsweredWithNormalClosure() throws Exception {
    RawWebSocketPeer.Connection connection = open();
    connection.writeFrame(0x88, ByteString.EMPTY);
    listener.expectClosing(1005, "");
    RawWebSocketPeer.Frame answer = connection.readFrame();
    assertThat(answer.opcode()).isEqualTo(WebSocketProtocol.OPCODE_CLOSE);
    assertThat(answer.closeCode()).isEqualTo(1000);
    listener.expectClosed(1005, "");
    assertThat(connection.clientClosed()).isTrue();
  }

  @Test
  void listenerThrowingFailsTheSocket() throws Exception {
    webSocket = client.newWebSocket(new Request.Builder().url(peer.url()).build(),
        new dev.courier.WebSocketListener() {
          @Override
          public void onMessage(WebSocket webSocket, String text) {
            throw new IllegalStateException("boom");
          }

          @Override
          public void onFailure(WebSocket webSocket, Throwable failure, dev.courier.Response response) {
            listener.onFailure(webSocket, failure, response);
          }
        });
    RawWebSocketPeer.Connection connection = peer.accept();
    connection.handshake();
    connection.writeFrame(0x81, ByteString.encodeUtf8("hi"));
    assertThat(listener.expectFailure()).isInstanceOf(IOException.class)
        .hasMessageContaining(peer.hostAndPort())
        .hasMessageContaining("the listener threw java.lang.IllegalStateException: boom");
    assertThat(connection.clientClosed()).isTrue();
  }

  @Test
  void callTimeoutEndsWithTheHandshake() throws Exception {
    client.close();
    // The second ping is due long after the call timeout; the socket outlives it.
    client = CourierClient.builder().protocols(List.of(Protocol.HTTP_1_1))
        .callTimeout(Duration.ofMillis(100)).pingInterval(Duration.ofMillis(150)).build();
    RawWebSocketPeer.Connection connection = open();
    for (int i = 0; i < 2; i++) {
      RawWebSocketPeer.Frame ping = connection.readFrame();
      assertThat(ping.opcode()).isEqualTo(WebSocketProtocol.OPCODE_PING);
      connection.writeFrame(0x8a, ping.payload());
    }
    connection.writeFrame(0x81, ByteString.encodeUtf8("alive"));
    listener.expectText("alive");
    listener.expectNoMore();
  }
}
