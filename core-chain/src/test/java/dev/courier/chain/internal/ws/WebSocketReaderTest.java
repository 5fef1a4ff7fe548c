package dev.courier.chain.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.WebSocketProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.Test;

class WebSocketReaderTest {
  private final Buffer source = new Buffer();
  private final List<String> events = new ArrayList<>();
  private final WebSocketReader reader = new WebSocketReader(source, new WebSocketReader.FrameCallback() {
    @Override public void onReadMessage(String text) {
      events.add("text " + text);
    }

    @Override public void onReadMessage(ByteString bytes) {
      events.add("bytes " + bytes.size());
    }

    @Override public void onReadPing(ByteString payload) {
      events.add("ping " + payload.utf8());
    }

    @Override public void onReadPong(ByteString payload) {
      events.add("pong " + payload.utf8());
    }

    @Override public void onReadClose(int code, String reason) {
      events.add("close " + code + " " + reason);
    }
  }, 1000, "example.com:80");

  private void frame(int b0, ByteString payload) {
    source.writeByte(b0);
    if (payload.size() < 126) {
      source.writeByte(payload.size());
    } else {
      source.writeByte(126).writeShort(payload.size());
    }
    source.write(payload);
  }

  private WebSocketProtocolException violation() {
    return (WebSocketProtocolException) org.assertj.core.api.Assertions.catchThrowable(
        reader::processNextFrame);
  }

  @Test
  void messageOfExactlyTheLimitIsAccepted() throws Exception {
    frame(0x02, ByteString.of(new byte[600]));
    frame(0x80, ByteString.of(new byte[400]));
    reader.processNextFrame();
    assertThat(events).containsExactly("bytes 1000");
  }

  @Test
  void messageOneByteOverTheLimitIsTooBig() {
    frame(0x82, ByteString.of(new byte[1001]));
    WebSocketProtocolException failure = violation();
    assertThat(failure.closeCode()).isEqualTo(1009);
    assertThat(failure).hasMessageContaining("example.com:80");
  }

  @Test
  void controlFramesOf125BytesAndValidCloseCodesAreAccepted() throws Exception {
    frame(0x89, ByteString.encodeUtf8("p".repeat(125)));
    frame(0x8a, ByteString.encodeUtf8("pong"));
    frame(0x88, new Buffer().writeShort(4999).writeUtf8("bye").readByteString());
    reader.processNextFrame();
    reader.processNextFrame();
    reader.processNextFrame();
    assertThat(events).containsExactly("ping " + "p".repeat(125), "pong pong", "close 4999 bye");
  }

  @Test
  void closeCodesOutsideTheRangesAreProtocolErrors() {
    for (int code : new int[] {999, 1004, 1006, 1015, 2999, 5000}) {
      source.clear();
      frame(0x88, new Buffer().writeShort(code).readByteString());
      assertThat(violation().closeCode()).as("code " + code).isEqualTo(1002);
    }
  }

  @Test
  void closeReasonThatIsNotUtf8IsAnInvalidPayload() {
    frame(0x88, new Buffer().writeShort(1000).writeByte(0xff).readByteString());
    assertThat(violation().closeCode()).isEqualTo(1007);
  }

  @Test
  void lengthWithTheTopBitSetIsAProtocolError() {
    source.writeByte(0x82).writeByte(127).writeLong(Long.MIN_VALUE);
    assertThat(violation()).hasMessageContaining("most significant bit");
  }

  @Test
  void endOfStreamMidFrameThrows() {
    source.writeByte(0x81).writeByte(10).writeUtf8("short");
    assertThatThrownBy(reader::processNextFrame).isInstanceOf(java.io.EOFException.class);
  }

  private final List<String> inflatedEvents = new ArrayList<>();
  private final WebSocketReader inflatingReader = new WebSocketReader(source, new WebSocketReader.FrameCallback() {
    @Override public void onReadMessage(String text) {
      inflatedEvents.add("text " + text);
    }

    @Override public void onReadMessage(ByteString bytes) {
      inflatedEvents.add("bytes " + bytes.size());
    }

    @Override public void onReadPing(ByteString payload) {
      inflatedEvents.add("ping " + payload.utf8());
    }

    @Override public void onReadPong(ByteString payload) {
      inflatedEvents.add("pong");
    }

    @Override public void onReadClose(int code, String reason) {
      inflatedEvents.add("close " + code);
    }
  }, 1000, "example.com:80", new MessageInflater("example.com:80", true));

  /** Deflates {@code bytes} as a sender does under permessage-deflate, without the sync tail. */
  static ByteString deflate(byte[] bytes) {
    java.util.zip.Deflater deflater = new java.util.zip.Deflater(9, true);
    deflater.setInput(bytes);
    byte[] out = new byte[bytes.length + 1024];
    int length = deflater.deflate(out, 0, out.length, java.util.zip.Deflater.SYNC_FLUSH);
    deflater.end();
    assertThat(ByteString.of(out, length - 4, 4).hex()).isEqualTo("0000ffff");
    return ByteString.of(out, 0, length - 4);
  }

  private WebSocketProtocolException inflatingViolation() {
    return (WebSocketProtocolException) org.assertj.core.api.Assertions.catchThrowable(
        inflatingReader::processNextFrame);
  }

  @Test
  void compressedMessageIsInflatedAndMayBeFragmentedAroundAPing() throws Exception {
    ByteString compressed = deflate("hello hello hello hello".getBytes(StandardCharsets.UTF_8));
    frame(0x41, compressed.substring(0, 3));
    frame(0x89, ByteString.encodeUtf8("p"));
    frame(0x80, compressed.substring(3));
    frame(0x81, ByteString.encodeUtf8("plain"));
    inflatingReader.processNextFrame();
    inflatingReader.processNextFrame();
    assertThat(inflatedEvents).containsExactly("ping p", "text hello hello hello hello", "text plain");
  }

  @Test
  void rsv1OnAContinuationOrControlFrameIsAProtocolError() {
    frame(0x01, ByteString.encodeUtf8("a"));
    frame(0xc0, ByteString.encodeUtf8("b"));
    WebSocketProtocolException failure = inflatingViolation();
    assertThat(failure.closeCode()).isEqualTo(1002);
    assertThat(failure).hasMessageContaining("opcode 0 and RSV1 set");
    source.clear();
    frame(0xc9, ByteString.EMPTY);
    assertThat(inflatingViolation()).hasMessageContaining("opcode 9 and RSV1 set");
  }

  @Test
  void rsv2AndRsv3AreProtocolErrorsEvenWithDeflate() {
    frame(0xa1, ByteString.encodeUtf8("a"));
    assertThat(inflatingViolation().closeCode()).isEqualTo(1002);
    source.clear();
    frame(0x91, ByteString.encodeUtf8("a"));
    assertThat(inflatingViolation()).hasMessageContaining("0x10) that permessage-deflate does not define");
  }

  @Test
  void compressedMessageInflatingPastTheLimitIsTooBig() {
    // 1001 bytes inflate from a handful: judged on the inflated size.
    frame(0xc2, deflate(new byte[1001]));
    WebSocketProtocolException failure = inflatingViolation();
    assertThat(failure.closeCode()).isEqualTo(1009);
    assertThat(failure).hasMessageContaining("example.com:80").hasMessageContaining("inflates to more than 1000");
  }

  @Test
  void compressedMessageOfExactlyTheLimitIsAccepted() throws Exception {
    frame(0xc2, deflate(new byte[1000]));
    inflatingReader.processNextFrame();
    assertThat(inflatedEvents).containsExactly("bytes 1000");
  }

  @Test
  void compressedGarbageIsAnInvalidPayload() {
    frame(0xc1, ByteString.decodeHex("ffffffffff"));
    WebSocketProtocolException failure = inflatingViolation();
    assertThat(failure.closeCode()).isEqualTo(1007);
    assertThat(failure).hasMessageContaining("not valid DEFLATE data");
  }

  @Test
  void compressedTextThatIsNotUtf8IsAnInvalidPayload() {
    frame(0xc1, deflate(new byte[] {(byte) 0xc3, 0x28}));
    assertThat(inflatingViolation().closeCode()).isEqualTo(1007);
  }

  @Test
  void rsv1WithoutDeflateIsStillAProtocolError() {
    frame(0xc1, deflate(new byte[] {'a'}));
    assertThat(violation()).hasMessageContaining("no extension was negotiated");
  }

  @Test
  void messageAfterAFinalBlockMayReferToTheOneBefore() throws Exception {
    byte[] first = "a sentence the second message repeats".getBytes(StandardCharsets.UTF_8);
    // The first message ends its DEFLATE stream with a final block (BFINAL), as some servers do.
    java.util.zip.Deflater deflater = new java.util.zip.Deflater(9, true);
    deflater.setInput(first);
    deflater.finish();
    byte[] out = new byte[256];
    int length = deflater.deflate(out);
    deflater.end();
    frame(0xc1, ByteString.of(out, 0, length));
    // The second starts a new stream on the same window: it refers back into the first.
    java.util.zip.Deflater next = new java.util.zip.Deflater(9, true);
    next.setDictionary(first);
    ByteString second = deflateWith(next, "again: a sentence the second message repeats");
    frame(0xc1, second);
    inflatingReader.processNextFrame();
    inflatingReader.processNextFrame();
    assertThat(inflatedEvents).containsExactly("text a sentence the second message repeats",
        "text again: a sentence the second message repeats");
    assertThat(second.size()).isLessThan(30);
  }

  private static ByteString deflateWith(java.util.zip.Deflater deflater, String text) {
    deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
    byte[] out = new byte[text.length() + 64];
    int length = deflater.deflate(out, 0, out.length, java.util.zip.Deflater.SYNC_FLUSH);
    deflater.end();
    return ByteString.of(out, 0, length - 4);
  }
}
