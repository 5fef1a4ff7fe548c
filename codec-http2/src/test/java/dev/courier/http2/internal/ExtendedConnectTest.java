package dev.courier.http2.internal;

import static dev.courier.http2.internal.Http2TestPeer.DATA;
import static dev.courier.http2.internal.Http2TestPeer.END_STREAM;
import static dev.courier.http2.internal.Http2TestPeer.HEADERS;
import static dev.courier.http2.internal.Http2TestPeer.RST_STREAM;
import static dev.courier.http2.internal.TestTransports.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Request;
import dev.courier.Response;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.UpgradedStreams;
import dev.courier.testing.ThreadLeakExtension;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Opens tunnels with the extended CONNECT method (RFC 8441): only once the server's SETTINGS
 * enabled it, with the right pseudo-header fields, and with the stream's DATA both ways handed
 * over as streams whose close ends the stream and nothing else.
 */
@Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class ExtendedConnectTest {
  private static final ExchangeOptions OPTIONS = new ExchangeOptions(5_000, 5_000);
  private static final int ENABLE_CONNECT_PROTOCOL = 0x8;

  private Http2TestPeer peer;
  private Http2Connection connection;

  @BeforeEach
  void setUp() throws IOException {
    peer = new Http2TestPeer();
    connection = TestTransports.start(peer.port());
  }

  @AfterEach
  void tearDown() throws IOException {
    connection.close();
    peer.close();
  }

  private Request chat() {
    return new Request.Builder()
        .url("http://127.0.0.1:" + peer.port() + "/chat?room=1")
        .header("Sec-WebSocket-Version", "13")
        .build();
  }

  private static Response response(ExchangeCodec codec, Request request) throws IOException {
    return codec.readResponseHeaders(false).request(request).build();
  }

  @Test
  void waitsForTheServersSettingsThenOpensAStreamAsATunnel() throws Exception {
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    CompletableFuture<Boolean> written = CompletableFuture.supplyAsync(() -> {
      try {
        return codec.writeExtendedConnectHeaders(chat(), "websocket");
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    peer.acceptPreface();
    peer.writeSettings(ENABLE_CONNECT_PROTOCOL, 1);
    assertThat(written.get(10, TimeUnit.SECONDS)).isTrue();
    codec.finishRequest();

    Http2TestPeer.Frame frame = peer.expect(HEADERS);
    assertThat(frame.has(END_STREAM)).isFalse();
    Http2Headers headers = peer.decode(frame);
    List<String> names = new ArrayList<>();
    for (Map.Entry<CharSequence, CharSequence> field : headers) {
      names.add(field.getKey().toString());
    }
    assertThat(names).containsExactlyInAnyOrder(":method", ":protocol", ":scheme", ":authority",
        ":path", "sec-websocket-version");
    assertThat(names.subList(0, 5)).allMatch(name -> name.startsWith(":"));
    assertThat(headers.method().toString()).isEqualTo("CONNECT");
    assertThat(headers.get(":protocol").toString()).isEqualTo("websocket");
    assertThat(headers.scheme().toString()).isEqualTo("http");
    assertThat(headers.path().toString()).isEqualTo("/chat?room=1");
    assertThat(headers.authority().toString()).isEqualTo("127.0.0.1:" + peer.port());

    peer.writeHeaders(1, false, ":status", "200");
    Response response = response(codec, chat());
    assertThat(response.code()).isEqualTo(200);
    UpgradedStreams tunnel = codec.upgradedStreams(response);
    tunnel.sink().writeUtf8("to the server").flush();
    Http2TestPeer.Frame data = peer.expect(DATA);
    assertThat(data.payload().utf8()).isEqualTo("to the server");
    assertThat(data.has(END_STREAM)).isFalse();
    peer.writeData(1, false, "to the client");
    assertThat(tunnel.source().readUtf8(13)).isEqualTo("to the client");

    tunnel.close();
    Http2TestPeer.Frame end = peer.expect(DATA);
    assertThat(end.has(END_STREAM)).isTrue();
    assertThat(end.payload().size()).isZero();
    // The server had not ended its side, so the stream is reset; the connection stays.
    Http2TestPeer.Frame reset = peer.expect(RST_STREAM);
    assertThat(reset.streamId()).isEqualTo(1);
    assertThat(reset.intAt(0)).isEqualTo((int) ErrorCodes.CANCEL);
    assertThat(connection.openStreamCount()).isZero();
    assertThat(connection.isHealthy(false)).isTrue();
  }

  @Test
  void writesNothingWhenTheServerDidNotEnableIt() throws Exception {
    peer.handshake();
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    assertThat(codec.writeExtendedConnectHeaders(chat(), "websocket")).isFalse();
    assertThat(connection.openStreamCount()).isZero();

    // The connection is untouched: the first stream an ordinary exchange opens is stream 1.
    ExchangeCodec plain = connection.newCodec(OPTIONS);
    plain.writeRequestHeaders(get(peer.port(), "/"));
    plain.finishRequest();
    assertThat(peer.expect(HEADERS).streamId()).isEqualTo(1);
    assertThatThrownBy(() -> plain.upgradedStreams(
        new Response.Builder().request(get(peer.port(), "/")).protocol(connection.protocol())
            .code(200).message("").build()))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("not an extended CONNECT");
  }

  @Test
  void cancelWakesAThreadWaitingForTheSettings() throws Exception {
    peer.acceptPreface(); // And never answer with SETTINGS.
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    CompletableFuture<Boolean> written = CompletableFuture.supplyAsync(() -> {
      try {
        return codec.writeExtendedConnectHeaders(chat(), "websocket");
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    codec.cancel();
    assertThatThrownBy(() -> written.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(IOException.class)
        .hasMessageContaining("canceled");
  }

  @Test
  void non2xxResponseOpensNoTunnel() throws Exception {
    peer.handshake(ENABLE_CONNECT_PROTOCOL, 1);
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    assertThat(codec.writeExtendedConnectHeaders(chat(), "websocket")).isTrue();
    codec.finishRequest();
    peer.expect(HEADERS);
    peer.writeHeaders(1, true, ":status", "404");
    Response response = response(codec, chat());
    assertThatThrownBy(() -> codec.upgradedStreams(response))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("404");
  }

  @Test
  void settingOtherThan0Or1IsAConnectionError() throws Exception {
    peer.acceptPreface();
    peer.writeSettings(ENABLE_CONNECT_PROTOCOL, 2);
    assertThat(peer.expectClosedAfterGoAway()).isEqualTo(ErrorCodes.PROTOCOL_ERROR);
  }

  @Test
  void withdrawingTheSettingIsAConnectionError() throws Exception {
    peer.handshake(ENABLE_CONNECT_PROTOCOL, 1);
    peer.writeSettings(ENABLE_CONNECT_PROTOCOL, 0);
    assertThat(peer.expectClosedAfterGoAway()).isEqualTo(ErrorCodes.PROTOCOL_ERROR);
  }

  @Test
  void cancelResetsTheStreamAndCloseThenSendsNothingMore() throws Exception {
    peer.handshake(ENABLE_CONNECT_PROTOCOL, 1);
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    assertThat(codec.writeExtendedConnectHeaders(chat(), "websocket")).isTrue();
    codec.finishRequest();
    peer.expect(HEADERS);
    peer.writeHeaders(1, false, ":status", "200");
    UpgradedStreams tunnel = codec.upgradedStreams(response(codec, chat()));
    tunnel.cancel();
    assertThatThrownBy(() -> tunnel.source().readByte()).isInstanceOf(IOException.class)
        .hasMessageContaining("canceled");
    tunnel.close();
    Http2TestPeer.Frame reset = peer.expect(RST_STREAM);
    assertThat(reset.streamId()).isEqualTo(1);
    assertThat(reset.intAt(0)).isEqualTo((int) ErrorCodes.CANCEL);
    // No END_STREAM follows the reset: the next frame is the answer to this ping.
    peer.writePing(false, 7);
    assertThat(peer.expect(Http2TestPeer.PING).longAt(0)).isEqualTo(7);
    assertThat(connection.isHealthy(false)).isTrue();
  }

  @Test
  void tunnelDataCarriesNoRequestEndUntilClosed() throws Exception {
    peer.handshake(ENABLE_CONNECT_PROTOCOL, 1);
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    assertThat(codec.writeExtendedConnectHeaders(chat(), "websocket")).isTrue();
    codec.finishRequest();
    peer.expect(HEADERS);
    peer.writeHeaders(1, false, ":status", "200");
    UpgradedStreams tunnel = codec.upgradedStreams(response(codec, chat()));
    // The server ends its side first: reads see the end, and our close then sends END_STREAM
    // and no reset.
    peer.writeData(1, true, ByteString.encodeUtf8("last").utf8());
    assertThat(tunnel.source().readUtf8()).isEqualTo("last");
    tunnel.close();
    Http2TestPeer.Frame end = peer.expect(DATA);
    assertThat(end.has(END_STREAM)).isTrue();
    peer.writePing(false, 42);
    Http2TestPeer.Frame pong = peer.expect(Http2TestPeer.PING);
    assertThat(pong.longAt(0)).isEqualTo(42);
    assertThat(connection.openStreamCount()).isZero();
  }
}
