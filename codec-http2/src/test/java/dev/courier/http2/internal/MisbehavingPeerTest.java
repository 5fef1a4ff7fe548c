package dev.courier.http2.internal;

import static dev.courier.http2.internal.Http2TestPeer.GOAWAY;
import static dev.courier.http2.internal.Http2TestPeer.HEADERS;
import static dev.courier.http2.internal.TestTransports.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.courier.ConnectionShutdownException;
import dev.courier.StreamResetException;
import dev.courier.http2.Http2ConnectionException;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.testing.Fault;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.List;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Servers that close, reset, stall, lie or send garbage: every call ends promptly with an
 * exception of the expected type naming host:port and the protocol, the connection is never
 * handed out again when it is broken, and the reader thread ends (checked by the extension).
 */
@Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class MisbehavingPeerTest {
  private static final ExchangeOptions OPTIONS = new ExchangeOptions(10_000, 10_000);

  @RegisterExtension
  final Http2PeerExtension h2 = new Http2PeerExtension();
  private final Http2TestPeer peer = h2.peer();
  private Http2Connection connection;
  private final String peerName = "127.0.0.1:" + peer.port() + " (h2c";

  @Test
  void serverClosesBetweenDataFrames() throws Exception {
    ExchangeCodec codec = startAndOpenStream();
    peer.writeHeaders(1, false, ":status", "200", "content-length", "100");
    peer.writeData(1, false, "0123456789");
    peer.closeConnection();

    codec.readResponseHeaders(false);
    assertThatThrownBy(() -> readBody(codec))
        .isInstanceOf(EOFException.class)
        .hasMessage("HTTP/2 connection to " + peerName + ") was closed by the peer, while reading the "
            + "response body of stream 1");
    assertRetired();
  }

  @Test
  void serverClosesInTheMiddleOfADataFrame() throws Exception {
    ExchangeCodec codec = startAndOpenStream();
    peer.writeHeaders(1, false, ":status", "200", "content-length", "100");
    // A DATA frame header announcing 100 bytes, then only 10 of them.
    peer.writeRaw(ByteString.decodeHex("000064" + "00" + "00" + "00000001"));
    peer.writeRaw(ByteString.encodeUtf8("0123456789"));
    peer.closeConnection();

    codec.readResponseHeaders(false);
    Throwable thrown = catchThrowable(() -> readBody(codec));
    assertThat(thrown).isInstanceOf(EOFException.class)
        .hasMessageContaining(peerName + ")")
        .hasMessageContaining("closed by the peer in the middle of a frame")
        .hasMessageEndingWith("while reading the response body of stream 1");
    assertThat(thrown.getCause()).isInstanceOf(EOFException.class);
    assertRetired();
  }

  @Test
  void serverResetsTheTcpConnectionBeforeTheResponse() throws Exception {
    ExchangeCodec codec = startAndOpenStream();
    peer.resetConnection();

    Throwable thrown = catchThrowable(() -> codec.readResponseHeaders(false));
    // A reset may surface as "Connection reset" or, if it raced an orderly read, as EOF.
    assertThat(thrown).isInstanceOfAny(SocketException.class, EOFException.class)
        .hasMessageContaining("HTTP/2 connection to " + peerName + ")")
        .hasMessageEndingWith("before the response headers of stream 1");
    assertRetired();
  }

  @Test
  void serverResetsTheStreamMidBody() throws Exception {
    ExchangeCodec codec = startAndOpenStream();
    peer.writeHeaders(1, false, ":status", "200", "content-length", "100");
    peer.writeData(1, false, "partial");
    peer.writeRstStream(1, ErrorCodes.INTERNAL_ERROR);

    codec.readResponseHeaders(false);
    assertThatThrownBy(() -> readBody(codec))
        .isInstanceOfSatisfying(StreamResetException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCodes.INTERNAL_ERROR))
        .hasMessage("stream was reset by " + peerName + ", stream 1): INTERNAL_ERROR (0x2)");
    // A reset is the peer's right, not a protocol error: the connection stays usable.
    assertThat(connection.isHealthy(false)).isTrue();
    ExchangeCodec next = h2.openStream(connection, OPTIONS, "/next", 3);
    peer.writeHeaders(3, true, ":status", "204");
    assertThat(next.readResponseHeaders(false).code()).isEqualTo(204);
  }

  @Test
  void serverSendsGoAwayThenKeepsSending() throws Exception {
    connection = h2.start();
    peer.handshake();
    ExchangeCodec first = openStream("/1");
    ExchangeCodec second = openStream("/2");
    peer.decode(peer.expect(HEADERS));
    peer.decode(peer.expect(HEADERS));

    peer.writeGoAway(1, ErrorCodes.NO_ERROR, "shutting down");
    // Frames for the stream GOAWAY refused, then more GOAWAYs, then the admitted stream's response.
    peer.writeHeaders(3, false, ":status", "200", "content-length", "4");
    peer.writeData(3, true, "late");
    peer.writeGoAway(1, ErrorCodes.NO_ERROR, "still shutting down");
    peer.writePing(false, 42);
    peer.writeHeaders(1, false, ":status", "200", "content-length", "5");
    peer.writeData(1, true, "first");

    assertThatThrownBy(() -> second.readResponseHeaders(false))
        .isInstanceOf(ConnectionShutdownException.class)
        .hasMessageContaining("request to " + peerName + ", stream 3) was not processed")
        .hasMessageContaining("GOAWAY with last stream 1");
    assertThat(first.readResponseHeaders(false).code()).isEqualTo(200);
    assertThat(readBody(first)).isEqualTo("first");
    assertThatThrownBy(() -> connection.newCodec(OPTIONS))
        .isInstanceOf(ConnectionShutdownException.class)
        .hasMessageContaining(peerName + ")");
    // The last admitted stream ended, so the client says goodbye and closes.
    assertThat(peer.expectClosedAfterGoAway()).isEqualTo(ErrorCodes.NO_ERROR);
  }

  @Test
  void garbageInsteadOfAFrameIsAConnectionError() throws Exception {
    ExchangeCodec codec = startAndOpenStream();
    peer.writeRaw(ByteString.encodeUtf8("<html>this is not a frame</html>\r\n"));

    Http2TestPeer.Frame goAway = peer.expect(GOAWAY);
    assertThat((long) goAway.intAt(4)).isEqualTo(ErrorCodes.FRAME_SIZE_ERROR);
    assertThatThrownBy(() -> codec.readResponseHeaders(false))
        .isInstanceOfSatisfying(Http2ConnectionException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCodes.FRAME_SIZE_ERROR))
        .hasMessageStartingWith("HTTP/2 connection to " + peerName + ") failed with FRAME_SIZE_ERROR");
    assertRetired();
  }

  @Test
  void http1ReplyToPriorKnowledgeIsNamedAsSuch() throws Exception {
    connection = h2.start();
    peer.acceptPreface();
    ExchangeCodec codec = openStream("/");
    peer.writeRaw(ByteString.encodeUtf8("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));

    assertThatThrownBy(() -> codec.readResponseHeaders(false))
        .isInstanceOf(Http2ConnectionException.class)
        .hasMessageContaining(peerName + ")")
        .hasMessageContaining("the server answered in HTTP/1 instead of sending HTTP/2 SETTINGS");
    assertRetired();
  }

  @Test
  void serverThatNeverSendsSettingsTimesOut() throws Exception {
    connection = h2.closeAfterTest(Http2Connection.start(TestTransports.connect(peer.port()),
        new ConnectionOptions(0, 2_000), ProtocolConnection.Listener.NONE, Http2Config.DEFAULT));
    ExchangeCodec codec = openStream("/");
    peer.acceptPreface();

    assertThatThrownBy(() -> codec.readResponseHeaders(false))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessageStartingWith("timeout waiting 2000 ms for the server's SETTINGS on the HTTP/2 connection to "
            + peerName + ")");
    assertRetired();
  }

  @Test
  void stallBeforeTheHeadersEndsWithAReadTimeout() throws Exception {
    connection = h2.start();
    ExchangeCodec codec = h2.handshakeAndOpenStream(connection, new ExchangeOptions(100, 10_000));

    assertThatThrownBy(() -> codec.readResponseHeaders(false))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("timeout reading response headers from " + peerName + ", stream 1)");
  }

  @Test
  void testServerFaultsFailTheCallNamingTheServer() throws Exception {
    List<ScriptedResponse> faults = List.of(
        ScriptedResponse.builder().body("x".repeat(1000)).fault(Fault.CLOSE_MID_BODY).build(),
        ScriptedResponse.builder().body("x".repeat(1000)).fault(Fault.CLOSE_AFTER_HEADERS).build(),
        ScriptedResponse.builder().fault(Fault.CLOSE_AFTER_REQUEST).build(),
        ScriptedResponse.builder().body("x".repeat(1000)).fault(Fault.STALL).build(),
        ScriptedResponse.builder().resetStream(ErrorCodes.INTERNAL_ERROR).build());
    for (ScriptedResponse fault : faults) {
      try (TestServer server = new TestServer()) {
        server.protocols(List.of("h2c"));
        server.enqueue(fault);
        server.start();
        Http2Connection h2c = TestTransports.start(server.port());
        try {
          ExchangeCodec codec = h2c.newCodec(new ExchangeOptions(300, 10_000));
          codec.writeRequestHeaders(get(server.port(), "/"));
          codec.finishRequest();
          Throwable thrown = catchThrowable(() -> {
            codec.readResponseHeaders(false);
            readBody(codec);
          });
          assertThat(thrown).as(String.valueOf(fault.fault()))
              .isInstanceOf(IOException.class)
              .hasMessageContaining("127.0.0.1:" + server.port() + " (h2c");
          if (fault.fault() == Fault.STALL) {
            assertThat(thrown).isInstanceOf(SocketTimeoutException.class);
          }
          if (fault.fault() == null) {
            assertThat(thrown).isInstanceOf(StreamResetException.class);
          }
        } finally {
          h2c.close();
        }
      }
    }
  }

  @Test
  void failureOfTheConnectionGivesEachStreamItsOwnException() throws Exception {
    connection = h2.start();
    peer.handshake();
    ExchangeCodec first = openStream("/1");
    ExchangeCodec second = openStream("/2");
    peer.decode(peer.expect(HEADERS));
    peer.decode(peer.expect(HEADERS));
    peer.writeHeaders(1, false, ":status", "200");
    peer.closeConnection();

    first.readResponseHeaders(false);
    Throwable firstFailure = catchThrowable(() -> readBody(first));
    Throwable secondFailure = catchThrowable(() -> second.readResponseHeaders(false));
    assertThat(firstFailure).isInstanceOf(EOFException.class)
        .hasMessageEndingWith("while reading the response body of stream 1");
    assertThat(secondFailure).isInstanceOf(EOFException.class)
        .hasMessageEndingWith("before the response headers of stream 3");
    assertThat(firstFailure).isNotSameAs(secondFailure);
    assertThat(firstFailure.getCause()).isSameAs(secondFailure.getCause());
  }

  private ExchangeCodec startAndOpenStream() throws IOException {
    connection = h2.start();
    return h2.handshakeAndOpenStream(connection, OPTIONS);
  }

  private ExchangeCodec openStream(String path) throws IOException {
    ExchangeCodec codec = connection.newCodec(OPTIONS);
    codec.writeRequestHeaders(get(peer.port(), path));
    codec.finishRequest();
    return codec;
  }

  /** Asserts that the connection takes no new exchanges, the way the pool asks. */
  private void assertRetired() throws Exception {
    TestTransports.awaitTrue("connection closed", () -> connection.maxConcurrentExchanges() == 0);
    assertThat(connection.isHealthy(false)).isFalse();
    assertThatThrownBy(() -> connection.newCodec(OPTIONS))
        .isInstanceOf(ConnectionShutdownException.class)
        .hasMessageContaining(peerName + ")");
  }

  private static String readBody(ExchangeCodec codec) throws IOException {
    try (BufferedSource body = Okio.buffer(codec.openResponseBodySource(null))) {
      Buffer sink = new Buffer();
      body.readAll(sink);
      return sink.readUtf8();
    }
  }
}
