package dev.courier.http2.internal;

import static dev.courier.http2.internal.Http2TestPeer.RST_STREAM;
import static dev.courier.http2.internal.Http2TestPeer.WINDOW_UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Headers;
import dev.courier.StreamResetException;
import dev.courier.http2.Http2ConnectionException;
import dev.courier.internal.ArrayReadable;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.testing.ThreadLeakExtension;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.ByteString;
import okio.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An HTTP/2 response body read straight into the caller's array ({@link ArrayReadable}), over a
 * real loopback socket with a scripted peer: the same bytes, waits, timeouts, flow-control credit,
 * trailers and failures (reset, GOAWAY, close, stall) as reads into an okio buffer.
 */
@Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class StreamSourceArrayReadTest {
  @RegisterExtension
  final Http2PeerExtension h2 = new Http2PeerExtension();
  private final Http2TestPeer peer = h2.peer();
  private final String peerName = "127.0.0.1:" + peer.port() + " (h2c";
  private Http2Connection connection;

  @Test
  void bodyOfOddFramesArrivesExactlyThroughOddArrayReadsAndOffsets() throws Exception {
    byte[] body = new byte[200_003];
    new Random(11).nextBytes(body);
    int[] frameSizes = {1, 2047, 2049, 16_384, 8_201, 3, 4_096, 16_383};
    ExchangeCodec codec = startAndOpenStream(10_000, Http2Config.DEFAULT);
    peer.writeHeaders(1, false, ":status", "200", "content-length", Integer.toString(body.length));
    int offset = 0;
    for (int i = 0; offset < body.length; i++) {
      int size = Math.min(frameSizes[i % frameSizes.length], body.length - offset);
      peer.writeData(1, offset + size == body.length, ByteString.of(body, offset, size));
      offset += size;
    }
    codec.readResponseHeaders(false);

    ArrayReadable source = arrayReadable(codec);
    byte[] received = new byte[body.length];
    int[] readSizes = {1, 8_192, 5, 65_536, 2_047, 3_000, 70_001};
    int total = 0;
    byte[] scratch = new byte[80_000];
    for (int i = 0; ; i++) {
      int size = readSizes[i % readSizes.length];
      int at = i % 7; // Odd offsets into the caller's array.
      Arrays.fill(scratch, (byte) 0x5a);
      int read = source.read(scratch, at, size);
      if (read == -1) {
        break;
      }
      assertThat(read).isBetween(1, size);
      // Nothing written outside the range the read reported.
      for (int j = 0; j < at; j++) {
        assertThat(scratch[j]).isEqualTo((byte) 0x5a);
      }
      assertThat(scratch[at + read]).isEqualTo((byte) 0x5a);
      System.arraycopy(scratch, at, received, total, read);
      total += read;
    }
    assertThat(total).isEqualTo(body.length);
    assertThat(received).isEqualTo(body);
    assertThat(source.read(scratch, 0, 10)).isEqualTo(-1);
    ((Source) source).close();
    assertThat(connection.isHealthy(false)).isTrue();
  }

  @Test
  void boundsAreCheckedAndAnEmptyReadReturnsZeroWithoutWaiting() throws Exception {
    ExchangeCodec codec = startAndOpenStream(10_000, Http2Config.DEFAULT);
    peer.writeHeaders(1, false, ":status", "200");
    codec.readResponseHeaders(false);
    ArrayReadable source = arrayReadable(codec);

    assertThat(source.read(new byte[4], 2, 0)).isEqualTo(0);
    assertThatThrownBy(() -> source.read(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> source.read(new byte[4], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    peer.writeData(1, true, "ok");
    byte[] sink = new byte[8];
    assertThat(source.read(sink, 3, 5)).isEqualTo(2);
    assertThat(new String(sink, 3, 2, "UTF-8")).isEqualTo("ok");
    ((Source) source).close();
  }

  @Test
  void arrayAndBufferReadsInterleaveInOrder() throws Exception {
    ExchangeCodec codec = startAndOpenStream(10_000, Http2Config.DEFAULT);
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeData(1, true, "abcdefghij");
    codec.readResponseHeaders(false);
    Source source = codec.openResponseBodySource(null);
    byte[] sink = new byte[3];

    assertThat(((ArrayReadable) source).read(sink, 0, 3)).isEqualTo(3);
    Buffer buffer = new Buffer();
    assertThat(source.read(buffer, 4)).isEqualTo(4);
    assertThat(((ArrayReadable) source).read(sink, 0, 3)).isEqualTo(3);
    assertThat(new String(sink, "UTF-8")).isEqualTo("hij");
    assertThat(buffer.readUtf8()).isEqualTo("defg");
    assertThat(source.read(buffer, 1)).isEqualTo(-1);
    source.close();
  }

  @Test
  void creditForArrayReadsIsReturned() throws Exception {
    int streamWindow = 64 * 1024;
    Http2Config config = new Http2Config(streamWindow, streamWindow, 256 * 1024,
        TimeUnit.SECONDS.toNanos(1), System::nanoTime);
    ExchangeCodec codec = startAndOpenStream(10_000, config);
    peer.writeHeaders(1, false, ":status", "200");
    // The whole stream and connection window: the peer may send nothing more until credit
    // comes back.
    for (int i = 0; i < streamWindow / 16_384; i++) {
      peer.writeData(1, false, ByteString.of(new byte[16_384]));
    }
    codec.readResponseHeaders(false);
    ArrayReadable source = arrayReadable(codec);

    byte[] sink = new byte[streamWindow];
    int total = 0;
    while (total < streamWindow) {
      total += source.read(sink, total, streamWindow - total);
    }
    long streamCredit = 0;
    long connectionCredit = 0;
    while (streamCredit < streamWindow / 2 || connectionCredit == 0) {
      Http2TestPeer.Frame update = peer.expect(WINDOW_UPDATE);
      if (update.streamId() == 1) {
        streamCredit += update.intAt(0);
      } else {
        connectionCredit += update.intAt(0);
      }
    }
    assertThat(streamCredit).isBetween((long) streamWindow / 2, (long) streamWindow);
    // With the credit, the rest of the body arrives.
    peer.writeData(1, true, "end");
    assertThat(source.read(sink, 0, 100)).isEqualTo(3);
    assertThat(source.read(sink, 0, 100)).isEqualTo(-1);
    ((Source) source).close();
  }

  @Test
  void trailersFollowABodyReadIntoArrays() throws Exception {
    ExchangeCodec codec = startAndOpenStream(10_000, Http2Config.DEFAULT);
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeData(1, false, ByteString.of(new byte[16_384]));
    peer.writeData(1, false, ByteString.of(new byte[3_616]));
    peer.writeHeaders(1, true, "grpc-status", "0", "checksum", "abc");
    codec.readResponseHeaders(false);
    ArrayReadable source = arrayReadable(codec);

    byte[] sink = new byte[65_536];
    int total = 0;
    for (int read; (read = source.read(sink, 0, sink.length)) != -1; ) {
      total += read;
    }
    assertThat(total).isEqualTo(20_000);
    assertThat(codec.trailers()).isEqualTo(Headers.of("grpc-status", "0", "checksum", "abc"));
    ((Source) source).close();
    assertThat(connection.isHealthy(false)).isTrue();
  }

  @Test
  void resetMidBodyFailsTheArrayReadAfterTheBytesBeforeIt() throws Exception {
    ExchangeCodec codec = startAndOpenStream(10_000, Http2Config.DEFAULT);
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeData(1, false, "before");
    codec.readResponseHeaders(false);
    ArrayReadable source = arrayReadable(codec);
    byte[] sink = new byte[65_536];
    assertThat(source.read(sink, 0, sink.length)).isEqualTo(6);

    peer.writeRstStream(1, ErrorCodes.INTERNAL_ERROR);
    assertThatThrownBy(() -> source.read(sink, 0, sink.length))
        .isInstanceOfSatisfying(StreamResetException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCodes.INTERNAL_ERROR))
        .hasMessage("stream was reset by " + peerName + ", stream 1): INTERNAL_ERROR (0x2)");
    ((Source) source).close();
  }

  @Test
  void goAwayThenCloseMidBodyFailsTheArrayReadNamingThePeer() throws Exception {
    ExchangeCodec codec = startAndOpenStream(10_000, Http2Config.DEFAULT);
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeData(1, false, "before");
    peer.writeGoAway(1, ErrorCodes.INTERNAL_ERROR, "");
    codec.readResponseHeaders(false);
    ArrayReadable source = arrayReadable(codec);
    byte[] sink = new byte[65_536];
    assertThat(source.read(sink, 0, sink.length)).isEqualTo(6);
    peer.closeConnection();

    assertThatThrownBy(() -> source.read(sink, 0, sink.length))
        .isInstanceOf(Http2ConnectionException.class)
        .hasMessageStartingWith("HTTP/2 connection to " + peerName + ") was closed by the peer after GOAWAY "
            + "INTERNAL_ERROR (0x2)")
        .hasMessageEndingWith("while reading the response body of stream 1");
    ((Source) source).close();
  }

  @Test
  void peerClosingMidBodyFailsTheArrayReadWithAnEndOfStream() throws Exception {
    ExchangeCodec codec = startAndOpenStream(10_000, Http2Config.DEFAULT);
    peer.writeHeaders(1, false, ":status", "200", "content-length", "100");
    peer.writeData(1, false, "only part");
    peer.closeConnection();
    codec.readResponseHeaders(false);
    ArrayReadable source = arrayReadable(codec);
    byte[] sink = new byte[65_536];

    assertThat(source.read(sink, 0, sink.length)).isEqualTo(9);
    assertThatThrownBy(() -> source.read(sink, 0, sink.length))
        .isInstanceOf(EOFException.class)
        .hasMessage("HTTP/2 connection to " + peerName + ") was closed by the peer, while reading the "
            + "response body of stream 1");
    ((Source) source).close();
  }

  @Test
  void stalledPeerTimesOutTheArrayReadNamingThePeerAndCancelsTheStream() throws Exception {
    ExchangeCodec codec = startAndOpenStream(200, Http2Config.DEFAULT);
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeData(1, false, "some");
    codec.readResponseHeaders(false);
    ArrayReadable source = arrayReadable(codec);
    byte[] sink = new byte[65_536];
    assertThat(source.read(sink, 0, sink.length)).isEqualTo(4);

    assertThatThrownBy(() -> source.read(sink, 0, sink.length))
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("timeout reading the response body from " + peerName + ", stream 1)");
    assertThat(peer.expect(RST_STREAM).intAt(0)).isEqualTo((int) ErrorCodes.CANCEL);
    ((Source) source).close();
  }

  @Test
  void closeMidBodyCancelsTheStreamAndLaterArrayReadsFail() throws Exception {
    ExchangeCodec codec = startAndOpenStream(10_000, Http2Config.DEFAULT);
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeData(1, false, ByteString.of(new byte[10_000]));
    codec.readResponseHeaders(false);
    ArrayReadable source = arrayReadable(codec);
    byte[] sink = new byte[100];
    assertThat(source.read(sink, 0, sink.length)).isEqualTo(100);

    ((Source) source).close();
    assertThat(peer.expect(RST_STREAM).intAt(0)).isEqualTo((int) ErrorCodes.CANCEL);
    assertThatThrownBy(() -> source.read(sink, 0, sink.length))
        .isInstanceOf(IOException.class)
        .hasMessage("the response body of " + peerName + ", stream 1) is closed");
    // The unread bytes went back to the connection's window: the connection stays usable.
    assertThat(connection.isHealthy(false)).isTrue();
  }

  private ExchangeCodec startAndOpenStream(int readTimeoutMillis, Http2Config config) throws IOException {
    connection = h2.start(config, 0, ProtocolConnection.Listener.NONE);
    return h2.handshakeAndOpenStream(connection, new ExchangeOptions(readTimeoutMillis, 10_000));
  }

  private static ArrayReadable arrayReadable(ExchangeCodec codec) throws IOException {
    Source source = codec.openResponseBodySource(null);
    assertThat(source).isInstanceOf(ArrayReadable.class);
    return (ArrayReadable) source;
  }
}
