package dev.courier.http2.internal;

import static dev.courier.http2.internal.Http2TestPeer.DATA;
import static dev.courier.http2.internal.Http2TestPeer.RST_STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.courier.ConnectionShutdownException;
import dev.courier.http2.Http2ConnectionException;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.testing.ThreadLeakExtension;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.util.Random;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;
import okio.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The path of DATA from the socket to the caller, over a real loopback socket: frame headers read
 * in whole words, payloads copied from the reader's buffer into the stream's chunks. Bodies of
 * odd frame and read sizes arrive byte for byte, and a peer that lies about lengths, closes inside
 * a frame header or stalls inside a frame fails the call naming host:port.
 */
@Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class DataPathTest {
  @RegisterExtension
  final Http2PeerExtension h2 = new Http2PeerExtension();
  private final Http2TestPeer peer = h2.peer();
  private final String peerName = "127.0.0.1:" + peer.port() + " (h2c";
  private Http2Connection connection;

  @Test
  void bodyOfOddFramesAndPaddingArrivesExactlyThroughOddReads() throws Exception {
    // More than the 128 KiB after which a held-back wake is given anyway, in frames that start
    // and end anywhere in the stream's 2 KiB chunks.
    byte[] body = new byte[300_001];
    new Random(7).nextBytes(body);
    int[] frameSizes = {1, 2047, 2049, 16_384, 8_201, 3, 0, 4_096, 16_383};
    ExchangeCodec codec = startAndOpenStream(new ExchangeOptions(10_000, 10_000));
    peer.writeHeaders(1, false, ":status", "200", "content-length", Integer.toString(body.length));
    // Every fifth frame padded with 7 bytes, where the padding still fits in the frame.
    peer.writeBodyInFrames(1, body, frameSizes,
        (i, size) -> i % 5 == 4 && size <= FrameReader.DEFAULT_MAX_FRAME_SIZE - 8 ? 7 : -1);

    codec.readResponseHeaders(false);
    Buffer received = new Buffer();
    try (Source source = codec.openResponseBodySource(null)) {
      long[] readSizes = {1, 8_192, 5, 65_536, 2_047, 3_000};
      for (int i = 0; ; i++) {
        long read = source.read(received, readSizes[i % readSizes.length]);
        if (read == -1) {
          break;
        }
        assertThat(read).isBetween(1L, readSizes[i % readSizes.length]);
      }
    }
    assertThat(received.readByteString()).isEqualTo(ByteString.of(body));
    assertThat(connection.isHealthy(false)).isTrue();
  }

  @Test
  void reservedBitOfTheStreamIdIsIgnored() throws Exception {
    ExchangeCodec codec = startAndOpenStream(new ExchangeOptions(10_000, 10_000));
    peer.writeHeaders(1, false, ":status", "200");
    // RFC 9113 §4.1: the reserved bit must be ignored when received.
    peer.writeFrame(DATA, 0x1, 0x8000_0001, ByteString.encodeUtf8("hello"));

    codec.readResponseHeaders(false);
    assertThat(readBody(codec)).isEqualTo("hello");
  }

  @Test
  void frameLongerThanTheMaxFrameSizeFailsTheConnection() throws Exception {
    ExchangeCodec codec = startAndOpenStream(new ExchangeOptions(10_000, 10_000));
    peer.writeHeaders(1, false, ":status", "200");
    // A DATA header announcing 16,385 bytes: one more than SETTINGS_MAX_FRAME_SIZE.
    peer.writeRaw(ByteString.decodeHex("004001" + "00" + "00" + "00000001"));

    codec.readResponseHeaders(false);
    assertThatThrownBy(() -> readBody(codec))
        .isInstanceOfSatisfying(Http2ConnectionException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCodes.FRAME_SIZE_ERROR))
        .hasMessageContaining(peerName + ")")
        .hasMessageContaining("DATA frame of 16385 bytes exceeds SETTINGS_MAX_FRAME_SIZE 16384");
    assertRetired();
  }

  @Test
  void peerClosingInsideAFrameHeaderFailsTheBody() throws Exception {
    ExchangeCodec codec = startAndOpenStream(new ExchangeOptions(10_000, 10_000));
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeData(1, false, "first");
    peer.writeRaw(ByteString.decodeHex("00000a0000")); // Five of a header's nine bytes.
    peer.closeConnection();

    codec.readResponseHeaders(false);
    Throwable thrown = catchThrowable(() -> readBody(codec));
    assertThat(thrown).isInstanceOf(EOFException.class)
        .hasMessageContaining(peerName + ")")
        .hasMessageContaining("closed by the peer in the middle of a frame")
        .hasMessageEndingWith("while reading the response body of stream 1");
    assertRetired();
  }

  @Test
  void peerStallingInsideADataFrameEndsWithAReadTimeout() throws Exception {
    ExchangeCodec codec = startAndOpenStream(new ExchangeOptions(200, 10_000));
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeData(1, false, "whole frame");
    // A DATA header announcing 100 bytes, then 10 of them, and nothing more.
    peer.writeRaw(ByteString.decodeHex("000064" + "00" + "00" + "00000001"));
    peer.writeRaw(ByteString.encodeUtf8("0123456789"));

    codec.readResponseHeaders(false);
    Buffer received = new Buffer();
    Source source = codec.openResponseBodySource(null);
    // The whole frame is delivered at once: it does not wait for the stalled one.
    assertThat(source.read(received, 100)).isEqualTo(11);
    assertThat(received.readUtf8()).isEqualTo("whole frame");
    assertThatThrownBy(() -> source.read(received, 100))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("timeout reading the response body from " + peerName + ", stream 1)");
    // The stream is canceled; the connection stays for other streams.
    assertThat(peer.expect(RST_STREAM).intAt(0)).isEqualTo((int) ErrorCodes.CANCEL);
  }

  @Test
  void dataBeyondTheContentLengthResetsTheStream() throws Exception {
    ExchangeCodec codec = startAndOpenStream(new ExchangeOptions(10_000, 10_000));
    peer.writeHeaders(1, false, ":status", "200", "content-length", "10");
    peer.writeData(1, false, "0123456789");
    peer.writeData(1, true, "and more");

    codec.readResponseHeaders(false);
    assertThatThrownBy(() -> readBody(codec))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining(peerName + ", stream 1)");
    assertThat(peer.expect(RST_STREAM).intAt(0)).isEqualTo((int) ErrorCodes.PROTOCOL_ERROR);
  }

  private ExchangeCodec startAndOpenStream(ExchangeOptions options) throws IOException {
    connection = h2.start();
    return h2.handshakeAndOpenStream(connection, options);
  }

  /** Asserts that the connection takes no new exchanges, the way the pool asks. */
  private void assertRetired() throws Exception {
    TestTransports.awaitTrue("connection closed", () -> connection.maxConcurrentExchanges() == 0);
    assertThat(connection.isHealthy(false)).isFalse();
    assertThatThrownBy(() -> connection.newCodec(new ExchangeOptions(10_000, 10_000)))
        .isInstanceOf(ConnectionShutdownException.class)
        .hasMessageContaining(peerName + ")");
  }

  private static String readBody(ExchangeCodec codec) throws IOException {
    try (BufferedSource body = Okio.buffer(codec.openResponseBodySource(null))) {
      return body.readUtf8();
    }
  }
}
