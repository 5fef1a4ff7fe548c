package dev.courier.chain.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.WebSocketProtocolException;
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
}
