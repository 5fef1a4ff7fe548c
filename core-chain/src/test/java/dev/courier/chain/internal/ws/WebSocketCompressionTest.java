package dev.courier.chain.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.WebSocket;
import dev.courier.WebSocketProtocolException;
import dev.courier.chain.CourierClient;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs permessage-deflate (RFC 7692) against a hand-driven peer that compresses and inflates with
 * its own {@link Deflater} and {@link Inflater}: the offer, what the server may answer, compressed
 * messages both ways, and servers that send too much or garbage.
 */
class WebSocketCompressionTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("Courier");

  private final RecordingWebSocketListener listener = new RecordingWebSocketListener();
  private CourierClient client = CourierClient.builder().protocols(List.of(Protocol.HTTP_1_1)).build();
  private RawWebSocketPeer peer;
  private WebSocket webSocket;
  private List<String> requestHead;

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

  private RawWebSocketPeer.Connection open(String extensionsAnswer) throws Exception {
    webSocket = client.newWebSocket(new Request.Builder().url(peer.url()).build(), listener);
    RawWebSocketPeer.Connection connection = peer.accept();
    requestHead = connection.readRequestHead();
    connection.answer(extensionsAnswer == null ? "" : "Sec-WebSocket-Extensions: " + extensionsAnswer + "\r\n");
    return connection;
  }

  private static ByteString serverDeflate(Deflater deflater, String text) {
    deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
    byte[] out = new byte[text.length() + 1024];
    int length = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
    return ByteString.of(out, 0, length - 4);
  }

  private static String inflate(Inflater inflater, ByteString payload) throws Exception {
    inflater.setInput(new Buffer().write(payload).write(ByteString.decodeHex("0000ffff")).readByteArray());
    Buffer out = new Buffer();
    byte[] chunk = new byte[8192];
    int n;
    while ((n = inflater.inflate(chunk)) > 0) {
      out.write(chunk, 0, n);
    }
    return out.readUtf8();
  }

  @Test
  void offersPermessageDeflateAndCompressesBothWaysWhenTheServerAgrees() throws Exception {
    RawWebSocketPeer.Connection connection = open("permessage-deflate");
    listener.expectOpen();
    assertThat(requestHead).contains("Sec-WebSocket-Extensions: permessage-deflate");
    assertThat(webSocket.extensions()).isEqualTo("permessage-deflate");
    String text = "{\"symbol\":\"ACME\",\"price\":101.25,\"volume\":1200} ".repeat(20);

    webSocket.send(text);
    webSocket.send(text);
    Inflater inflater = new Inflater(true);
    RawWebSocketPeer.Frame first = connection.readFrame();
    assertThat(first.rsv()).isEqualTo(0x40);
    assertThat(first.masked()).isTrue();
    assertThat(first.payload().size()).isLessThan(text.length() / 4);
    assertThat(inflate(inflater, first.payload())).isEqualTo(text);
    RawWebSocketPeer.Frame second = connection.readFrame();
    assertThat(inflate(inflater, second.payload())).isEqualTo(text);
    inflater.end();

    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    connection.writeFrame(0xc1, serverDeflate(deflater, "from the server " + text));
    connection.writeFrame(0xc1, serverDeflate(deflater, "again from the server " + text));
    connection.writeFrame(0x81, ByteString.encodeUtf8("not compressed"));
    deflater.end();
    listener.expectText("from the server " + text);
    listener.expectText("again from the server " + text);
    listener.expectText("not compressed");

    webSocket.close(1000, "done");
    RawWebSocketPeer.Frame close = connection.readFrame();
    assertThat(close.opcode()).isEqualTo(WebSocketProtocol.OPCODE_CLOSE);
    assertThat(close.rsv()).isZero();
    connection.writeFrame(0x88, new Buffer().writeShort(1000).readByteString());
    listener.expectClosing(1000, "");
    listener.expectClosed(1000, "");
  }

  @Test
  void serverAskingForNoClientContextTakeoverGetsSelfContainedMessages() throws Exception {
    RawWebSocketPeer.Connection connection =
        open("permessage-deflate; client_no_context_takeover; server_max_window_bits=10");
    listener.expectOpen();
    assertThat(webSocket.extensions())
        .isEqualTo("permessage-deflate; client_no_context_takeover; server_max_window_bits=10");
    String text = "every message on its own. ".repeat(30);
    webSocket.send(text);
    webSocket.send(text);
    for (int i = 0; i < 2; i++) {
      Inflater fresh = new Inflater(true);
      assertThat(inflate(fresh, connection.readFrame().payload())).isEqualTo(text);
      fresh.end();
    }
  }

  @Test
  void serverLimitingTheClientWindowFailsTheHandshake() throws Exception {
    RawWebSocketPeer.Connection connection = open("permessage-deflate; client_max_window_bits=9");
    Throwable failure = listener.expectFailure();
    assertThat(failure).isInstanceOf(ProtocolException.class)
        .hasMessageContaining(peer.hostAndPort())
        .hasMessageContaining("client_max_window_bits=9");
    assertThat(connection.clientClosed()).isTrue();
  }

  @Test
  void withCompressionOffNothingIsOfferedAndAnAnswerFailsTheHandshake() throws Exception {
    client.close();
    client = CourierClient.builder().protocols(List.of(Protocol.HTTP_1_1))
        .webSocketCompression(false).build();
    assertThat(client.webSocketCompression()).isFalse();
    RawWebSocketPeer.Connection connection = open("permessage-deflate");
    assertThat(requestHead).noneMatch(line -> line.startsWith("Sec-WebSocket-Extensions"));
    assertThat(listener.expectFailure()).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("'permessage-deflate', which was not offered");
    assertThat(connection.clientClosed()).isTrue();
  }

  @Test
  void serverNotAgreeingLeavesMessagesUncompressed() throws Exception {
    RawWebSocketPeer.Connection connection = open(null);
    listener.expectOpen();
    assertThat(webSocket.extensions()).isEmpty();
    webSocket.send("plain ".repeat(50));
    RawWebSocketPeer.Frame frame = connection.readFrame();
    assertThat(frame.rsv()).isZero();
    assertThat(frame.payload().utf8()).isEqualTo("plain ".repeat(50));
  }

  @Test
  void decompressionBombFailsWithMessageTooBig() throws Exception {
    client.close();
    client = CourierClient.builder().protocols(List.of(Protocol.HTTP_1_1))
        .webSocketMaxMessageBytes(1024 * 1024).build();
    RawWebSocketPeer.Connection connection = open("permessage-deflate");
    listener.expectOpen();
    // 64 MiB of zeros deflate to about 64 KiB: well under the limit on the wire.
    Deflater deflater = new Deflater(9, true);
    deflater.setInput(new byte[64 * 1024 * 1024]);
    Buffer bomb = new Buffer();
    byte[] chunk = new byte[64 * 1024];
    while (true) {
      int n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
      bomb.write(chunk, 0, n);
      if (n < chunk.length) {
        break;
      }
    }
    deflater.end();
    assertThat(bomb.size()).isLessThan(1024 * 1024);
    connection.writeFrame(0xc2, bomb.readByteString());
    Throwable failure = listener.expectFailure();
    assertThat(failure).isInstanceOf(WebSocketProtocolException.class)
        .hasMessageContaining(peer.hostAndPort())
        .hasMessageContaining("inflates to more than 1048576 bytes");
    assertThat(((WebSocketProtocolException) failure).closeCode()).isEqualTo(1009);
    RawWebSocketPeer.Frame close = connection.readFrame();
    assertThat(close.opcode()).isEqualTo(WebSocketProtocol.OPCODE_CLOSE);
    assertThat(close.closeCode()).isEqualTo(1009);
    assertThat(connection.clientClosed()).isTrue();
  }

  @Test
  void compressedGarbageFailsWithInvalidPayload() throws Exception {
    RawWebSocketPeer.Connection connection = open("permessage-deflate");
    listener.expectOpen();
    connection.writeFrame(0xc1, ByteString.decodeHex("ffffffffffff"));
    Throwable failure = listener.expectFailure();
    assertThat(((WebSocketProtocolException) failure).closeCode()).isEqualTo(1007);
    assertThat(connection.readFrame().closeCode()).isEqualTo(1007);
    assertThat(connection.clientClosed()).isTrue();
  }

  @Test
  void rsv1OnAContinuationFrameFailsWithProtocolError() throws Exception {
    RawWebSocketPeer.Connection connection = open("permessage-deflate");
    listener.expectOpen();
    connection.writeFrame(0x41, serverDeflate(new Deflater(6, true), "abc"));
    connection.writeFrame(0xc0, ByteString.EMPTY);
    Throwable failure = listener.expectFailure();
    assertThat(((WebSocketProtocolException) failure).closeCode()).isEqualTo(1002);
    assertThat(failure).hasMessageContaining("RSV1");
    assertThat(connection.readFrame().closeCode()).isEqualTo(1002);
  }
}
