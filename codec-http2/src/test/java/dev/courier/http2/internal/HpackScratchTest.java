package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Request;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HpackScratchTest {
  @Test
  void writesLatin1LiteralsAsNettyDoesReplacingWiderCharsAndGrowing() {
    String text = "caf\u00e9 \u20ac x".repeat(300); // longer than the initial capacity
    HpackScratch scratch = new HpackScratch(16);
    scratch.writeByte(7);

    int written = scratch.writeCharSequence(text, StandardCharsets.ISO_8859_1);

    ByteBuf netty = Unpooled.buffer(16).writeByte(7);
    netty.writeCharSequence(text, StandardCharsets.ISO_8859_1);
    assertThat(written).isEqualTo(text.length());
    assertThat(ByteBufUtil.getBytes(scratch)).isEqualTo(ByteBufUtil.getBytes(netty));
    assertThat(scratch.getByte(1 + 3)).isEqualTo((byte) 0xe9);
    assertThat(scratch.getByte(1 + 5)).isEqualTo((byte) '?');
  }

  @Test
  void otherCharsetsAreWrittenByNetty() {
    HpackScratch scratch = new HpackScratch(4);

    int written = scratch.writeCharSequence("\u20ac", StandardCharsets.UTF_8);

    assertThat(written).isEqualTo(3);
    assertThat(ByteBufUtil.getBytes(scratch)).isEqualTo("\u20ac".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void encodedBlocksAreThoseOfNettysEncoderWithItsOwnBuffer() throws Exception {
    Request request = new Request.Builder().url("https://example.com:8443/a/b?c=d")
        .header("User-Agent", "courier/1").header("X-Name", "caf\u00e9 \u20ac").header("Cookie", "a=b")
        .header("Accept", "*/*").build();
    HpackWriter writer = new HpackWriter();
    DefaultHttp2HeadersEncoder netty = new DefaultHttp2HeadersEncoder((name, value) ->
        name.toString().equals("cookie") && value.length() < 20, true);

    for (int streamId = 1; streamId <= 5; streamId += 2) {
      byte[] ours = ByteBufUtil.getBytes(writer.encode(streamId, request));
      Http2Headers headers = new DefaultHttp2Headers(false).method("GET").scheme("https")
          .authority("example.com:8443").path("/a/b?c=d");
      headers.add("user-agent", "courier/1").add("x-name", "caf\u00e9 \u20ac").add("cookie", "a=b").add("accept", "*/*");
      ByteBuf theirs = Unpooled.buffer();
      netty.encodeHeaders(streamId, headers, theirs);
      assertThat(ours).isEqualTo(ByteBufUtil.getBytes(theirs));
    }
  }
}
