package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
  private final Buffer in = new Buffer();
  private final FrameReader reader = new FrameReader(in, 256 * 1024);
  private final List<String> events = new ArrayList<>();
  private final FrameReader.Handler handler = new FrameReader.Handler() {
    @Override
    public void data(int streamId, boolean endStream, BufferedSource source, int dataLength, int frameLength)
        throws IOException {
      events.add("data " + streamId + " " + endStream + " " + source.readUtf8(dataLength) + " " + frameLength);
    }

    @Override
    public void headers(int streamId, boolean endStream, HpackReader.Fields fields) {
      StringBuilder result = new StringBuilder("headers " + streamId + " " + endStream);
      for (int i = 0; i < fields.size(); i++) {
        result.append(' ').append(fields.name(i)).append('=').append(fields.value(i));
      }
      events.add(result.toString());
    }

    @Override
    public void rstStream(int streamId, long errorCode) {
      events.add("rst " + streamId + " " + errorCode);
    }

    @Override
    public void settings(Settings settings) {
      StringBuilder result = new StringBuilder("settings");
      for (int i = 0; i < settings.size(); i++) {
        int id = settings.idAt(i);
        result.append(' ').append(id).append('=').append(settings.get(id));
      }
      events.add(result.toString());
    }

    @Override
    public void settingsAck() {
      events.add("settings ack");
    }

    @Override
    public void ping(boolean ack, long payload) {
      events.add("ping " + ack + " " + payload);
    }

    @Override
    public void goAway(int lastStreamId, long errorCode, ByteString debugData) {
      events.add("goaway " + lastStreamId + " " + errorCode + " " + debugData.utf8());
    }

    @Override
    public void windowUpdate(int streamId, long increment) {
      events.add("window " + streamId + " " + increment);
    }
  };

  @Test
  void readsEachFrameTypeAfterTheInitialSettings() throws IOException {
    frame(4, 0, 0, "0003000000640005" + "00008000" + "0099" + "00000001");
    frame(4, 1, 0, "");
    frame(8, 0, 0, "7fffffff");
    frame(6, 1, 0, "0000000000000007");
    frame(3, 0, 1, "00000002");
    frame(7, 0, 0, "00000005" + "00000000" + "6279");
    frame(0xee, 0, 0, "abcdef");

    while (reader.nextFrame(handler)) {
      // Keep reading until the buffer is exhausted.
    }
    assertThat(events).containsExactly(
        "settings 3=100 5=32768",
        "settings ack",
        "window 0 2147483647",
        "ping true 7",
        "rst 1 2",
        "goaway 5 0 by");
  }

  @Test
  void headersAndContinuationsAreJoinedAndDecoded() throws Exception {
    frame(4, 0, 0, "");
    ByteString block = encode(":status", "200", "x-a", "b".repeat(100));
    frame(1, 0x1, 3, block.substring(0, 10).hex());
    frame(9, 0, 3, block.substring(10, 50).hex());
    frame(9, 0x4, 3, block.substring(50).hex());

    reader.nextFrame(handler);
    reader.nextFrame(handler);
    assertThat(events).containsExactly("settings", "headers 3 true :status=200 x-a=" + "b".repeat(100));
  }

  @Test
  void paddedDataReportsTheFrameLengthForFlowControl() throws IOException {
    frame(4, 0, 0, "");
    frame(0, 0x8 | 0x1, 1, "02" + ByteString.encodeUtf8("hi").hex() + "0000");

    reader.nextFrame(handler);
    reader.nextFrame(handler);
    assertThat(events).containsExactly("settings", "data 1 true hi 5");
    assertThat(in.exhausted()).isTrue();
  }

  @Test
  void cleanEndBetweenFramesReturnsFalseButTruncationFails() throws IOException {
    assertThat(reader.nextFrame(handler)).isFalse();
    in.write(ByteString.decodeHex("0000"));
    assertThatThrownBy(() -> reader.nextFrame(handler)).isInstanceOf(java.io.EOFException.class);
  }

  @Test
  void headerBlocksBeyondFourTimesTheLimitAreRefused() throws Exception {
    FrameReader small = new FrameReader(in, 10_000);
    frame(4, 0, 0, "");
    frame(1, 0, 1, "00".repeat(16_000));
    frame(9, 0, 1, "00".repeat(16_000));
    frame(9, 0, 1, "00".repeat(16_000));

    small.nextFrame(handler);
    assertThatThrownBy(() -> small.nextFrame(handler))
        .isInstanceOfSatisfying(ConnectionErrorException.class,
            e -> assertThat(e.errorCode).isEqualTo(ErrorCodes.ENHANCE_YOUR_CALM))
        .hasMessageContaining("exceeds 40000 bytes");
  }

  @Test
  void priorityOfTheWrongLengthIsAStreamError() throws IOException {
    frame(4, 0, 0, "");
    frame(2, 0, 3, "0000");

    reader.nextFrame(handler);
    assertThatThrownBy(() -> reader.nextFrame(handler))
        .isInstanceOfSatisfying(StreamErrorException.class, e -> {
          assertThat(e.streamId).isEqualTo(3);
          assertThat(e.errorCode).isEqualTo(ErrorCodes.FRAME_SIZE_ERROR);
        });
  }

  private void frame(int type, int flags, int streamId, String payloadHex) {
    ByteString payload = ByteString.decodeHex(payloadHex);
    in.writeByte(payload.size() >>> 16).writeByte(payload.size() >>> 8).writeByte(payload.size());
    in.writeByte(type).writeByte(flags).writeInt(streamId).write(payload);
  }

  private static ByteString encode(String... namesAndValues) throws Exception {
    DefaultHttp2Headers headers = new DefaultHttp2Headers(false);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    ByteBuf out = Unpooled.buffer();
    new DefaultHttp2HeadersEncoder().encodeHeaders(1, headers, out);
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return ByteString.of(bytes);
  }
}
