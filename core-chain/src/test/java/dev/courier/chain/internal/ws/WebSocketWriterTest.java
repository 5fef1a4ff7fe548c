package dev.courier.chain.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.Test;

class WebSocketWriterTest {
  private final Buffer sink = new Buffer();

  /** Reads one frame from the sink: first byte, then the unmasked payload. */
  private ByteString readFrame(int expectedB0) throws Exception {
    assertThat(sink.readByte() & 0xff).isEqualTo(expectedB0);
    int b1 = sink.readByte() & 0xff;
    assertThat(b1 & 0x80).as("mask bit").isEqualTo(0x80);
    long length = b1 & 0x7f;
    if (length == 126) {
      length = sink.readShort() & 0xffff;
    } else if (length == 127) {
      length = sink.readLong();
    }
    byte[] mask = sink.readByteArray(4);
    byte[] payload = sink.readByteArray(length);
    for (int i = 0; i < payload.length; i++) {
      payload[i] ^= mask[i & 3];
    }
    return ByteString.of(payload);
  }

  @Test
  void everyFrameIsMaskedWithItsOwnKey() throws Exception {
    WebSocketWriter writer = new WebSocketWriter(sink, new Random(1), 1 << 20);
    ByteString zeros = ByteString.of(new byte[8]);
    writer.writeMessage(WebSocketProtocol.OPCODE_BINARY, zeros);
    writer.writeMessage(WebSocketProtocol.OPCODE_BINARY, zeros);
    ByteString first = sink.copy().readByteString();
    // Masked zeros show the key on the wire: two frames, two different keys.
    assertThat(first.substring(2, 6)).isNotEqualTo(first.substring(16, 20));
    assertThat(first.substring(6, 14)).isEqualTo(new Buffer().write(first.substring(2, 6)).write(first.substring(2, 6)).readByteString());
    assertThat(readFrame(0x82)).isEqualTo(zeros);
    assertThat(readFrame(0x82)).isEqualTo(zeros);
  }

  @Test
  void lengthsUseTheThreeEncodings() throws Exception {
    WebSocketWriter writer = new WebSocketWriter(sink, new Random(2), Integer.MAX_VALUE);
    for (int size : new int[] {0, 125, 126, 65_535, 65_536, 200_000}) {
      ByteString payload = ByteString.of(new byte[size]);
      writer.writeMessage(WebSocketProtocol.OPCODE_TEXT, payload);
      assertThat(readFrame(0x81)).isEqualTo(payload);
    }
    assertThat(sink.size()).isZero();
  }

  @Test
  void longMessagesAreFragmented() throws Exception {
    WebSocketWriter writer = new WebSocketWriter(sink, new Random(3), 10);
    writer.writeMessage(WebSocketProtocol.OPCODE_TEXT, ByteString.encodeUtf8("0123456789abcdefghijXYZ"));
    assertThat(readFrame(0x01).utf8()).isEqualTo("0123456789");
    assertThat(readFrame(0x00).utf8()).isEqualTo("abcdefghij");
    assertThat(readFrame(0x80).utf8()).isEqualTo("XYZ");
    assertThat(sink.size()).isZero();
  }

  @Test
  void closeFrameCarriesCodeAndReason() throws Exception {
    WebSocketWriter writer = new WebSocketWriter(sink, new Random(4), 10);
    writer.writeClose(1001, "going away, far away");
    ByteString payload = readFrame(0x88);
    assertThat(payload.substring(0, 2)).isEqualTo(ByteString.of((byte) 0x03, (byte) 0xe9));
    assertThat(payload.substring(2).utf8()).isEqualTo("going away, far away");
  }

  private static byte[] inflate(java.util.zip.Inflater inflater, ByteString compressed) throws Exception {
    inflater.setInput(new Buffer().write(compressed).write(ByteString.decodeHex("0000ffff")).readByteArray());
    Buffer out = new Buffer();
    byte[] chunk = new byte[4096];
    int n;
    while ((n = inflater.inflate(chunk)) > 0) {
      out.write(chunk, 0, n);
    }
    return out.readByteArray();
  }

  @Test
  void compressedMessagesSetRsv1OnTheFirstFrameOnlyAndKeepTheirContext() throws Exception {
    WebSocketWriter writer = new WebSocketWriter(sink, new Random(1), 100, new MessageDeflater(false));
    String text = "the same sentence, over and over. ".repeat(40);
    writer.writeMessage(WebSocketProtocol.OPCODE_TEXT, ByteString.encodeUtf8(text));
    writer.writeMessage(WebSocketProtocol.OPCODE_TEXT, ByteString.encodeUtf8(text));
    writer.writeControl(WebSocketProtocol.OPCODE_PING, ByteString.encodeUtf8("ping"));
    writer.writeMessage(WebSocketProtocol.OPCODE_BINARY, ByteString.EMPTY);
    java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
    ByteString first = readFrame(0xc1);
    assertThat(first.size()).isLessThan(100);
    assertThat(new String(inflate(inflater, first), StandardCharsets.UTF_8)).isEqualTo(text);
    // The second copy refers back to the first: a few bytes, only with the shared context.
    ByteString second = readFrame(0xc1);
    assertThat(second.size()).isLessThan(20);
    assertThat(new String(inflate(inflater, second), StandardCharsets.UTF_8)).isEqualTo(text);
    assertThat(readFrame(0x89).utf8()).isEqualTo("ping");
    // An empty message goes as it is.
    assertThat(readFrame(0x82).size()).isZero();
    inflater.end();
    writer.close();
  }

  @Test
  void withoutContextTakeoverEachMessageInflatesOnItsOwn() throws Exception {
    WebSocketWriter writer = new WebSocketWriter(sink, new Random(1), 1 << 20, new MessageDeflater(true));
    String text = "the same sentence, over and over. ".repeat(40);
    writer.writeMessage(WebSocketProtocol.OPCODE_TEXT, ByteString.encodeUtf8(text));
    writer.writeMessage(WebSocketProtocol.OPCODE_TEXT, ByteString.encodeUtf8(text));
    ByteString first = readFrame(0xc1);
    ByteString second = readFrame(0xc1);
    assertThat(second).isEqualTo(first);
    java.util.zip.Inflater fresh = new java.util.zip.Inflater(true);
    assertThat(new String(inflate(fresh, second), StandardCharsets.UTF_8)).isEqualTo(text);
    fresh.end();
    writer.close();
  }

  @Test
  void longCompressedMessagesAreFragmentedAfterCompression() throws Exception {
    WebSocketWriter writer = new WebSocketWriter(sink, new Random(1), 1000, new MessageDeflater(false));
    byte[] random = new byte[2500];
    new Random(7).nextBytes(random);
    writer.writeMessage(WebSocketProtocol.OPCODE_BINARY, ByteString.of(random));
    Buffer compressed = new Buffer();
    compressed.write(readFrame(0x42));
    compressed.write(readFrame(0x00));
    compressed.write(readFrame(0x80));
    assertThat(sink.size()).isZero();
    java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
    assertThat(inflate(inflater, compressed.readByteString())).isEqualTo(random);
    inflater.end();
    writer.close();
  }

  @Test
  void closedWriterRefusesToWrite() {
    WebSocketWriter writer = new WebSocketWriter(sink, new Random(1), 1000, new MessageDeflater(false));
    writer.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> writer.writeMessage(WebSocketProtocol.OPCODE_TEXT, ByteString.encodeUtf8("x")))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("closed");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> writer.writeClose(1000, null)).hasMessageContaining("closed");
  }
}
