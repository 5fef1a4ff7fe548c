package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.Http2Headers;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/** Checks that the microbenchmark decodes what it claims to, with both decoders. */
class HpackDecodingBenchmarkTest {
  @Test
  void blockIsEncodedAsNginxEncodesIt() {
    ByteString block = HpackDecodingBenchmark.encodeLikeNginx(
        ":status", "200", "server", "nginx/1.22.1");

    assertThat(block.getByte(0) & 0xff).isEqualTo(0x80 | 8); // :status 200, static index 8.
    // server: a literal without indexing, named by static index 54 (15 + 39), value Huffman-coded.
    assertThat(block.getByte(1) & 0xff).isEqualTo(0x0f);
    assertThat(block.getByte(2) & 0xff).isEqualTo(39);
    assertThat(block.getByte(3) & 0x80).isEqualTo(0x80);
    assertThat(block.getByte(3) & 0x7f).isLessThan("nginx/1.22.1".length());
    assertThat(block.size()).isEqualTo(4 + (block.getByte(3) & 0x7f));
  }

  @Test
  void bothDecodersSeeTheNginxLikeResponse() throws Exception {
    HpackDecodingBenchmark benchmark = new HpackDecodingBenchmark();
    benchmark.setUp();

    HpackReader.Fields fields = benchmark.courier();
    assertThat(fields.exceedsLimit()).isFalse();
    assertThat(fields.size()).isEqualTo(8);
    assertThat(fields.name(0)).isEqualTo(":status");
    assertThat(fields.value(0)).isEqualTo("200");
    assertThat(fields.name(6)).isEqualTo("etag");
    assertThat(fields.value(6)).isEqualTo("\"6750e0f0-400\"");
    assertThat(benchmark.courier().value(1)).isEqualTo("nginx/1.22.1"); // Stateless: decodes again alike.

    Http2Headers netty = (Http2Headers) benchmark.netty();
    assertThat(netty.size()).isEqualTo(8);
    assertThat(netty.get("date").toString()).isEqualTo("Fri, 04 Dec 2026 23:59:59 GMT");
    assertThat(netty.get("accept-ranges").toString()).isEqualTo("bytes");
    assertThat(((Http2Headers) benchmark.netty()).status().toString()).isEqualTo("200");
  }
}
