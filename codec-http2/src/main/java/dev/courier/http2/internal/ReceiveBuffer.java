package dev.courier.http2.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Holds one stream's received body bytes in byte arrays borrowed from the connection's
 * {@link Pool}, between the reader thread that fills it and the application thread that drains it.
 * Guarded by the connection's lock.
 *
 * <p>Bytes are copied in and out rather than handing okio segments from one thread to the other:
 * okio pools segments per thread, so a segment taken by the reader and recycled by the
 * application drains one pool and overflows the other, costing a fresh 8 KiB segment per
 * response. Copies pack small frames densely, so memory stays close to the buffered byte count.
 *
 * <p>Chunks are small so that the pool can keep one for each of many streams in flight at little
 * cost: with a chunk as big as a frame, a busy connection outran the pool and allocated 16 KiB per
 * response even for 1 KiB bodies. A large frame simply fills several chunks.
 */
final class ReceiveBuffer {
  static final int CHUNK_SIZE = 2048;
  /**
   * The size of a chunk the reader thread fills straight from the transport, outside the lock:
   * nginx's 8 KiB DATA payload and the next frame's 9-byte header, in one read.
   */
  static final int DIRECT_CHUNK_SIZE = 8192 + 9;

  private final Pool pool;
  private ArrayDeque<Chunk> chunks;
  private long size;

  ReceiveBuffer(Pool pool) {
    this.pool = pool;
  }

  long size() {
    return size;
  }

  /**
   * Copies {@code byteCount} bytes from {@code source}, which must already hold them in its
   * buffer so that this never blocks under the lock. They are copied straight out of that buffer,
   * a chunk at a time, without going through the source's read path.
   *
   * @throws IllegalStateException if fewer than {@code byteCount} bytes are buffered
   */
  void write(BufferedSource source, int byteCount) throws IOException {
    if (chunks == null) {
      chunks = new ArrayDeque<>(4);
    }
    Buffer buffered = source.getBuffer();
    if (buffered.size() < byteCount) {
      throw new IllegalStateException("only " + buffered.size() + " of " + byteCount + " bytes are buffered");
    }
    int remaining = byteCount;
    while (remaining > 0) {
      Chunk tail = chunks.peekLast();
      if (tail == null || tail.limit == tail.data.length) {
        tail = pool.take();
        chunks.addLast(tail);
      }
      int read = buffered.read(tail.data, tail.limit, Math.min(remaining, tail.data.length - tail.limit));
      tail.limit += read;
      remaining -= read;
    }
    size += byteCount;
  }

  /**
   * Adds {@code chunk}, filled outside the lock by the reader thread (its bytes between {@code pos}
   * and {@code limit}), after the bytes already held. The buffer owns it from now on.
   */
  void append(Chunk chunk) {
    if (chunks == null) {
      chunks = new ArrayDeque<>(4);
    }
    chunks.addLast(chunk);
    size += chunk.limit - chunk.pos;
  }

  /**
   * Copies up to {@code byteCount} bytes into {@code sink}, across as many chunks as that takes;
   * returns how many (0 if empty). Reading several chunks at once keeps a bulk reader from paying
   * for the lock and the flow-control bookkeeping once per 2 KiB chunk.
   */
  long read(Buffer sink, long byteCount) {
    long total = 0;
    while (total < byteCount) {
      Chunk head = chunks == null ? null : chunks.peekFirst();
      if (head == null) {
        break;
      }
      int count = (int) Math.min(byteCount - total, head.limit - head.pos);
      sink.write(head.data, head.pos, count);
      head.pos += count;
      total += count;
      if (head.pos == head.limit) {
        chunks.removeFirst();
        pool.recycle(head);
      }
    }
    size -= total;
    return total;
  }

  /**
   * Copies up to {@code byteCount} bytes into {@code sink} from {@code offset}, across as many
   * chunks as that takes; returns how many (0 if empty). One copy, straight out of the chunks, for
   * a caller that reads into its own array.
   */
  int read(byte[] sink, int offset, int byteCount) {
    int total = 0;
    while (total < byteCount) {
      Chunk head = chunks == null ? null : chunks.peekFirst();
      if (head == null) {
        break;
      }
      int count = Math.min(byteCount - total, head.limit - head.pos);
      System.arraycopy(head.data, head.pos, sink, offset + total, count);
      head.pos += count;
      total += count;
      if (head.pos == head.limit) {
        chunks.removeFirst();
        pool.recycle(head);
      }
    }
    size -= total;
    return total;
  }

  /** Drops every byte, returning the count. */
  long clear() {
    long dropped = size;
    if (chunks != null) {
      for (Chunk chunk; (chunk = chunks.pollFirst()) != null; ) {
        pool.recycle(chunk);
      }
    }
    size = 0;
    return dropped;
  }

  /** One borrowed array and the range of it that holds unread bytes. */
  static final class Chunk {
    final byte[] data;
    int pos;
    int limit;

    Chunk() {
      this(CHUNK_SIZE);
    }

    Chunk(int size) {
      data = new byte[size];
    }
  }

  /**
   * Keeps free chunks per connection, at most 128 KiB of them (small and direct chunks together);
   * guarded by the connection's lock.
   */
  static final class Pool {
    /**
     * Enough for a small response on each of dozens of streams in flight; beyond that, chunks are
     * left to the collector. A connection keeps no more than it once had in use.
     */
    static final int MAX_FREE_CHUNKS = 64;
    /** The bytes of free chunks a connection keeps, small and direct together. */
    static final int MAX_FREE_BYTES = MAX_FREE_CHUNKS * CHUNK_SIZE;

    private final ArrayDeque<Chunk> free = new ArrayDeque<>();
    private final ArrayDeque<Chunk> freeDirect = new ArrayDeque<>();
    private int freeBytes;

    /** Returns a free small chunk, or a new one. */
    Chunk take() {
      Chunk chunk = free.pollFirst();
      if (chunk == null) {
        return new Chunk();
      }
      freeBytes -= CHUNK_SIZE;
      return chunk;
    }

    /** Returns a free chunk of {@link #DIRECT_CHUNK_SIZE}, or null if none is free. */
    Chunk takeDirect() {
      Chunk chunk = freeDirect.pollFirst();
      if (chunk != null) {
        freeBytes -= DIRECT_CHUNK_SIZE;
      }
      return chunk;
    }

    void recycle(Chunk chunk) {
      int length = chunk.data.length;
      if (freeBytes + length > MAX_FREE_BYTES) {
        return;
      }
      chunk.pos = 0;
      chunk.limit = 0;
      freeBytes += length;
      if (length == CHUNK_SIZE) {
        free.addFirst(chunk);
      } else {
        freeDirect.addFirst(chunk);
      }
    }
  }
}
