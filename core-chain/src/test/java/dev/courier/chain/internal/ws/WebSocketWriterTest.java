package dev.courier.chain.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;

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
}
