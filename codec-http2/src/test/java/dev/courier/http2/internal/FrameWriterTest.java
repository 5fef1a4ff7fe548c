package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Headers;
import dev.courier.Request;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.io.IOException;
import okio.Buffer;
import okio.ByteString;
import okio.Okio;
import org.junit.jupiter.api.Test;

class FrameWriterTest {
  private final Buffer out = new Buffer();
  private final FrameWriter writer = new FrameWriter(Okio.buffer((okio.Sink) out));

  @Test
  void prefaceIsMagicSettingsAndWindowUpdate() throws IOException {
    writer.connectionPreface(new Settings().set(Settings.ENABLE_PUSH, 0).set(Settings.INITIAL_WINDOW_SIZE, 1 << 20), 1000);

    assertThat(out.readByteString(24)).isEqualTo(FrameReader.CONNECTION_PREFACE);
    assertThat(out.readByteString(9)).isEqualTo(ByteString.decodeHex("00000c" + "04" + "00" + "00000000"));
    assertThat(out.readByteString(12)).isEqualTo(ByteString.decodeHex("0002" + "00000000" + "0004" + "00100000"));
    assertThat(out.readByteString(13)).isEqualTo(ByteString.decodeHex("000004" + "08" + "00" + "00000000" + "000003e8"));
    assertThat(out.exhausted()).isTrue();
  }

  @Test
  void controlFramesHaveTheirWireLayout() throws IOException {
    writer.rstStream(3, ErrorCodes.CANCEL);
    writer.windowUpdate(5, 0x7fffffffL);
    writer.ping(true, 0x1122334455667788L);
    writer.goAway(0, ErrorCodes.PROTOCOL_ERROR, ByteString.encodeUtf8("bad"));

    assertThat(out.readByteString(13)).isEqualTo(ByteString.decodeHex("000004" + "03" + "00" + "00000003" + "00000008"));
    assertThat(out.readByteString(13)).isEqualTo(ByteString.decodeHex("000004" + "08" + "00" + "00000005" + "7fffffff"));
    assertThat(out.readByteString(17)).isEqualTo(ByteString.decodeHex("000008" + "06" + "01" + "00000000" + "1122334455667788"));
    assertThat(out.readByteString(20)).isEqualTo(ByteString.decodeHex("00000b" + "07" + "00" + "00000000" + "00000000" + "00000001" + "626164"));
  }

  @Test
  void dataFrameMovesTheBytesAndSetsEndStream() throws IOException {
    Buffer body = new Buffer().writeUtf8("hello, world");
    writer.data(7, true, body, 5);
    writer.flush();

    assertThat(out.readByteString(9)).isEqualTo(ByteString.decodeHex("000005" + "00" + "01" + "00000007"));
    assertThat(out.readUtf8()).isEqualTo("hello");
    assertThat(body.readUtf8()).isEqualTo(", world");
  }

  @Test
  void largeHeaderBlocksAreSplitIntoContinuationFrames() throws Exception {
    Request request = new Request.Builder().url("http://example.com/").header("x-big", "v".repeat(40_000)).build();
    writer.headers(1, true, request, null);
    writer.flush();

    Buffer block = new Buffer();
    int frames = 0;
    boolean endHeaders = false;
    while (!endHeaders) {
      int length = (out.readByte() & 0xff) << 16 | (out.readByte() & 0xff) << 8 | (out.readByte() & 0xff);
      int type = out.readByte();
      int flags = out.readByte();
      assertThat(out.readInt()).isEqualTo(1);
      assertThat(length).isLessThanOrEqualTo(16_384);
      assertThat(type).isEqualTo(frames == 0 ? Http2FrameTypes.HEADERS : Http2FrameTypes.CONTINUATION);
      if (frames == 0) {
        assertThat(flags & FrameReader.FLAG_END_STREAM).isNotZero();
      }
      endHeaders = (flags & FrameReader.FLAG_END_HEADERS) != 0;
      out.readFully(block, length);
      frames++;
    }
    assertThat(frames).isGreaterThan(1);
    assertThat(out.exhausted()).isTrue();
    Http2Headers decoded = new DefaultHttp2HeadersDecoder(false, 1 << 20)
        .decodeHeaders(1, Unpooled.wrappedBuffer(block.readByteArray()));
    assertThat(decoded.get("x-big").length()).isEqualTo(40_000);
    assertThat(decoded.path().toString()).isEqualTo("/");
  }

  @Test
  void largeTrailersAreOneHeadersFrameWithEndStreamAndContinuations() throws Exception {
    writer.trailers(3, Headers.of("Checksum", "v".repeat(20_000), "Upgrade", "h2c"));
    writer.flush();

    Buffer block = new Buffer();
    int frames = 0;
    boolean endHeaders = false;
    while (!endHeaders) {
      int length = (out.readByte() & 0xff) << 16 | (out.readByte() & 0xff) << 8 | (out.readByte() & 0xff);
      int type = out.readByte();
      int flags = out.readByte();
      assertThat(out.readInt()).isEqualTo(3);
      assertThat(type).isEqualTo(frames == 0 ? Http2FrameTypes.HEADERS : Http2FrameTypes.CONTINUATION);
      if (frames == 0) {
        assertThat(flags & FrameReader.FLAG_END_STREAM).isNotZero();
      }
      endHeaders = (flags & FrameReader.FLAG_END_HEADERS) != 0;
      out.readFully(block, length);
      frames++;
    }
    assertThat(frames).isEqualTo(2);
    assertThat(out.exhausted()).isTrue();
    Http2Headers decoded = new DefaultHttp2HeadersDecoder(false, 1 << 20)
        .decodeHeaders(3, Unpooled.wrappedBuffer(block.readByteArray()));
    assertThat(decoded.size()).isEqualTo(1);
    assertThat(decoded.get("checksum").length()).isEqualTo(20_000);
  }

  @Test
  void peerMaxFrameSizeAppliesAfterSettings() throws IOException {
    assertThat(writer.maxDataLength()).isEqualTo(16_384);
    writer.applyAndAcknowledge(new Settings().set(Settings.MAX_FRAME_SIZE, 100_000));

    assertThat(writer.maxDataLength()).isEqualTo(100_000);
    assertThat(out.readByteString()).isEqualTo(ByteString.decodeHex("000000" + "04" + "01" + "00000000"));
  }
}
