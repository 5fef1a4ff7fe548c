package dev.courier.http2.internal;

import static dev.courier.http2.internal.Http2TestPeer.DATA;
import static dev.courier.http2.internal.Http2TestPeer.GOAWAY;
import static dev.courier.http2.internal.Http2TestPeer.RST_STREAM;
import static dev.courier.http2.internal.Http2TestPeer.WINDOW_UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.StreamResetException;
import dev.courier.http2.Http2ConnectionException;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.testing.ThreadLeakExtension;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reader thread holds back waking a body's reader while more DATA can be read without
 * waiting: bytes already received are still delivered at once when the peer pauses, stalls,
 * resets the stream, sends GOAWAY or closes, and flow-control credit is still returned.
 *
 * <p>A burst is many DATA frames in one write, so that the reader finds the next frame already
 * received after each one and holds the wake back; it must wake the body's reader before it waits
 * for more.
 */
@Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class DeferredWakesTest {
  private static final int FRAMES = 64;
  private static final int FRAME_SIZE = 1000;

  @RegisterExtension
  final Http2PeerExtension h2 = new Http2PeerExtension();
  private final Http2TestPeer peer = h2.peer();
  private Http2Connection connection;
  private final String peerName = "127.0.0.1:" + peer.port() + " (h2c";

  @Test
  void trickleOfSmallFramesIsDeliveredFrameByFrame() throws Exception {
    ExchangeCodec codec = startAndOpenStream(10_000, Http2Config.DEFAULT);
    peer.writeHeaders(1, false, ":status", "200");
    codec.readResponseHeaders(false);
    BufferedSource body = Okio.buffer(codec.openResponseBodySource(null));
    // Each event is sent only after the previous one was read: the reader thread waits for the
    // peer after every frame, and must wake the body's reader first.
    for (int i = 0; i < 10; i++) {
      String event = "data: event " + i + "\n\n";
      peer.writeData(1, false, event);
      assertThat(body.readUtf8(event.length())).isEqualTo(event);
    }
    peer.writeData(1, true, "");
    assertThat(body.exhausted()).isTrue();
    body.close();
  }

  @Test
  void burstThenStallDeliversTheBurstThenTimesOutNamingThePeer() throws Exception {
    ExchangeCodec codec = startAndOpenStream(500, Http2Config.DEFAULT);
    peer.writeHeaders(1, false, ":status", "200");
    ByteString burst = burst(1, FRAMES, FRAME_SIZE);
    peer.writeRaw(burst);
    codec.readResponseHeaders(false);
    BufferedSource body = Okio.buffer(codec.openResponseBodySource(null));

    // Held back past the read timeout, the burst would end in a timeout instead.
    assertThat(body.readByteString(FRAMES * FRAME_SIZE)).isEqualTo(payload(FRAMES * FRAME_SIZE));
    assertThatThrownBy(() -> body.readByte())
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("timeout reading the response body from " + peerName + ", stream 1)");
    assertThat(peer.expect(RST_STREAM).intAt(0)).isEqualTo((int) ErrorCodes.CANCEL);
  }

  @Test
  void resetAfterABurstWakesTheReaderWithTheReset() throws Exception {
    ExchangeCodec codec = startAndOpenStream(10_000, Http2Config.DEFAULT);
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeRaw(new Buffer().write(burst(1, FRAMES, FRAME_SIZE))
        .write(frame(RST_STREAM, 0, 1, new Buffer().writeInt((int) ErrorCodes.INTERNAL_ERROR).readByteString()))
        .readByteString());
    codec.readResponseHeaders(false);
    BufferedSource body = Okio.buffer(codec.openResponseBodySource(null));

    assertThatThrownBy(() -> body.readByteString(FRAMES * FRAME_SIZE + 1))
        .isInstanceOfSatisfying(StreamResetException.class,
            e -> assertThat(e.errorCode()).isEqualTo(ErrorCodes.INTERNAL_ERROR))
        .hasMessage("stream was reset by " + peerName + ", stream 1): INTERNAL_ERROR (0x2)");
  }

  @Test
  void goAwayAndCloseAfterABurstWakeTheReaderWithTheConnectionError() throws Exception {
    ExchangeCodec codec = startAndOpenStream(10_000, Http2Config.DEFAULT);
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeRaw(new Buffer().write(burst(1, FRAMES, FRAME_SIZE))
        .write(frame(GOAWAY, 0, 0, new Buffer().writeInt(1).writeInt((int) ErrorCodes.INTERNAL_ERROR)
            .readByteString()))
        .readByteString());
    codec.readResponseHeaders(false);
    BufferedSource body = Okio.buffer(codec.openResponseBodySource(null));
    assertThat(body.readByteString(FRAMES * FRAME_SIZE)).isEqualTo(payload(FRAMES * FRAME_SIZE));
    peer.closeConnection();

    assertThatThrownBy(() -> body.readByte())
        .isInstanceOf(Http2ConnectionException.class)
        .hasMessageStartingWith("HTTP/2 connection to " + peerName + ") was closed by the peer after GOAWAY "
            + "INTERNAL_ERROR (0x2)")
        .hasMessageEndingWith("while reading the response body of stream 1");
  }

  @Test
  void closeAfterABurstWakesTheReaderWithAnEndOfStream() throws Exception {
    ExchangeCodec codec = startAndOpenStream(10_000, Http2Config.DEFAULT);
    peer.writeHeaders(1, false, ":status", "200");
    peer.writeRaw(burst(1, FRAMES, FRAME_SIZE));
    peer.closeConnection();
    codec.readResponseHeaders(false);
    BufferedSource body = Okio.buffer(codec.openResponseBodySource(null));

    assertThat(body.readByteString(FRAMES * FRAME_SIZE)).isEqualTo(payload(FRAMES * FRAME_SIZE));
    assertThatThrownBy(() -> body.readByte())
        .isInstanceOf(EOFException.class)
        .hasMessage("HTTP/2 connection to " + peerName + ") was closed by the peer, while reading the "
            + "response body of stream 1");
  }

  @Test
  void creditForABurstReadIsReturned() throws Exception {
    int streamWindow = 128 * 1024;
    Http2Config config = new Http2Config(streamWindow, 1024 * 1024, 256 * 1024,
        TimeUnit.SECONDS.toNanos(1), System::nanoTime);
    ExchangeCodec codec = startAndOpenStream(10_000, config);
    peer.writeHeaders(1, false, ":status", "200");
    // The whole stream window in one burst of 16 KiB frames.
    int frames = streamWindow / 16384;
    peer.writeRaw(burst(1, frames, 16384));
    codec.readResponseHeaders(false);
    BufferedSource body = Okio.buffer(codec.openResponseBodySource(null));

    assertThat(body.readByteString(streamWindow)).isEqualTo(payload(streamWindow));
    long streamCredit = 0;
    while (streamCredit < streamWindow / 2) {
      Http2TestPeer.Frame update = peer.expect(WINDOW_UPDATE);
      if (update.streamId() == 1) {
        streamCredit += update.intAt(0);
      }
    }
    assertThat(streamCredit).isGreaterThanOrEqualTo(streamWindow / 2);
    peer.writeData(1, true, "end");
    assertThat(body.readUtf8()).isEqualTo("end");
    body.close();
  }

  private ExchangeCodec startAndOpenStream(int readTimeoutMillis, Http2Config config) throws IOException {
    connection = h2.start(config, 0, ProtocolConnection.Listener.NONE);
    return h2.handshakeAndOpenStream(connection, new ExchangeOptions(readTimeoutMillis, 10_000));
  }

  /** Returns {@code count} DATA frames on {@code streamId} carrying {@link #payload} in order. */
  private static ByteString burst(int streamId, int count, int size) {
    ByteString all = payload(count * size);
    Buffer frames = new Buffer();
    for (int i = 0; i < count; i++) {
      frames.write(frame(DATA, 0, streamId, all.substring(i * size, (i + 1) * size)));
    }
    return frames.readByteString();
  }

  private static ByteString frame(int type, int flags, int streamId, ByteString payload) {
    Buffer frame = new Buffer();
    int length = payload.size();
    frame.writeByte(length >>> 16).writeByte(length >>> 8).writeByte(length);
    frame.writeByte(type).writeByte(flags).writeInt(streamId);
    return frame.write(payload).readByteString();
  }

  /** Returns {@code size} bytes that differ from frame to frame. */
  private static ByteString payload(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 31 + (i >>> 10));
    }
    return ByteString.of(bytes);
  }
}
