package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;
import org.junit.jupiter.api.Test;

/** Copying a DATA payload out of the reader's buffer into a stream's chunks. */
class ReceiveBufferCopyTest {
  private final ReceiveBuffer buffer = new ReceiveBuffer(new ReceiveBuffer.Pool());

  @Test
  void copiesFromTheSourcesBufferWithoutReadingTheSourceAgain() throws IOException {
    Buffer upstream = new Buffer().writeUtf8("0123456789");
    CountingSource counting = new CountingSource(upstream);
    BufferedSource source = Okio.buffer(counting);
    source.require(10);
    int readsBefore = counting.reads;

    buffer.write(source, 6);

    assertThat(counting.reads).isEqualTo(readsBefore);
    assertThat(source.readUtf8()).isEqualTo("6789"); // The rest stays for the next frame.
    Buffer sink = new Buffer();
    assertThat(buffer.read(sink, 100)).isEqualTo(6);
    assertThat(sink.readUtf8()).isEqualTo("012345");
  }

  @Test
  void refusesAPayloadThatIsNotBufferedYet() throws IOException {
    BufferedSource source = Okio.buffer((Source) new Buffer().writeUtf8("0123"));
    source.require(4);

    assertThatThrownBy(() -> buffer.write(source, 5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("only 4 of 5 bytes are buffered");
    assertThat(buffer.size()).isZero();
    assertThat(source.readUtf8()).isEqualTo("0123"); // Nothing was taken.
  }

  @Test
  void payloadSpanningSegmentsAndChunksKeepsItsOrder() throws IOException {
    byte[] bytes = new byte[3 * 8192 + 17];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    BufferedSource source = Okio.buffer((Source) new Buffer().write(bytes));
    source.require(bytes.length);

    buffer.write(source, 5);
    buffer.write(source, bytes.length - 5);

    Buffer sink = new Buffer();
    assertThat(buffer.read(sink, Long.MAX_VALUE)).isEqualTo(bytes.length);
    assertThat(sink.readByteString()).isEqualTo(ByteString.of(bytes));
  }

  /** Counts the reads that reach the source under a buffer. */
  private static final class CountingSource extends ForwardingSource {
    int reads;

    CountingSource(Source delegate) {
      super(delegate);
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      reads++;
      return super.read(sink, byteCount);
    }
  }
}
