package dev.courier.http1.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Headers;
import dev.courier.internal.ArrayReadable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.junit.jupiter.api.Test;

/**
 * Tests reads of a response body into the caller's array: from the connection's buffer first,
 * then straight from the source under it, never past the body's end, and ending or failing the
 * body exactly as reads into a buffer do.
 */
class ResponseBodySourceTest {
  private static final String PEER = "example.com:80";
  private static final String NEXT = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext";

  /** What the socket still holds; gives at most 3,000 bytes per read, as a socket may. */
  private final Wire wire = new Wire(3_000);
  private final BufferedSource connection = Okio.buffer(wire);
  private final HeadReader headReader = new HeadReader(connection, PEER);
  private final RecordingListener listener = new RecordingListener();

  @Test
  void fixedLengthBodyReadsStraightFromTheSocketAndStopsAtItsEnd() throws IOException {
    byte[] body = bytes(10_000);
    wire.data.write(body).writeUtf8(NEXT);
    ResponseBodySource source = BodyFraming.FIXED_LENGTH.newSource(connection, wire, headReader,
        listener, body.length);

    byte[] read = readAll(source, 65_536, 0);

    assertThat(read).isEqualTo(body);
    assertThat(wire.arrayReads).isPositive();
    assertThat(wire.bufferReads).isZero();
    assertThat(listener.events).containsExactly("ended " + Headers.EMPTY);
    assertThat(source.read(new byte[10], 0, 10)).isEqualTo(-1);
    // The next response is untouched, in the socket, for the connection's own checks to find.
    assertThat(connection.getBuffer().size()).isZero();
    assertThat(wire.data.readUtf8()).isEqualTo(NEXT);
  }

  @Test
  void bodyBytesAlreadyBufferedWithTheHeadAreReadFirst() throws IOException {
    byte[] body = bytes(20_000);
    wire.data.writeUtf8("HTTP/1.1 200 OK\r\nContent-Length: 20000\r\n\r\n").write(body).writeUtf8(NEXT);
    headReader.readStatusLine();
    headReader.readHeaders();
    long buffered = connection.getBuffer().size();
    assertThat(buffered).isPositive(); // The head's read took some of the body with it.
    ResponseBodySource source = BodyFraming.FIXED_LENGTH.newSource(connection, wire, headReader,
        listener, body.length);

    byte[] read = readAll(source, 16_384, 7);

    assertThat(read).isEqualTo(body);
    assertThat(wire.arrayReads).isPositive();
    assertThat(connection.readUtf8() + wire.data.readUtf8()).isEqualTo(NEXT);
  }

  @Test
  void chunkedBodyAtOddArraySizesAndOffsetsEndsWithItsTrailers() throws IOException {
    byte[] body = bytes(50_001);
    Buffer chunked = new Buffer();
    int[] sizes = {1, 9_000, 17, 30_000, 10_983};
    int position = 0;
    for (int size : sizes) {
      chunked.writeUtf8(Integer.toHexString(size) + (size == 17 ? ";ext=1" : "") + "\r\n")
          .write(body, position, size).writeUtf8("\r\n");
      position += size;
    }
    chunked.writeUtf8("0\r\nChecksum: 7\r\n\r\n");
    wire.data.writeAll(chunked);
    wire.data.writeUtf8(NEXT);
    ResponseBodySource source = BodyFraming.CHUNKED.newSource(connection, wire, headReader,
        listener, -1L);

    byte[] read = readAll(source, 12_345, 3);

    assertThat(read).isEqualTo(body);
    assertThat(wire.arrayReads).isPositive();
    assertThat(listener.events).containsExactly("ended " + Headers.of("Checksum", "7"));
    assertThat(connection.readUtf8() + wire.data.readUtf8()).isEqualTo(NEXT);
  }

  @Test
  void untilCloseBodyReadsToTheEndOfTheStream() throws IOException {
    byte[] body = bytes(7_777);
    wire.data.write(body);
    ResponseBodySource source = BodyFraming.UNTIL_CLOSE.newSource(connection, wire, headReader,
        listener, -1L);

    assertThat(readAll(source, 65_536, 1)).isEqualTo(body);
    assertThat(listener.events).containsExactly("ended " + Headers.EMPTY);
  }

  @Test
  void streamEndingMidBodyFailsNamingThePeerAndLaterReadsFail() throws IOException {
    wire.data.write(bytes(5_000));
    ResponseBodySource source = BodyFraming.FIXED_LENGTH.newSource(connection, wire, headReader,
        listener, 8_000);
    byte[] sink = new byte[65_536];

    assertThatThrownBy(() -> readAll(source, 65_536, 0))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("unexpected end of stream on example.com:80: received 5000 of 8000 body bytes");
    assertThat(listener.events).containsExactly("response failed");
    assertThatThrownBy(() -> source.read(sink, 0, sink.length))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("from example.com:80 failed earlier");
  }

  @Test
  void chunkedStreamEndingMidChunkFailsNamingThePeer() {
    wire.data.writeUtf8("4000\r\n").write(bytes(100));
    ResponseBodySource source = BodyFraming.CHUNKED.newSource(connection, wire, headReader,
        listener, -1L);

    assertThatThrownBy(() -> readAll(source, 65_536, 0))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("unexpected end of stream on example.com:80 in a chunked body");
    assertThat(listener.events).containsExactly("response failed");
  }

  @Test
  void failureOfTheSocketReadFailsTheBody() throws IOException {
    wire.data.write(bytes(100));
    wire.failure = new IOException("connection reset");
    ResponseBodySource source = BodyFraming.FIXED_LENGTH.newSource(connection, wire, headReader,
        listener, 8_000);

    assertThat(source.read(new byte[8192], 0, 8192)).isEqualTo(100);
    assertThat(listener.events).isEmpty();
    assertThatThrownBy(() -> source.read(new byte[8192], 0, 8192)).hasMessage("connection reset");
    assertThat(listener.events).containsExactly("response failed");
  }

  @Test
  void readingAfterCloseIsRefusedAndBadBoundsAreRefusedBeforeReading() throws IOException {
    wire.data.write(bytes(100));
    ResponseBodySource source = BodyFraming.FIXED_LENGTH.newSource(connection, wire, headReader,
        listener, 100);

    assertThatThrownBy(() -> source.read(new byte[10], 5, 6))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(wire.arrayReads + wire.bufferReads).isZero();
    source.close(); // Discards the rest, so the connection stays usable.
    assertThat(listener.events).containsExactly("ended " + Headers.EMPTY);
    assertThatThrownBy(() -> source.read(new byte[10], 0, 10))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void withoutAnUnbufferedSourceArrayReadsGoThroughTheBufferAndStillStopAtTheEnd()
      throws IOException {
    byte[] body = bytes(20_000);
    wire.data.write(body).writeUtf8(NEXT);
    ResponseBodySource source = BodyFraming.FIXED_LENGTH.newSource(connection, headReader,
        listener, body.length);

    assertThat(readAll(source, 65_536, 0)).isEqualTo(body);
    assertThat(wire.arrayReads).isZero();
    assertThat(connection.readUtf8() + wire.data.readUtf8()).isEqualTo(NEXT);
  }

  @Test
  void subclassReadingOnlyIntoBuffersServesArrayReadsToo() throws IOException {
    wire.data.writeUtf8("abcdef");
    ResponseBodySource source = new ResponseBodySource(connection, wire, PEER, listener) {
      private int left = 4;

      @Override
      protected long readFramed(Buffer sink, long byteCount) throws IOException {
        if (left == 0) {
          endOfBody(Headers.EMPTY);
          return -1L;
        }
        long read = source.read(sink, Math.min(byteCount, left));
        left -= (int) read;
        return read;
      }
    };

    assertThat(new String(readAll(source, 3, 0), StandardCharsets.US_ASCII)).isEqualTo("abcd");
    assertThat(listener.events).containsExactly("ended " + Headers.EMPTY);
  }

  /** Reads {@code source} to its end into arrays of {@code arrayBytes} at {@code offset}. */
  private static byte[] readAll(ResponseBodySource source, int arrayBytes, int offset)
      throws IOException {
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    byte[] sink = new byte[offset + arrayBytes];
    for (int read; (read = source.read(sink, offset, arrayBytes)) != -1; ) {
      assertThat(read).isPositive();
      result.write(sink, offset, read);
    }
    return result.toByteArray();
  }

  private static byte[] bytes(int length) {
    byte[] result = new byte[length];
    for (int i = 0; i < length; i++) {
      result[i] = (byte) (i * 31 + (i >>> 8));
    }
    return result;
  }

  /** The socket under the connection's buffer: serves {@link #data} through both paths. */
  private static final class Wire implements Source, ArrayReadable {
    final Buffer data = new Buffer();
    private final int maxBytesPerRead;
    int arrayReads;
    int bufferReads;
    IOException failure;

    Wire(int maxBytesPerRead) {
      this.maxBytesPerRead = maxBytesPerRead;
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      bufferReads++;
      if (data.size() == 0L && failure != null) {
        throw failure;
      }
      return data.read(sink, Math.min(byteCount, maxBytesPerRead));
    }

    @Override
    public int read(byte[] sink, int offset, int byteCount) throws IOException {
      arrayReads++;
      if (data.size() == 0L) {
        if (failure != null) {
          throw failure;
        }
        return -1;
      }
      int toRead = (int) Math.min(Math.min(byteCount, maxBytesPerRead), data.size());
      int done = 0;
      while (done < toRead) {
        done += data.read(sink, offset + done, toRead - done);
      }
      return done;
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public void close() {
      data.clear();
    }
  }
}
