package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class HpackReaderTest {
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  private final HpackReader reader = new HpackReader(1024);

  @Test
  void decodesFieldsInOrderAcrossBlocksSharingTheDynamicTable() throws Exception {
    HpackReader.Fields first = reader.decode(1, encode(":status", "200", "x-custom", "one"));
    assertThat(first.size()).isEqualTo(2);
    assertThat(first.name(0)).isEqualTo(":status");
    assertThat(first.value(0)).isEqualTo("200");
    assertThat(first.name(1)).isEqualTo("x-custom");
    assertThat(first.value(1)).isEqualTo("one");

    Buffer second = encode(":status", "404", "x-custom", "one");
    HpackReader.Fields decoded = reader.decode(3, second);
    assertThat(decoded.size()).isEqualTo(2);
    assertThat(decoded.value(0)).isEqualTo("404");
    assertThat(decoded.value(1)).isEqualTo("one");
    assertThat(decoded.exceedsLimit()).isFalse();
  }

  @Test
  void listOverTheLimitIsFlaggedAndTheTableStaysInStep() throws Exception {
    HpackReader.Fields big = reader.decode(1, encode(":status", "200", "x-big", "a".repeat(2_000)));
    assertThat(big.exceedsLimit()).isTrue();

    HpackReader.Fields next = reader.decode(3, encode(":status", "200", "x-small", "b"));
    assertThat(next.exceedsLimit()).isFalse();
    assertThat(next.value(1)).isEqualTo("b");
  }

  @Test
  void repeatedLiteralFieldsReuseTheirStringsAndDifferentOnesDecodeAsSent() throws Exception {
    // Never-indexed fields arrive as literals in every block, as a server's date or etag may.
    DefaultHttp2HeadersEncoder literal = new DefaultHttp2HeadersEncoder((name, value) -> true);
    String first = reader.decode(1, encode(literal, "date", "Sat, 05 Dec 2026 03:10:00 GMT")).value(0);
    String again = reader.decode(3, encode(literal, "date", "Sat, 05 Dec 2026 03:10:00 GMT")).value(0);
    assertThat(again).isEqualTo("Sat, 05 Dec 2026 03:10:00 GMT").isSameAs(first);

    for (int i = 0; i < 200; i++) { // Values that change in every block.
      String value = "value-" + i;
      HpackReader.Fields fields = reader.decode(5 + 2 * i, encode(literal, "x-n", value, "x-m", value + "!"));
      assertThat(fields.value(0)).isEqualTo(value);
      assertThat(fields.value(1)).isEqualTo(value + "!");
      assertThat(fields.name(1)).isEqualTo("x-m");
    }
    String longValue = "v".repeat(100);
    assertThat(reader.decode(1001, encode(literal, "x-long", longValue)).value(0)).isEqualTo(longValue);
  }

  @Test
  void aTypicalResponseHeadRepeatedReusesEveryString() throws Exception {
    // A head shaped like nginx's: every value (and the names without a static-table entry) sent
    // as a literal in each response.
    DefaultHttp2HeadersEncoder literal = new DefaultHttp2HeadersEncoder((name, value) -> true);
    String[] head = {":status", "200", "server", "nginx/1.22.1",
        "date", "Sat, 05 Dec 2026 04:20:00 GMT", "content-type", "application/octet-stream",
        "content-length", "1024", "last-modified", "Fri, 04 Dec 2026 22:11:09 GMT",
        "etag", "\"6571a3c2-400\"", "accept-ranges", "bytes", "x-request-id", "3f2a9c"};
    HpackReader.Fields first = reader.decode(1, encode(literal, head));
    String[] firstStrings = new String[first.size() * 2];
    for (int i = 0; i < first.size(); i++) {
      firstStrings[2 * i] = first.name(i);
      firstStrings[2 * i + 1] = first.value(i);
    }

    HpackReader.Fields again = reader.decode(3, encode(literal, head));
    assertThat(again.size()).isEqualTo(head.length / 2);
    for (int i = 0; i < again.size(); i++) {
      assertThat(again.name(i)).isEqualTo(head[2 * i]).isSameAs(firstStrings[2 * i]);
      assertThat(again.value(i)).as(head[2 * i]).isEqualTo(head[2 * i + 1])
          .isSameAs(firstStrings[2 * i + 1]);
    }
  }

  @Test
  void garbageIsACompressionError() {
    Buffer garbage = new Buffer().write(okio.ByteString.decodeHex("ffffffffffffff"));
    assertThatThrownBy(() -> reader.decode(1, garbage))
        .isInstanceOfSatisfying(ConnectionErrorException.class,
            e -> assertThat(e.errorCode).isEqualTo(ErrorCodes.COMPRESSION_ERROR))
        .hasMessageStartingWith("HPACK decoding failed");
  }

  private Buffer encode(String... namesAndValues) throws Exception {
    return encode(encoder, namesAndValues);
  }

  private static Buffer encode(DefaultHttp2HeadersEncoder encoder, String... namesAndValues)
      throws Exception {
    DefaultHttp2Headers headers = new DefaultHttp2Headers(false);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    ByteBuf out = Unpooled.buffer();
    encoder.encodeHeaders(1, headers, out);
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return new Buffer().write(bytes);
  }
}
