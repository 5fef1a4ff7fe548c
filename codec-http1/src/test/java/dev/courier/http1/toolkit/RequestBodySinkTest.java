package dev.courier.http1.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Headers;
import dev.courier.MediaType;
import dev.courier.RequestBody;
import dev.courier.internal.ArrayWritable;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import okio.Buffer;
import okio.BufferedSink;
import okio.Okio;
import okio.Sink;
import okio.Timeout;
import org.junit.jupiter.api.Test;

/** Array writes through codec-http1's request body sinks, straight to the sink under the buffer. */
class RequestBodySinkTest {
  private static final String PEER = "example.com:80";

  private final RecordingListener listener = new RecordingListener();
  private final WireSink wire = new WireSink();
  private final BufferedSink connection = Okio.buffer(wire);

  @Test
  void fixedLengthArrayGoesStraightBelowTheBufferAfterTheBufferedHead() throws IOException {
    byte[] body = pattern(100_000);
    connection.writeUtf8("PUT / HTTP/1.1\r\nContent-Length: 100010\r\n\r\n");
    RequestBodySink sink = BodyFraming.FIXED_LENGTH.newSink(connection, wire, PEER, listener, null, 100_010L);

    sink.write(body, 0, body.length);
    sink.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0, 10);
    sink.close();
    connection.flush();

    assertThat(wire.calls).containsExactly("buffer 42", "array 100000", "buffer 10", "flush");
    assertThat(wire.received.readUtf8(42)).isEqualTo("PUT / HTTP/1.1\r\nContent-Length: 100010\r\n\r\n");
    assertThat(wire.received.readByteArray(100_000)).isEqualTo(body);
    assertThat(wire.received.readByteArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(listener.events).containsExactly("request closed");
  }

  @Test
  void arrayBeyondTheDeclaredLengthFailsNamingThePeerBeforeWritingAByte() throws IOException {
    RequestBodySink sink = BodyFraming.FIXED_LENGTH.newSink(connection, wire, PEER, listener, null, 10_000L);
    sink.write(pattern(8192), 0, 8192);

    assertThatThrownBy(() -> sink.write(pattern(8192), 0, 8192))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("Request body to example.com:80 expected 10000 bytes but received 16384");
    assertThat(wire.calls).containsExactly("array 8192");
    assertThat(listener.events).containsExactly("request failed");
    assertThatThrownBy(() -> sink.write(pattern(8192), 0, 8192))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingAfterFewerArrayBytesThanDeclaredFailsNamingThePeer() throws IOException {
    RequestBodySink sink = BodyFraming.FIXED_LENGTH.newSink(connection, wire, PEER, listener, null, 20_000L);
    sink.write(pattern(10_000), 0, 10_000);

    assertThatThrownBy(sink::close)
        .isInstanceOf(ProtocolException.class)
        .hasMessage("Request body to example.com:80 expected 20000 bytes but received 10000");
    assertThat(listener.events).containsExactly("request failed");
  }

  @Test
  void chunkedArraysAreFramedAroundTheDirectWrites() throws IOException {
    RequestBody withTrailers = new RequestBody() {
      @Override
      public MediaType contentType() {
        return null;
      }

      @Override
      public void writeTo(BufferedSink sink) {}

      @Override
      public Headers trailers() {
        return Headers.of("Checksum", "abc");
      }
    };
    byte[] large = pattern(70_000);
    RequestBodySink sink = BodyFraming.CHUNKED.newSink(connection, wire, PEER, listener, withTrailers, -1L);

    sink.write(large, 5, 69_000);
    sink.write(new byte[] {'x', 'y', 'z'}, 0, 3);
    sink.write(large, 0, 8192);
    sink.close();
    connection.flush();

    Buffer expected = new Buffer()
        .writeUtf8("10d88\r\n").write(large, 5, 69_000).writeUtf8("\r\n")
        .writeUtf8("3\r\nxyz\r\n")
        .writeUtf8("2000\r\n").write(large, 0, 8192).writeUtf8("\r\n")
        .writeUtf8("0\r\nChecksum: abc\r\n\r\n");
    assertThat(wire.received.readByteString()).isEqualTo(expected.readByteString());
    assertThat(wire.calls).contains("array 69000", "array 8192");
    assertThat(listener.events).containsExactly("request closed");
  }

  @Test
  void withoutASinkBelowArraysGoThroughTheBuffer() throws IOException {
    byte[] body = pattern(50_000);
    RequestBodySink sink = BodyFraming.FIXED_LENGTH.newSink(connection, null, PEER, listener, null, 50_000L);

    sink.write(body, 0, body.length);
    sink.close();
    connection.flush();

    assertThat(wire.calls).noneMatch(call -> call.startsWith("array"));
    assertThat(wire.received.readByteArray()).isEqualTo(body);
    assertThat(sink.bypassesBuffer()).isFalse();
    assertThat(BodyFraming.CHUNKED.newSink(connection, wire, PEER, listener, null, -1L).bypassesBuffer())
        .isTrue();
  }

  @Test
  void aSinkBelowThatCannotTakeArraysIsWrittenThroughTheBuffer() throws IOException {
    Buffer plain = new Buffer();
    BufferedSink buffered = Okio.buffer((Sink) plain);
    byte[] body = pattern(20_000);
    RequestBodySink sink = BodyFraming.FIXED_LENGTH.newSink(buffered, plain, PEER, listener, null, 20_000L);

    sink.write(body, 0, body.length);
    sink.close();
    buffered.flush();

    assertThat(plain.readByteArray()).isEqualTo(body);
    assertThat(sink.bypassesBuffer()).isFalse();
  }

  @Test
  void aSubclassWithOnlyBufferWritesStillTakesArrays() throws IOException {
    RequestBodySink upper = new RequestBodySink(connection, wire, PEER, listener, null) {
      @Override
      protected void writeFramed(Buffer source, long byteCount) throws IOException {
        sink.writeUtf8(source.readUtf8(byteCount).toUpperCase());
      }

      @Override
      protected void writeEnd() {}
    };

    upper.write("hello".getBytes(), 1, 3);
    upper.close();
    connection.flush();

    assertThat(wire.received.readUtf8()).isEqualTo("ELL");
  }

  @Test
  void aFailingWriteBelowFailsTheBody() {
    wire.failure = new IOException("broken pipe");
    RequestBodySink sink = BodyFraming.FIXED_LENGTH.newSink(connection, wire, PEER, listener, null, 9000L);

    assertThatThrownBy(() -> sink.write(pattern(9000), 0, 9000)).hasMessage("broken pipe");
    assertThat(listener.events).containsExactly("request failed");
  }

  @Test
  void arrayWritesCheckTheirBounds() throws IOException {
    RequestBodySink sink = BodyFraming.FIXED_LENGTH.newSink(connection, wire, PEER, listener, null, 10L);

    assertThatThrownBy(() -> sink.write(new byte[10], 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
    sink.write(new byte[10], 10, 0);
    assertThat(wire.calls).isEmpty();
    assertThat(listener.events).isEmpty();
  }

  private static byte[] pattern(int size) {
    byte[] result = new byte[size];
    for (int i = 0; i < size; i++) {
      result[i] = (byte) (i * 7 + i / 251);
    }
    return result;
  }

  /** What lies under the connection's buffer: records each call and the bytes, in order. */
  private static final class WireSink implements Sink, ArrayWritable {
    final Buffer received = new Buffer();
    final List<String> calls = new ArrayList<>();
    IOException failure;

    @Override
    public void write(Buffer source, long byteCount) throws IOException {
      calls.add("buffer " + byteCount);
      received.write(source, byteCount);
    }

    @Override
    public void write(byte[] source, int offset, int byteCount) throws IOException {
      if (failure != null) {
        throw failure;
      }
      calls.add("array " + byteCount);
      received.write(Arrays.copyOfRange(source, offset, offset + byteCount));
    }

    @Override
    public void flush() {
      calls.add("flush");
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public void close() {}
  }
}
