package dev.courier.chain.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.WebSocket;
import dev.courier.chain.CourierClient;
import dev.courier.testing.ThreadLeakExtension;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Opens WebSockets over HTTP/2 (RFC 8441) against a scripted HTTP/2 peer, for the exact frames of
 * the extended CONNECT and of the close, and for peers that misbehave: a reset mid-message, a
 * status other than 200, no answer at all, GOAWAY, and SETTINGS that do not enable the protocol.
 * Every failure must reach the listener, name the server, and leave no thread or stream behind.
 */
class WebSocketOverHttp2PeerTest {
  private static final long CANCEL = 0x8;
  private static final long INTERNAL_ERROR = 0x2;

  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("Courier");

  private RawHttp2Peer peer;
  private CourierClient client;
  private WebSocket webSocket;
  private WebSocket second;

  @BeforeEach
  void setUp() throws IOException {
    peer = new RawHttp2Peer();
    client = CourierClient.builder()
        .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
        .readTimeout(Duration.ofSeconds(10))
        .build();
  }

  @AfterEach
  void tearDown() throws IOException {
    for (WebSocket socket : new WebSocket[] {webSocket, second}) {
      if (socket != null) {
        socket.cancel();
      }
    }
    client.close();
    peer.close();
  }

  private WebSocket open(String path, RecordingWebSocketListener listener) {
    return client.newWebSocket(
        new Request.Builder().url("ws://127.0.0.1:" + peer.port() + path).build(), listener);
  }

  /** Accepts the client with RFC 8441 enabled and answers the CONNECT on stream 1 with 200. */
  private RecordingWebSocketListener openOnStream1() throws Exception {
    RecordingWebSocketListener listener = new RecordingWebSocketListener();
    webSocket = open("/chat", listener);
    peer.handshake(RawHttp2Peer.ENABLE_CONNECT_PROTOCOL, 1);
    peer.expectHeadersFrame(1);
    peer.writeHeaders(1, false, ":status", "200");
    assertThat(listener.next("open").code()).isEqualTo(200);
    return listener;
  }

  @Test
  void extendedConnectAsksForNoContentEncoding() throws Exception {
    RecordingWebSocketListener listener = new RecordingWebSocketListener();
    webSocket = open("/chat", listener);
    peer.handshake(RawHttp2Peer.ENABLE_CONNECT_PROTOCOL, 1);
    Http2Headers headers = peer.decode(peer.expectHeadersFrame(1));
    assertThat(headers.contains("accept-encoding")).isFalse();
    peer.writeHeaders(1, false, ":status", "200");
    assertThat(listener.next("open").code()).isEqualTo(200);
  }

  @Test
  void extendedConnectCarriesFramesInDataAndCloseEndsOnlyItsStream() throws Exception {
    RecordingWebSocketListener listener = new RecordingWebSocketListener();
    webSocket = open("/chat?room=1", listener);
    peer.handshake(RawHttp2Peer.ENABLE_CONNECT_PROTOCOL, 1);

    RawHttp2Peer.Frame headersFrame = peer.expectHeadersFrame(1);
    assertThat(headersFrame.has(RawHttp2Peer.END_STREAM)).as("END_STREAM on the CONNECT").isFalse();
    Http2Headers headers = peer.decode(headersFrame);
    assertThat(headers.method().toString()).isEqualTo("CONNECT");
    assertThat(headers.get(":protocol").toString()).isEqualTo("websocket");
    assertThat(headers.scheme().toString()).isEqualTo("http");
    assertThat(headers.path().toString()).isEqualTo("/chat?room=1");
    assertThat(headers.authority().toString()).isEqualTo(peer.hostAndPort());
    assertThat(headers.get("sec-websocket-version").toString()).isEqualTo("13");
    assertThat(headers.contains("sec-websocket-key")).isFalse();
    assertThat(headers.contains("upgrade")).isFalse();
    assertThat(headers.contains("connection")).isFalse();

    peer.writeHeaders(1, false, ":status", "200");
    RecordingWebSocketListener.Event open = listener.next("open");
    assertThat(open.code()).isEqualTo(200);
    assertThat(webSocket.protocol()).isEqualTo(Protocol.HTTP_2);

    peer.writeWebSocketFrame(1, 0x81, ByteString.encodeUtf8("hi"), false);
    listener.expectText("hi");
    assertThat(webSocket.send("yo")).isTrue();
    RawWebSocketPeer.Frame text = peer.readWebSocketFrame(1);
    assertThat(text.masked()).isTrue();
    assertThat(text.opcode()).isEqualTo(1);
    assertThat(text.payload().utf8()).isEqualTo("yo");

    assertThat(webSocket.close(WebSocket.NORMAL_CLOSURE, "done")).isTrue();
    RawWebSocketPeer.Frame close = peer.readWebSocketFrame(1);
    assertThat(close.opcode()).isEqualTo(8);
    assertThat(close.closeCode()).isEqualTo(WebSocket.NORMAL_CLOSURE);
    peer.writeWebSocketFrame(1, 0x88,
        new Buffer().writeShort(WebSocket.NORMAL_CLOSURE).writeUtf8("done").readByteString(), true);
    listener.expectClosing(WebSocket.NORMAL_CLOSURE, "done");
    listener.expectClosed(WebSocket.NORMAL_CLOSURE, "done");
    // Our side ends with END_STREAM; both ended, so no RST_STREAM and no GOAWAY follow.
    assertThat(peer.expectEndStream(1).size()).isZero();

    // The connection carries on: an ordinary call takes the next stream.
    CompletableFuture<String> body = CompletableFuture.supplyAsync(() -> {
      try (Response response = client.newCall(new Request.Builder()
          .url("http://127.0.0.1:" + peer.port() + "/plain").build()).execute()) {
        return response.body().string();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    Http2Headers get = peer.decode(peer.expectHeadersFrame(3));
    assertThat(get.method().toString()).isEqualTo("GET");
    peer.writeHeaders(3, false, ":status", "200");
    peer.writeData(3, true, ByteString.encodeUtf8("ok"));
    assertThat(body.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
  }

  @Test
  void streamResetMidMessageFailsThatSocketAndNotTheConnection() throws Exception {
    RecordingWebSocketListener listener = openOnStream1();
    // The first 4 bytes of a 10-byte text frame, then the reset.
    peer.writeData(1, false, new Buffer().writeByte(0x81).writeByte(10).writeUtf8("ab")
        .readByteString());
    peer.writeRstStream(1, INTERNAL_ERROR);
    RecordingWebSocketListener.Event failure = listener.next("failure");
    assertThat(failure.failure()).isInstanceOf(IOException.class)
        .hasMessageContaining(peer.hostAndPort())
        .hasMessageContaining("INTERNAL_ERROR");

    // Another socket opens on the same connection, stream 3.
    RecordingWebSocketListener secondListener = new RecordingWebSocketListener();
    second = open("/chat", secondListener);
    peer.expectHeadersFrame(3);
    peer.writeHeaders(3, false, ":status", "200");
    assertThat(secondListener.next("open").code()).isEqualTo(200);
    assertThat(second.send("still here")).isTrue();
    assertThat(peer.readWebSocketFrame(3).payload().utf8()).isEqualTo("still here");
  }

  @Test
  void statusOtherThan200FailsTheSocketWithTheResponse() throws Exception {
    RecordingWebSocketListener listener = new RecordingWebSocketListener();
    webSocket = open("/chat", listener);
    peer.handshake(RawHttp2Peer.ENABLE_CONNECT_PROTOCOL, 1);
    peer.expectHeadersFrame(1);
    peer.writeHeaders(1, true, ":status", "403");
    RecordingWebSocketListener.Event failure = listener.next("failure");
    assertThat(failure.failure()).isInstanceOf(ProtocolException.class)
        .hasMessage("Expected HTTP 200 response from " + peer.hostAndPort()
            + " to the extended CONNECT (RFC 8441) over h2_prior_knowledge but was '403'");
    assertThat(failure.response().code()).isEqualTo(403);
    assertThat(webSocket.protocol()).isNull();
  }

  @Test
  void success2xxOtherThan200FailsAndResetsTheUnusedTunnel() throws Exception {
    RecordingWebSocketListener listener = new RecordingWebSocketListener();
    webSocket = open("/chat", listener);
    peer.handshake(RawHttp2Peer.ENABLE_CONNECT_PROTOCOL, 1);
    peer.expectHeadersFrame(1);
    peer.writeHeaders(1, false, ":status", "202");
    RecordingWebSocketListener.Event failure = listener.next("failure");
    assertThat(failure.failure()).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("but was '202'");
    RawHttp2Peer.Frame reset = peer.expect(RawHttp2Peer.RST_STREAM);
    assertThat(reset.streamId()).isEqualTo(1);
    assertThat(reset.intAt(0)).isEqualTo(CANCEL);
  }

  @Test
  void serverThatNeverAnswersTimesOutNamingTheHost() throws Exception {
    client.close();
    client = CourierClient.builder()
        .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
        .readTimeout(Duration.ofMillis(300))
        .build();
    RecordingWebSocketListener listener = new RecordingWebSocketListener();
    webSocket = open("/chat", listener);
    peer.handshake(RawHttp2Peer.ENABLE_CONNECT_PROTOCOL, 1);
    peer.expectHeadersFrame(1);
    RecordingWebSocketListener.Event failure = listener.next("failure");
    assertThat(failure.failure()).isInstanceOf(SocketTimeoutException.class)
        .hasMessageContaining(peer.hostAndPort());
    RawHttp2Peer.Frame reset = peer.expect(RawHttp2Peer.RST_STREAM);
    assertThat(reset.streamId()).isEqualTo(1);
    assertThat(reset.intAt(0)).isEqualTo(CANCEL);
  }

  @Test
  void goAwayAndCloseFailTheOpenSocket() throws Exception {
    RecordingWebSocketListener listener = openOnStream1();
    peer.writeGoAway(1, INTERNAL_ERROR, "going down");
    peer.closeConnection();
    RecordingWebSocketListener.Event failure = listener.next("failure");
    assertThat(failure.failure()).isInstanceOf(IOException.class)
        .hasMessageContaining(peer.hostAndPort());
    assertThat(webSocket.send("after")).isFalse();
  }

  @Test
  void goAwayBeforeTheAnswerRetriesTheHandshakeOnANewConnection() throws Exception {
    RecordingWebSocketListener listener = new RecordingWebSocketListener();
    webSocket = open("/chat", listener);
    peer.handshake(RawHttp2Peer.ENABLE_CONNECT_PROTOCOL, 1);
    peer.expectHeadersFrame(1);
    peer.writeGoAway(0, 0x0, "restarting"); // Stream 1 was not processed.
    peer.handshake(RawHttp2Peer.ENABLE_CONNECT_PROTOCOL, 1);
    Http2Headers retried = peer.decode(peer.expectHeadersFrame(1));
    assertThat(retried.get(":protocol").toString()).isEqualTo("websocket");
    peer.writeHeaders(1, false, ":status", "200");
    assertThat(listener.next("open").code()).isEqualTo(200);
    assertThat(webSocket.send("on the new connection")).isTrue();
    assertThat(peer.readWebSocketFrame(1).payload().utf8()).isEqualTo("on the new connection");
  }

  @Test
  void goAwayLeavesAnOpenSocketRunningUntilItEnds() throws Exception {
    RecordingWebSocketListener listener = openOnStream1();
    peer.writeGoAway(1, 0x0, "draining");
    peer.writeWebSocketFrame(1, 0x81, ByteString.encodeUtf8("still open"), false);
    listener.expectText("still open");
    assertThat(webSocket.close(WebSocket.NORMAL_CLOSURE, null)).isTrue();
    assertThat(peer.readWebSocketFrame(1).opcode()).isEqualTo(8);
    peer.writeWebSocketFrame(1, 0x88, new Buffer().writeShort(1000).readByteString(), true);
    listener.expectClosing(WebSocket.NORMAL_CLOSURE, "");
    listener.expectClosed(WebSocket.NORMAL_CLOSURE, "");
  }

  @Test
  void settingsWithoutTheProtocolFallBackToAFreshHttp11Connection() throws Exception {
    RecordingWebSocketListener listener = new RecordingWebSocketListener();
    webSocket = open("/chat", listener);
    peer.handshake(); // SETTINGS without SETTINGS_ENABLE_CONNECT_PROTOCOL.

    // Nothing is sent on the HTTP/2 connection; a new connection asks to upgrade.
    Socket http1 = peer.acceptRaw();
    BufferedSource in = Okio.buffer(Okio.source(http1));
    BufferedSink out = Okio.buffer(Okio.sink(http1));
    assertThat(in.readUtf8LineStrict()).isEqualTo("GET /chat HTTP/1.1");
    String key = null;
    boolean upgrade = false;
    for (String line = in.readUtf8LineStrict(); !line.isEmpty(); line = in.readUtf8LineStrict()) {
      if (line.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18)) {
        key = line.substring(18).trim();
      }
      upgrade |= line.equalsIgnoreCase("Upgrade: websocket");
    }
    assertThat(upgrade).isTrue();
    out.writeUtf8("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + WebSocketProtocol.acceptHeader(key) + "\r\n\r\n").flush();
    assertThat(listener.next("open").code()).isEqualTo(101);
    assertThat(webSocket.protocol()).isEqualTo(Protocol.HTTP_1_1);
    out.write(new Buffer().writeByte(0x81).writeByte(2).writeUtf8("hi").readByteString()).flush();
    listener.expectText("hi");
  }

  @Test
  void enableConnectProtocolWithdrawnFailsTheConnection() throws Exception {
    RecordingWebSocketListener listener = openOnStream1();
    peer.writeFrame(RawHttp2Peer.SETTINGS, 0, 0, new Buffer()
        .writeShort(RawHttp2Peer.ENABLE_CONNECT_PROTOCOL).writeInt(0).readByteString());
    RecordingWebSocketListener.Event failure = listener.next("failure");
    assertThat(failure.failure()).isInstanceOf(IOException.class)
        .hasMessageContaining(peer.hostAndPort());
    RawHttp2Peer.Frame goAway = peer.expect(RawHttp2Peer.GOAWAY);
    assertThat(goAway.intAt(4)).isEqualTo(0x1); // PROTOCOL_ERROR
  }
}
