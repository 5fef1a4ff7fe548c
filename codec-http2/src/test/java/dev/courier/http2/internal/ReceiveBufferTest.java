package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
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
  void readsSpanChunksUpToTheByteCount() throws IOException {
    byte[] bytes = new byte[2 * ReceiveBuffer.CHUNK_SIZE + 100];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    int split = ReceiveBuffer.CHUNK_SIZE + ReceiveBuffer.CHUNK_SIZE / 3;
    buffer.write(new Buffer().write(bytes), split);
    buffer.write(new Buffer().write(bytes, split, bytes.length - split), bytes.length - split);

    Buffer sink = new Buffer();
    assertThat(buffer.read(sink, 10)).isEqualTo(10);
    assertThat(buffer.read(sink, ReceiveBuffer.CHUNK_SIZE + 10)).isEqualTo(ReceiveBuffer.CHUNK_SIZE + 10);
    assertThat(buffer.size()).isEqualTo(bytes.length - ReceiveBuffer.CHUNK_SIZE - 20);
    assertThat(buffer.read(sink, Long.MAX_VALUE)).isEqualTo(bytes.length - ReceiveBuffer.CHUNK_SIZE - 20);
    assertThat(buffer.size()).isZero();
    assertThat(buffer.read(sink, 1)).isZero();
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

  @Test
  void poolKeepsFreeChunksUpToItsLimit() {
    List<ReceiveBuffer.Chunk> taken = new ArrayList<>();
    for (int i = 0; i < ReceiveBuffer.Pool.MAX_FREE_CHUNKS + 1; i++) {
      taken.add(pool.take());
    }
    taken.forEach(pool::recycle);

    Set<ReceiveBuffer.Chunk> retaken =
        Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < ReceiveBuffer.Pool.MAX_FREE_CHUNKS + 1; i++) {
      retaken.add(pool.take());
    }
    retaken.retainAll(taken);
    assertThat(retaken).hasSize(ReceiveBuffer.Pool.MAX_FREE_CHUNKS);
  }
}
