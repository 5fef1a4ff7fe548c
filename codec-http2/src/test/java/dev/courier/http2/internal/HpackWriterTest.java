package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Request;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HpackWriterTest {
  private final HpackWriter writer = new HpackWriter();
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false, 1 << 20);

  @Test
  void authorityCarriesTheNonDefaultPortAndBracketsIpv6() throws Exception {
    assertThat(decode(1, new Request.Builder().url("https://example.com/").build()).authority().toString())
        .isEqualTo("example.com");
    assertThat(decode(3, new Request.Builder().url("http://example.com:8080/").build()).authority().toString())
        .isEqualTo("example.com:8080");
    assertThat(decode(5, new Request.Builder().url("http://[::1]:81/").build()).authority().toString())
        .isEqualTo("[::1]:81");
  }

  @Test
  void fieldsGoInOrderLowercasedWithoutConnectionSpecificOnesBlockAfterBlock() throws Exception {
    Request request = new Request.Builder().url("https://example.com/a?b=c")
        .header("User-Agent", "courier/1").header("X-Trace-ID", "t1").header("Connection", "keep-alive")
        .header("Accept-Encoding", "gzip").build();
    for (int streamId = 1; streamId <= 5; streamId += 2) {
      List<String> fields = new ArrayList<>();
      for (Map.Entry<CharSequence, CharSequence> field : decode(streamId, request)) {
        fields.add(field.getKey() + "=" + field.getValue());
      }
      assertThat(fields).containsExactly(":method=GET", ":scheme=https", ":authority=example.com",
          ":path=/a?b=c", "user-agent=courier/1", "x-trace-id=t1", "accept-encoding=gzip");
    }
  }

  @Test
  void connectHasNoSchemeOrPath() throws Exception {
    Http2Headers headers = decode(1, new Request.Builder().url("https://example.com/")
        .method("CONNECT", null).build());
    assertThat(headers.method().toString()).isEqualTo("CONNECT");
    assertThat(headers.scheme()).isNull();
    assertThat(headers.path()).isNull();
  }

  @Test
  void repeatedHeadersShrinkThroughTheDynamicTable() throws Exception {
    Request request = new Request.Builder().url("https://example.com/items")
        .header("user-agent", "courier-test-agent/1.0").build();
    int first = writer.encode(1, request).readableBytes();
    int second = writer.encode(3, request).readableBytes();
    assertThat(second).isLessThan(first);
  }

  @Test
  void credentialsAreNeverIndexed() throws Exception {
    Request request = new Request.Builder().url("https://example.com/")
        .header("Authorization", "Bearer secret-token-value").build();
    // Never indexed with the static name "authorization" (index 23, RFC 7541 §6.2.3): 0x1f 0x08.
    assertThat(contains(bytes(writer.encode(1, request)), (byte) 0x1f, (byte) 0x08)).isTrue();
    assertThat(contains(bytes(writer.encode(3, request)), (byte) 0x1f, (byte) 0x08)).isTrue();
  }

  @Test
  void peerTableSizeUpdateIsSignalledInTheNextBlock() throws Exception {
    writer.peerHeaderTableSize(0);
    ByteBuf block = writer.encode(1, new Request.Builder().url("https://example.com/").build());
    // A dynamic table size update to 0 is the single byte 001 00000.
    assertThat(block.getByte(block.readerIndex())).isEqualTo((byte) 0x20);
  }

  private Http2Headers decode(int streamId, Request request) throws Exception {
    return decoder.decodeHeaders(streamId, writer.encode(streamId, request).copy());
  }

  private static byte[] bytes(ByteBuf block) {
    byte[] bytes = new byte[block.readableBytes()];
    block.getBytes(block.readerIndex(), bytes);
    return bytes;
  }

  private static boolean contains(byte[] bytes, byte first, byte second) {
    for (int i = 0; i + 1 < bytes.length; i++) {
      if (bytes[i] == first && bytes[i + 1] == second) {
        return true;
      }
    }
    return false;
  }
}
