package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;

/** Checks that the microbenchmark decodes what it claims to, with both decoders. */
class HpackDecodingBenchmarkTest {
  @Test
  void bothDecodersSeeTheNginxLikeResponse() throws Exception {
    HpackDecodingBenchmark benchmark = new HpackDecodingBenchmark();
    benchmark.setUp();

    HpackReader.Fields fields = benchmark.courier();
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
  }
}
