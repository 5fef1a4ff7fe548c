package dev.courier.http1.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Headers;
import java.io.IOException;
import java.net.ProtocolException;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class BodyFramingTest {
  private final Buffer wire = new Buffer();
  private final RecordingListener listener = new RecordingListener();

  @Test
  void responseFramingFollowsRfc9112Section6() {
    Headers length = Headers.of("Content-Length", "5");
    Headers chunked = Headers.of("Transfer-Encoding", "gzip, chunked", "Content-Length", "5");
    Headers otherCoding = Headers.of("Transfer-Encoding", "chunked, gzip");

    assertThat(BodyFraming.ofResponse("HEAD", 200, length)).isEqualTo(BodyFraming.NONE);
    assertThat(BodyFraming.ofResponse("GET", 204, length)).isEqualTo(BodyFraming.NONE);
    assertThat(BodyFraming.ofResponse("GET", 304, chunked)).isEqualTo(BodyFraming.NONE);
    assertThat(BodyFraming.ofResponse("GET", 103, Headers.EMPTY)).isEqualTo(BodyFraming.NONE);
    assertThat(BodyFraming.ofResponse("GET", 200, length)).isEqualTo(BodyFraming.FIXED_LENGTH);
    assertThat(BodyFraming.ofResponse("GET", 200, chunked)).isEqualTo(BodyFraming.CHUNKED);
    assertThat(BodyFraming.ofResponse("GET", 200, otherCoding)).isEqualTo(BodyFraming.UNTIL_CLOSE);
    assertThat(BodyFraming.ofResponse("GET", 200, Headers.EMPTY)).isEqualTo(BodyFraming.UNTIL_CLOSE);
  }

  @Test
  void chunkedSourceReadsChunksAndTrailersUnderTheReadersLimits() throws IOException {
    wire.writeUtf8("3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nChecksum: 7\r\n\r\n");
    HeadReader reader = new HeadReader(wire, "example.com:80");

    ResponseBodySource source = BodyFraming.CHUNKED.newSource(wire, reader, listener, -1L);
    Buffer body = new Buffer();
    while (source.read(body, 100) != -1L) {
      // Read to the end.
    }

    assertThat(body.readUtf8()).isEqualTo("abcde");
    assertThat(listener.events).containsExactly("ended " + Headers.of("Checksum", "7"));
  }

  @Test
  void chunkSizeLineBeyondTheConfiguredLimitIsAProtocolErrorNamingThePeer() {
    wire.writeUtf8("3;" + "x".repeat(40) + "\r\nabc\r\n0\r\n\r\n");
    HeadReader reader = new HeadReader(wire, "example.com:80",
        Http1Limits.builder().maxChunkSizeLineBytes(16).build());
    ResponseBodySource source = BodyFraming.CHUNKED.newSource(wire, reader, listener, -1L);

    assertThatThrownBy(() -> source.read(new Buffer(), 100))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("Chunk-size line from example.com:80 exceeded 16 bytes");
    assertThat(listener.events).containsExactly("response failed");
  }

  @Test
  void fixedLengthAndEmptySourcesEndWhereTheFramingSays() throws IOException {
    wire.writeUtf8("helloNEXT");
    HeadReader reader = new HeadReader(wire, "example.com:80");

    ResponseBodySource none = BodyFraming.NONE.newSource(wire, reader, listener, 99L);
    assertThat(none.read(new Buffer(), 10)).isEqualTo(-1L);
    ResponseBodySource fixed = BodyFraming.FIXED_LENGTH.newSource(wire, reader, listener, 5L);
    Buffer body = new Buffer();
    while (fixed.read(body, 100) != -1L) {
      // Read to the end.
    }

    assertThat(body.readUtf8()).isEqualTo("hello");
    assertThat(wire.readUtf8()).isEqualTo("NEXT");
    assertThat(listener.events).containsExactly("ended " + Headers.EMPTY, "ended " + Headers.EMPTY);
  }

  @Test
  void untilCloseSourceReadsToTheEndOfTheStream() throws IOException {
    wire.writeUtf8("everything");
    ResponseBodySource source = BodyFraming.UNTIL_CLOSE.newSource(wire,
        new HeadReader(wire, "example.com:80"), listener, -1L);
    Buffer body = new Buffer();
    while (source.read(body, 3) != -1L) {
      // Read to the end.
    }

    assertThat(body.readUtf8()).isEqualTo("everything");
    assertThat(listener.events).containsExactly("ended " + Headers.EMPTY);
  }

  @Test
  void requestSinksFrameTheirBytes() throws IOException {
    Buffer out = new Buffer();
    RequestBodySink chunked = BodyFraming.CHUNKED.newSink(out, "example.com:80", listener, null, -1L);
    chunked.write(new Buffer().writeUtf8("abc"), 3);
    chunked.close();
    RequestBodySink fixed = BodyFraming.FIXED_LENGTH.newSink(out, "example.com:80", listener, null, 2L);
    fixed.write(new Buffer().writeUtf8("de"), 2);
    fixed.close();

    assertThat(out.readUtf8()).isEqualTo("3\r\nabc\r\n0\r\n\r\nde");
    assertThat(listener.events).containsExactly("request closed", "request closed");
  }

  @Test
  void requestBodyCannotBeFramedWithoutALengthOrChunks() {
    assertThatThrownBy(() -> BodyFraming.UNTIL_CLOSE.newSink(new Buffer(), "example.com:80",
        listener, null, -1L))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("example.com:80");
    assertThatThrownBy(() -> BodyFraming.NONE.newSink(new Buffer(), "example.com:80",
        listener, null, 0L))
        .isInstanceOf(IllegalStateException.class);
  }
}
