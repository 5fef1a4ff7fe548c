package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/** Courier's HPACK against RFC 7541's examples and against Netty's encoder as an independent peer. */
class HpackTest {
  private final HpackReader reader = new HpackReader(1 << 20);

  @Test
  void decodesTheRfcRequestExamplesWithHuffmanSharingTheDynamicTable() throws Exception {
    // RFC 7541 Appendix C.4.1 to C.4.3.
    assertThat(decode("828684418cf1e3c2e5f23a6ba0ab90f4ff")).containsExactly(
        ":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com");
    assertThat(decode("828684be5886a8eb10649cbf")).containsExactly(
        ":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com",
        "cache-control", "no-cache");
    assertThat(decode("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf")).containsExactly(
        ":method", "GET", ":scheme", "https", ":path", "/index.html", ":authority", "www.example.com",
        "custom-key", "custom-value");
  }

  @Test
  void decodesWhatNettyEncodesAcrossManyBlocksWithEveryByteValue() throws Exception {
    DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    Random random = new Random(7);
    for (int block = 0; block < 300; block++) {
      List<String> expected = new ArrayList<>(List.of(":status", String.valueOf(100 + random.nextInt(500))));
      for (int field = random.nextInt(8); field > 0; field--) {
        // Names repeat often, so the dynamic table is hit, filled and evicted.
        expected.add("x-field-" + random.nextInt(12));
        expected.add(randomLatin1(random, random.nextInt(5) == 0 ? 900 : 20));
      }
      DefaultHttp2Headers headers = new DefaultHttp2Headers(false);
      for (int i = 0; i < expected.size(); i += 2) {
        headers.add(expected.get(i), expected.get(i + 1));
      }
      ByteBuf out = Unpooled.buffer();
      encoder.encodeHeaders(1, headers, out);
      byte[] bytes = new byte[out.readableBytes()];
      out.readBytes(bytes);
      assertThat(fields(reader.decode(1, new Buffer().write(bytes)))).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void huffmanRoundTripsEveryByteValue() {
    StringBuilder all = new StringBuilder();
    for (int c = 0; c < 256; c++) {
      all.append((char) c);
    }
    String s = all.toString() + "www.example.com";
    byte[] encoded = new byte[Hpack.huffmanLength(s)];
    Hpack.huffmanEncode(s, encoded, 0);
    byte[] decoded = new byte[encoded.length * 8 / 5 + 1];
    int count = Hpack.huffmanDecode(encoded, 0, encoded.length, decoded);

    assertThat(new String(decoded, 0, count, StandardCharsets.ISO_8859_1)).isEqualTo(s);
  }

  @Test
  void huffmanRejectsLongPaddingPaddingWithZerosAndEos() {
    byte[] out = new byte[64];
    // "a" is 00011 (RFC 7541 Appendix B); the rest of the byte must be ones, and no more than 7 bits.
    assertThat(Hpack.huffmanDecode(bytes("1f"), 0, 1, out)).isEqualTo(1);
    assertThat(Hpack.huffmanDecode(bytes("1fff"), 0, 2, out)).isEqualTo(-1);
    assertThat(Hpack.huffmanDecode(bytes("1e"), 0, 1, out)).isEqualTo(-1);
    // EOS is thirty ones.
    assertThat(Hpack.huffmanDecode(bytes("ffffffff"), 0, 4, out)).isEqualTo(-1);
  }

  @Test
  void malformedBlocksAreCompressionErrors() {
    assertCompressionError("bf", "beyond the tables"); // Index 63 with an empty dynamic table.
    assertCompressionError("80", "index 0");
    assertCompressionError("8220", "size update after a field");
    assertCompressionError("3fe21f", "exceeds 4096"); // A size update to 4097.
    assertCompressionError("40", "truncated string");
    assertCompressionError("40058281", "overruns the block");
    assertCompressionError("ffffffffff7f", "integer overflow");
    assertCompressionError("ff", "truncated integer");
    assertCompressionError("408181ff", "invalid Huffman string");
  }

  @Test
  void sizeUpdateAtTheStartEvictsAndTheTableKeepsWorking() throws Exception {
    decode("4003782d6101614003782d62026278"); // Adds x-a: a, then x-b: bx.
    assertThat(decode("be")).containsExactly("x-b", "bx"); // Index 62: the newest.
    decode("20"); // Size 0: empties the table.
    assertThatThrownBy(() -> decode("be")).isInstanceOf(ConnectionErrorException.class);
  }

  @Test
  void tableEvictsOldestFirstAndAnOversizedEntryEmptiesIt() {
    HpackTable table = new HpackTable(3 * (32 + 3));
    for (int i = 0; i < 20; i++) {
      table.add("n" + (i % 10), "v"); // 35 bytes each (RFC 7541 §4.1).
    }
    assertThat(table.count()).isEqualTo(3);
    assertThat(table.name(1)).isEqualTo("n9");
    assertThat(table.name(3)).isEqualTo("n7");

    table.add("x".repeat(100), "y");
    assertThat(table.count()).isZero();
  }

  @Test
  void fieldsBeyondTheListLimitAreDroppedButStillIndexed() throws Exception {
    HpackReader small = new HpackReader(100);
    HpackReader.Fields big = small.decode(1, new Buffer().write(ByteString.decodeHex(
        "40" + "05" + ByteString.encodeUtf8("x-big").hex() + "7f00" + "61".repeat(127))));
    assertThat(big.exceedsLimit()).isTrue();
    assertThat(big.size()).isZero();

    HpackReader.Fields next = small.decode(3, new Buffer().write(ByteString.decodeHex("be")));
    assertThat(next.exceedsLimit()).isTrue(); // The indexed entry is as big as before.
  }

  private List<String> decode(String hex) throws ConnectionErrorException {
    return fields(reader.decode(1, new Buffer().write(ByteString.decodeHex(hex))));
  }

  private void assertCompressionError(String hex, String message) {
    HpackReader fresh = new HpackReader(1 << 20);
    assertThatThrownBy(() -> fresh.decode(1, new Buffer().write(ByteString.decodeHex(hex))))
        .isInstanceOfSatisfying(ConnectionErrorException.class,
            e -> assertThat(e.errorCode).isEqualTo(ErrorCodes.COMPRESSION_ERROR))
        .hasMessageContaining(message);
  }

  private static List<String> fields(HpackReader.Fields fields) {
    List<String> result = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      result.add(fields.name(i));
      result.add(fields.value(i));
    }
    return result;
  }

  private static String randomLatin1(Random random, int maxLength) {
    char[] chars = new char[random.nextInt(maxLength + 1)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = random.nextInt(3) == 0 ? (char) random.nextInt(256) : (char) ('a' + random.nextInt(26));
    }
    return new String(chars);
  }

  private static byte[] bytes(String hex) {
    return ByteString.decodeHex(hex).toByteArray();
  }
}
