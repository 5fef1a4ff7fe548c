package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class ReceiveBufferTest {
  private final ReceiveBuffer.Pool pool = new ReceiveBuffer.Pool();
  private final ReceiveBuffer buffer = new ReceiveBuffer(pool);

  @Test
  void smallFramesArePackedIntoOneChunkAndReadInOrder() throws IOException {
    for (int i = 0; i < 100; i++) {
      buffer.write(new Buffer().writeUtf8("frame" + (i % 10)), 6);
    }
    assertThat(buffer.size()).isEqualTo(600);

    Buffer sink = new Buffer();
    assertThat(buffer.read(sink, 1_000)).isEqualTo(600);
    assertThat(sink.readUtf8(12)).isEqualTo("frame0frame1");
    assertThat(buffer.size()).isZero();
    assertThat(buffer.read(sink, 1)).isZero();
  }

  @Test
  void readsStopAtChunkBoundariesAndSpanThemInTurn() throws IOException {
    byte[] bytes = new byte[ReceiveBuffer.CHUNK_SIZE + 100];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    buffer.write(new Buffer().write(bytes), 10_000);
    buffer.write(new Buffer().write(bytes, 10_000, bytes.length - 10_000), bytes.length - 10_000);

    Buffer sink = new Buffer();
    assertThat(buffer.read(sink, Long.MAX_VALUE)).isEqualTo(ReceiveBuffer.CHUNK_SIZE);
    assertThat(buffer.read(sink, Long.MAX_VALUE)).isEqualTo(100);
    assertThat(sink.readByteArray()).isEqualTo(bytes);
  }

  @Test
  void clearDropsEverythingAndChunksAreReused() throws IOException {
    buffer.write(new Buffer().write(new byte[40_000]), 40_000);
    assertThat(buffer.clear()).isEqualTo(40_000);
    assertThat(buffer.size()).isZero();

    ReceiveBuffer.Chunk reused = pool.take();
    assertThat(reused.pos).isZero();
    assertThat(reused.limit).isZero();
  }
}
