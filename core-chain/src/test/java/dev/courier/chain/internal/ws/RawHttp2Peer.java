package dev.courier.chain.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.testing.Http2FramePeer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import okio.Buffer;
import okio.ByteString;

/**
 * Plays an HTTP/2 server (prior knowledge, cleartext) frame by frame on a loopback socket, so that
 * a test of WebSockets over HTTP/2 writes exactly the frames it wants: refusals, resets, GOAWAY,
 * silence. Carries WebSocket frames in DATA. The test thread drives it.
 */
final class RawHttp2Peer extends Http2FramePeer {
  static final int ENABLE_CONNECT_PROTOCOL = 0x8;

  private final Map<Integer, Buffer> streamData = new HashMap<>();

  RawHttp2Peer() throws IOException {}

  /**
   * Keeps DATA met while waiting for another frame, per stream; any other frame but settings
   * ACKs, window updates and pings (such as an unexpected RST_STREAM or GOAWAY) fails the test.
   */
  @Override
  protected void unexpected(Frame frame) {
    assertThat(frame.type()).as("unexpected frame %s", frame).isEqualTo(DATA);
    streamData.computeIfAbsent(frame.streamId(), id -> new Buffer()).write(frame.payload());
  }

  /** Reads a request's HEADERS, checking the stream id and that the block fits in it. */
  Frame expectHeadersFrame(int streamId) throws IOException {
    Frame frame = expect(HEADERS);
    assertThat(frame.streamId()).isEqualTo(streamId);
    assertThat(frame.has(END_HEADERS)).isTrue();
    return frame;
  }

  /** Writes one unmasked WebSocket frame with first byte {@code b0} as one DATA frame. */
  void writeWebSocketFrame(int streamId, int b0, ByteString payload, boolean endStream)
      throws IOException {
    assertThat(payload.size()).isLessThan(126);
    writeData(streamId, endStream,
        new Buffer().writeByte(b0).writeByte(payload.size()).write(payload).readByteString());
  }

  /** Reads DATA of {@code streamId} until a whole WebSocket frame came, and unmasks it. */
  RawWebSocketPeer.Frame readWebSocketFrame(int streamId) throws IOException {
    Buffer data = streamData.computeIfAbsent(streamId, id -> new Buffer());
    while (true) {
      RawWebSocketPeer.Frame frame = parseWebSocketFrame(data.copy());
      if (frame != null) {
        parseWebSocketFrame(data); // Consume it.
        return frame;
      }
      Frame next = expect(DATA);
      streamData.computeIfAbsent(next.streamId(), id -> new Buffer()).write(next.payload());
    }
  }

  /** Reads frames until DATA with END_STREAM on {@code streamId}; returns what it carried. */
  ByteString expectEndStream(int streamId) throws IOException {
    while (true) {
      Frame frame = expect(DATA);
      Buffer data = streamData.computeIfAbsent(frame.streamId(), id -> new Buffer());
      data.write(frame.payload());
      if (frame.streamId() == streamId && frame.has(END_STREAM)) {
        return data.readByteString();
      }
    }
  }

  private static RawWebSocketPeer.Frame parseWebSocketFrame(Buffer data) throws IOException {
    if (data.size() < 2) {
      return null;
    }
    int b0 = data.getByte(0) & 0xff;
    int b1 = data.getByte(1) & 0xff;
    long length = b1 & 0x7f;
    int header = 2;
    if (length == 126) {
      if (data.size() < 4) return null;
      length = ((data.getByte(2) & 0xff) << 8) | (data.getByte(3) & 0xff);
      header = 4;
    } else if (length == 127) {
      if (data.size() < 10) return null;
      length = new Buffer().write(data.snapshot().substring(2, 10)).readLong();
      header = 10;
    }
    boolean masked = (b1 & 0x80) != 0;
    int total = header + (masked ? 4 : 0) + (int) length;
    if (data.size() < total) {
      return null;
    }
    data.skip(header);
    byte[] mask = masked ? data.readByteArray(4) : new byte[4];
    byte[] payload = data.readByteArray(length);
    for (int i = 0; i < payload.length; i++) {
      payload[i] ^= mask[i & 3];
    }
    return new RawWebSocketPeer.Frame((b0 & 0x80) != 0, b0 & 0x0f, masked, ByteString.of(payload),
        (b0 & 0x70) >> 4);
  }
}
