package dev.courier.http2.internal;

import static dev.courier.http2.internal.Http2TestPeer.CONTINUATION;
import static dev.courier.http2.internal.Http2TestPeer.DATA;
import static dev.courier.http2.internal.Http2TestPeer.GOAWAY;
import static dev.courier.http2.internal.Http2TestPeer.HEADERS;
import static dev.courier.http2.internal.Http2TestPeer.PING;
import static dev.courier.http2.internal.Http2TestPeer.PRIORITY;
import static dev.courier.http2.internal.Http2TestPeer.PUSH_PROMISE;
import static dev.courier.http2.internal.Http2TestPeer.RST_STREAM;
import static dev.courier.http2.internal.Http2TestPeer.SETTINGS;
import static dev.courier.http2.internal.TestTransports.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.http2.Http2ConnectionException;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class ReaderLoopTest {
  private static final ExchangeOptions OPTIONS = new ExchangeOptions(5_000, 5_000);

  @RegisterExtension
  final Http2PeerExtension h2 = new Http2PeerExtension();
  private final Http2TestPeer peer = h2.peer();
  private Http2Connection connection;

  /** Writes frames that break a connection-level rule. */
  @FunctionalInterface
  interface Violation {
    void writeTo(Http2TestPeer peer) throws IOException;
  }

  static Stream<Arguments> connectionErrors() {
    return Stream.of(
        Arguments.of("DATA frame on stream 0", ErrorCodes.PROTOCOL_ERROR,
            (Violation) p -> p.writeData(0, false, "x")),
        Arguments.of("exceeds SETTINGS_MAX_FRAME_SIZE", ErrorCodes.FRAME_SIZE_ERROR,
            // Only the header: the client gives up before the payload.
            (Violation) p -> p.writeRaw(ByteString.decodeHex("004001" + "00" + "00" + "00000001"))),
        Arguments.of("HPACK decoding failed", ErrorCodes.COMPRESSION_ERROR,
            (Violation) p -> p.writeFrame(HEADERS, 0x4, 1, ByteString.decodeHex("ffffffffffff"))),
        Arguments.of("PUSH_PROMISE received", ErrorCodes.PROTOCOL_ERROR,
            (Violation) p -> p.writeFrame(PUSH_PROMISE, 0x4, 1, ByteString.decodeHex("00000002"))),
        Arguments.of("HEADERS on idle stream 7", ErrorCodes.PROTOCOL_ERROR,
            (Violation) p -> p.writeHeaders(7, true, ":status", "200")),
        Arguments.of("HEADERS on idle stream 2", ErrorCodes.PROTOCOL_ERROR,
            (Violation) p -> p.writeHeaders(2, true, ":status", "200")),
        Arguments.of("DATA on idle stream 9", ErrorCodes.PROTOCOL_ERROR,
            (Violation) p -> p.writeData(9, false, "x")),
        Arguments.of("RST_STREAM on idle stream 5", ErrorCodes.PROTOCOL_ERROR,
            (Violation) p -> p.writeRstStream(5, ErrorCodes.CANCEL)),
        Arguments.of("RST_STREAM frame on stream 0", ErrorCodes.PROTOCOL_ERROR,
            (Violation) p -> p.writeRstStream(0, ErrorCodes.CANCEL)),
        Arguments.of("CONTINUATION without a preceding HEADERS", ErrorCodes.PROTOCOL_ERROR,
            (Violation) p -> p.writeFrame(CONTINUATION, 0x4, 1, ByteString.EMPTY)),
        Arguments.of("expected CONTINUATION for stream 1", ErrorCodes.PROTOCOL_ERROR,
            (Violation) p -> {
              p.writeFrame(HEADERS, 0, 1, p.encode(1, ":status", "200"));
              p.writeData(1, false, "x");
            }),
        Arguments.of("SETTINGS frame of 5 bytes", ErrorCodes.FRAME_SIZE_ERROR,
            (Violation) p -> p.writeFrame(SETTINGS, 0, 0, ByteString.of(new byte[5]))),
        Arguments.of("SETTINGS_ENABLE_PUSH 1", ErrorCodes.PROTOCOL_ERROR,
            (Violation) p -> p.writeSettings(Settings.ENABLE_PUSH, 1)),
        Arguments.of("SETTINGS_INITIAL_WINDOW_SIZE 2147483648", ErrorCodes.FLOW_CONTROL_ERROR,
            (Violation) p -> p.writeSettings(Settings.INITIAL_WINDOW_SIZE, 1L << 31)),
        Arguments.of("SETTINGS_MAX_FRAME_SIZE 100", ErrorCodes.PROTOCOL_ERROR,
            (Violation) p -> p.writeSettings(Settings.MAX_FRAME_SIZE, 100)),
        Arguments.of("PING frame of 4 bytes", ErrorCodes.FRAME_SIZE_ERROR,
            (Violation) p -> p.writeFrame(PING, 0, 0, ByteString.of(new byte[4]))),
        Arguments.of("PRIORITY frame on stream 0", ErrorCodes.PROTOCOL_ERROR,
            (Violation) p -> p.writeFrame(PRIORITY, 0, 0, ByteString.of(new byte[5]))),
        Arguments.of("WINDOW_UPDATE with an increment of 0", ErrorCodes.PROTOCOL_ERROR,
            (Violation) p -> p.writeWindowUpdate(0, 0)),
        Arguments.of("overflows the connection's send window", ErrorCodes.FLOW_CONTROL_ERROR,
            (Violation) p -> p.writeWindowUpdate(0, Integer.MAX_VALUE)),
        Arguments.of("GOAWAY frame of 4 bytes", ErrorCodes.FRAME_SIZE_ERROR,
            (Violation) p -> p.writeFrame(GOAWAY, 0, 0, ByteString.of(new byte[4]))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("connectionErrors")
  void connectionErrorSendsGoAwayAndFailsEveryStream(String reason, long errorCode, Violation violation)
      throws Exception {
    connection = h2.start();
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, OPTIONS);

    violation.writeTo(peer);

    Http2TestPeer.Frame goAway = peer.expect(GOAWAY);
    assertThat(goAway.intAt(0)).isZero();
    assertThat((long) goAway.intAt(4)).isEqualTo(errorCode);
    assertThat(goAway.payload().substring(8).utf8()).contains(reason);
    assertThatThrownBy(() -> codec.readResponseHeaders(false))
        .isInstanceOfSatisfying(Http2ConnectionException.class,
            e -> assertThat(e.errorCode()).isEqualTo(errorCode))
        .hasMessageContaining("HTTP/2 connection to 127.0.0.1:" + peer.port() + " (h2c) failed with "
            + ErrorCodes.name(errorCode))
        .hasMessageContaining(reason);
    assertThat(connection.maxConcurrentExchanges()).isZero();
  }

  @Test
  void firstFrameOtherThanSettingsIsAProtocolError() throws Exception {
    connection = h2.start();
    peer.acceptPreface();
    peer.writePing(false, 1);

    Http2TestPeer.Frame goAway = peer.expect(GOAWAY);
    assertThat((long) goAway.intAt(4)).isEqualTo(ErrorCodes.PROTOCOL_ERROR);
    assertThat(goAway.payload().substring(8).utf8()).contains("expected SETTINGS as the first frame but got PING");
  }

  @Test
  void dataBeyondTheConnectionWindowIsAFlowControlError() throws Exception {
    connection = h2.start(
        new Http2Config(65_535, 65_535, 256 * 1024, TimeUnit.SECONDS.toNanos(1), System::nanoTime),
        0, dev.courier.spi.ProtocolConnection.Listener.NONE);
    peer.handshake();
    ExchangeCodec first = openStream();
    ExchangeCodec second = openStream();
    peer.expectHeaders(1);
    peer.expectHeaders(3);
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeHeaders(3, false, ":status", "200");
    for (int sent = 0; sent < 65_535; sent += 16_383) {
      peer.writeData(1, false, ByteString.of(new byte[Math.min(16_383, 65_535 - sent)]));
    }
    peer.writeData(3, false, "x");

    assertThat((long) peer.expect(GOAWAY).intAt(4)).isEqualTo(ErrorCodes.FLOW_CONTROL_ERROR);
    second.readResponseHeaders(false);
    assertThatThrownBy(() -> readBody(second)).isInstanceOf(Http2ConnectionException.class)
        .hasMessageContaining("exceeds the connection's receive window");
  }

  @Test
  void dataBeyondTheStreamWindowResetsThatStreamAndRetiresTheConnection() throws Exception {
    connection = h2.start(
        new Http2Config(65_535, 1024 * 1024, 256 * 1024, TimeUnit.SECONDS.toNanos(1), System::nanoTime),
        0, dev.courier.spi.ProtocolConnection.Listener.NONE);
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, OPTIONS);
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeZeros(1, 65_536);

    Http2TestPeer.Frame reset = peer.expect(RST_STREAM);
    assertThat(reset.streamId()).isEqualTo(1);
    assertThat((long) reset.intAt(0)).isEqualTo(ErrorCodes.FLOW_CONTROL_ERROR);
    codec.readResponseHeaders(false);
    assertThatThrownBy(() -> readBody(codec)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("FLOW_CONTROL_ERROR")
        .hasMessageContaining("127.0.0.1:" + peer.port() + " (h2c, stream 1)");
    // No GOAWAY: other streams could carry on, but no new one starts here.
    assertThat(connection.maxConcurrentExchanges()).isZero();
    assertThat(connection.transport().socket().isClosed()).isFalse();
  }

  @Test
  void dataBeforeResponseHeadersResetsTheStream() throws Exception {
    connection = h2.start();
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, OPTIONS);
    peer.writeData(1, false, "early");

    assertThat((long) peer.expect(RST_STREAM).intAt(0)).isEqualTo(ErrorCodes.PROTOCOL_ERROR);
    assertThatThrownBy(() -> codec.readResponseHeaders(false)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("DATA before the response headers");
  }

  @Test
  void zeroWindowUpdateOnAStreamResetsIt() throws Exception {
    connection = h2.start();
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, OPTIONS);
    peer.writeWindowUpdate(1, 0);

    assertThat((long) peer.expect(RST_STREAM).intAt(0)).isEqualTo(ErrorCodes.PROTOCOL_ERROR);
    assertThatThrownBy(() -> codec.readResponseHeaders(false)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("increment of 0");
  }

  @Test
  void dataAfterEndStreamIsAConnectionError() throws Exception {
    connection = h2.start();
    peer.handshake();
    ExchangeCodec finished = openStream();
    ExchangeCodec inFlight = openStream();
    peer.expectHeaders(1);
    peer.expectHeaders(3);
    peer.writeHeaders(1, false, ":status", "200", "content-length", "4");
    peer.writeData(1, true, "done");
    finished.readResponseHeaders(false);
    assertThat(readBody(finished)).isEqualTo("done");

    // Bytes beyond the end of stream 1's response: never taken for anything else.
    peer.writeData(1, false, "HTTP/1.1 200 OK");

    Http2TestPeer.Frame goAway = peer.expect(GOAWAY);
    assertThat((long) goAway.intAt(4)).isEqualTo(ErrorCodes.STREAM_CLOSED);
    assertThat(goAway.payload().substring(8).utf8()).isEqualTo("DATA on stream 1 after its END_STREAM");
    assertThatThrownBy(() -> inFlight.readResponseHeaders(false))
        .isInstanceOf(Http2ConnectionException.class)
        .hasMessageContaining("127.0.0.1:" + peer.port() + " (h2c) failed with STREAM_CLOSED");
    assertThat(connection.maxConcurrentExchanges()).isZero();
  }

  @Test
  void headersAfterEndStreamWhileTheRequestIsStillSentIsAConnectionError() throws Exception {
    connection = h2.start();
    peer.handshake();
    Request post = new Request.Builder().url("http://127.0.0.1:" + peer.port() + "/")
        .post(RequestBody.create("x", null)).build();
    ExchangeCodec codec = h2.openStreamWithBody(connection, OPTIONS, post, 1);
    peer.writeHeaders(1, true, ":status", "200");
    assertThat(codec.readResponseHeaders(false).code()).isEqualTo(200);

    peer.writeHeaders(1, true, ":status", "200");

    Http2TestPeer.Frame goAway = peer.expect(GOAWAY);
    assertThat((long) goAway.intAt(4)).isEqualTo(ErrorCodes.STREAM_CLOSED);
    assertThat(goAway.payload().substring(8).utf8()).isEqualTo("HEADERS on stream 1 after its END_STREAM");
    TestTransports.awaitTrue("connection closed", () -> connection.maxConcurrentExchanges() == 0);
  }

  @Test
  void framesOnAStreamWeResetAreIgnored() throws Exception {
    connection = h2.start();
    ExchangeCodec canceled = h2.handshakeAndOpenStream(connection, OPTIONS);
    canceled.cancel();
    assertThat((long) peer.expect(RST_STREAM).intAt(0)).isEqualTo(ErrorCodes.CANCEL);

    // Sent before the peer saw the reset.
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeData(1, true, "late");
    ExchangeCodec next = h2.openStream(connection, OPTIONS, "/", 3);
    peer.writeHeaders(3, true, ":status", "204");

    assertThat(next.readResponseHeaders(false).code()).isEqualTo(204);
    assertThat(connection.isHealthy(false)).isTrue();
  }

  @Test
  void unknownFramesPriorityAndPaddingAreHandled() throws Exception {
    connection = h2.start();
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, OPTIONS);
    peer.writeFrame(0xfa, 0xff, 1, ByteString.encodeUtf8("unknown extension frame"));
    peer.writeFrame(PRIORITY, 0, 1, ByteString.of(new byte[5]));
    // HEADERS with PADDED and PRIORITY flags: pad length 2, 5 priority bytes, block, 2 pad bytes.
    ByteString block = peer.encode(1, ":status", "200");
    Buffer headers = new Buffer().writeByte(2).write(new byte[5]).write(block).write(new byte[2]);
    peer.writeFrame(HEADERS, 0x4 | 0x8 | 0x20, 1, headers.readByteString());
    Buffer data = new Buffer().writeByte(3).writeUtf8("padded").write(new byte[3]);
    peer.writeFrame(DATA, 0x8 | 0x1, 1, data.readByteString());

    assertThat(codec.readResponseHeaders(false).code()).isEqualTo(200);
    assertThat(readBody(codec)).isEqualTo("padded");
    assertThat(connection.isHealthy(false)).isTrue();
  }

  /** Opens a stream for a GET of {@code /}, leaving its HEADERS for the test to read. */
  private ExchangeCodec openStream() throws IOException {
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(get(peer.port(), "/"));
    codec.finishRequest();
    return codec;
  }

  private static String readBody(ExchangeCodec codec) throws IOException {
    try (BufferedSource body = Okio.buffer(codec.openResponseBodySource(null))) {
      return body.readUtf8();
    }
  }
}
