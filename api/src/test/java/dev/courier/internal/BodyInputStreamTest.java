package dev.courier.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.junit.jupiter.api.Test;

class BodyInputStreamTest {
  private final WireSource wire = new WireSource();
  private final BufferedSource source = Okio.buffer(wire);
  private final InputStream stream = new BodyInputStream(source, wire);

  @Test
  void largeReadsWithNothingBufferedGoStraightIntoTheCallersArray() throws IOException {
    byte[] content = bytes(100_000);
    wire.data.write(content);

    byte[] sink = new byte[70_000];
    int read = stream.read(sink, 5, 65_536);

    assertThat(read).isEqualTo(65_536);
    assertThat(wire.reads).containsExactly("array 65536");
    assertThat(Arrays.copyOfRange(sink, 5, 5 + read))
        .isEqualTo(Arrays.copyOf(content, read));
    assertThat(readAll(stream, 65_536)).isEqualTo(Arrays.copyOfRange(content, read, content.length));
  }

  @Test
  void bytesAlreadyBufferedAreReadFirstSoNothingIsReordered() throws IOException {
    byte[] content = bytes(50_000);
    wire.data.write(content);
    assertThat(stream.read()).isEqualTo(content[0] & 0xff); // Buffers one 8 KiB segment.
    wire.reads.clear();

    byte[] rest = readAll(stream, 16_384);

    assertThat(rest).isEqualTo(Arrays.copyOfRange(content, 1, content.length));
    assertThat(wire.reads.get(0)).startsWith("array");
  }

  @Test
  void smallReadsGoThroughTheBuffer() throws IOException {
    wire.data.writeUtf8("hello world");

    byte[] sink = new byte[100];
    int read = stream.read(sink, 0, 100);

    assertThat(new String(sink, 0, read, StandardCharsets.US_ASCII)).isEqualTo("hello world");
    assertThat(wire.reads).containsExactly("buffer 8192");
  }

  @Test
  void closingTheStreamClosesTheSourceAndLaterReadsFail() throws IOException {
    wire.data.write(bytes(20_000));

    stream.close();

    assertThat(wire.closed).isTrue();
    assertThatThrownBy(() -> stream.read(new byte[16_384], 0, 16_384))
        .isInstanceOf(IOException.class)
        .hasMessage("closed");
    assertThat(wire.reads).isEmpty();
  }

  @Test
  void badArrayBoundsAreRefusedBeforeReading() {
    wire.data.write(bytes(20_000));

    assertThatThrownBy(() -> stream.read(new byte[10_000], 2_000, 9_000))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(wire.reads).isEmpty();
  }

  @Test
  void endOfStreamIsMinusOneOnBothPaths() throws IOException {
    assertThat(stream.read(new byte[16_384], 0, 16_384)).isEqualTo(-1);
    assertThat(stream.read(new byte[10], 0, 10)).isEqualTo(-1);
    assertThat(stream.read()).isEqualTo(-1);
  }

  private static byte[] readAll(InputStream in, int chunkBytes) throws IOException {
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    byte[] chunk = new byte[chunkBytes];
    for (int read; (read = in.read(chunk, 0, chunk.length)) != -1; ) {
      result.write(chunk, 0, read);
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

  /** Serves {@link #data} through both paths, recording each read. */
  private static final class WireSource implements Source, ArrayReadable {
    final Buffer data = new Buffer();
    final List<String> reads = new ArrayList<>();
    boolean closed;

    @Override
    public long read(Buffer sink, long byteCount) {
      reads.add("buffer " + byteCount);
      return data.read(sink, byteCount);
    }

    @Override
    public int read(byte[] sink, int offset, int byteCount) throws IOException {
      reads.add("array " + byteCount);
      if (data.size() == 0L) {
        return -1;
      }
      int toRead = (int) Math.min(byteCount, data.size());
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
      closed = true;
    }
  }
}
