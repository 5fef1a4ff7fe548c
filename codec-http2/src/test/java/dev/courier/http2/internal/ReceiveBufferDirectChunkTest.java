package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.Test;

/**
 * Chunks filled outside the lock ({@link ReceiveBuffer#append}) beside the small chunks the
 * buffered path fills: order across both, packing after a partly filled direct chunk, and the
 * pool's one byte budget for both kinds.
 */
class ReceiveBufferDirectChunkTest {
  private final ReceiveBuffer.Pool pool = new ReceiveBuffer.Pool();
  private final ReceiveBuffer buffer = new ReceiveBuffer(pool);

  @Test
  void appendedChunksAndCopiedFramesKeepTheirOrder() throws IOException {
    byte[] bytes = new byte[30_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    buffer.write(new Buffer().write(bytes, 0, 100), 100);
    buffer.append(direct(bytes, 100, 8_192));
    // A small frame after a direct chunk with room left goes into that room.
    buffer.write(new Buffer().write(bytes, 8_292, 5), 5);
    buffer.append(direct(bytes, 8_297, 3_000));
    buffer.write(new Buffer().write(bytes, 11_297, bytes.length - 11_297), bytes.length - 11_297);
    assertThat(buffer.size()).isEqualTo(bytes.length);

    byte[] sink = new byte[bytes.length + 10];
    int total = 0;
    int[] sizes = {1, 8_191, 7, 2_048, 9_000};
    for (int i = 0; total < bytes.length; i++) {
      int read = buffer.read(sink, 3 + total, Math.min(sizes[i % sizes.length], bytes.length - total));
      assertThat(read).isPositive();
      total += read;
    }
    assertThat(buffer.size()).isZero();
    assertThat(ByteString.of(sink, 3, bytes.length)).isEqualTo(ByteString.of(bytes));
  }

  @Test
  void directChunksAreKeptWithinTheSameBudgetAsSmallOnes() {
    assertThat(pool.takeDirect()).isNull();
    List<ReceiveBuffer.Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      chunks.add(new ReceiveBuffer.Chunk(ReceiveBuffer.DIRECT_CHUNK_SIZE));
    }
    chunks.forEach(pool::recycle);
    int kept = 0;
    for (ReceiveBuffer.Chunk chunk; (chunk = pool.takeDirect()) != null; kept++) {
      assertThat(chunks).contains(chunk);
      assertThat(chunk.pos).isZero();
      assertThat(chunk.limit).isZero();
    }
    assertThat(kept).isEqualTo(ReceiveBuffer.Pool.MAX_FREE_BYTES / ReceiveBuffer.DIRECT_CHUNK_SIZE);

    // Small chunks count against the same bytes: with the budget full of them, no direct chunk stays.
    List<ReceiveBuffer.Chunk> small = new ArrayList<>();
    for (int i = 0; i < ReceiveBuffer.Pool.MAX_FREE_CHUNKS; i++) {
      small.add(pool.take());
    }
    small.forEach(pool::recycle);
    pool.recycle(chunks.get(0));
    assertThat(pool.takeDirect()).isNull();
    assertThat(small).contains(pool.take());
  }

  @Test
  void clearGivesDirectChunksBack() {
    buffer.append(direct(new byte[9_000], 0, 8_000));
    assertThat(buffer.clear()).isEqualTo(8_000);
    ReceiveBuffer.Chunk reused = pool.takeDirect();
    assertThat(reused).isNotNull();
    assertThat(reused.limit).isZero();
  }

  private static ReceiveBuffer.Chunk direct(byte[] bytes, int offset, int count) {
    ReceiveBuffer.Chunk chunk = new ReceiveBuffer.Chunk(ReceiveBuffer.DIRECT_CHUNK_SIZE);
    System.arraycopy(bytes, offset, chunk.data, 0, count);
    chunk.limit = count;
    return chunk;
  }
}
