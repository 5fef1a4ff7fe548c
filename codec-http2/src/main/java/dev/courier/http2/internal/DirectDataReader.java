package dev.courier.http2.internal;

import dev.courier.internal.ArrayReadable;
import dev.courier.spi.Transport;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.io.EOFException;
import java.io.IOException;
import okio.Buffer;
import okio.BufferedSource;
import okio.Source;

/**
 * Reads a DATA payload that the reader's buffer does not yet hold straight from the transport's
 * unbuffered source into receive chunks, outside the connection's lock, instead of through the
 * reader's okio buffer: the socket's bytes are copied once into the chunk the caller later copies
 * from, not first into an okio segment. The chunks are then handed to the stream under the lock
 * ({@link Http2Stream#receiveData(ReceiveBuffer.Chunk[], int, int, int, boolean)}), or given back
 * to the pool if the stream no longer takes them.
 *
 * <p>The last read of a payload also asks for the next frame's 9-byte header, which goes into the
 * reader's buffer, so that a run of large DATA frames costs one read each (a read returns what
 * the transport holds and never waits for more than one byte). Bytes after the payload are never
 * given to the stream. Holds at most {@link #MAX_CHUNKS} spare chunks between frames of one
 * response, none after its end. Reader thread only; the pool is touched under the lock.
 */
final class DirectDataReader {
  /**
   * A payload is read directly only if it is at least this long. Smaller ones go through the
   * reader's buffer, packed into the stream's small chunks.
   */
  static final int MIN_PAYLOAD = 2048;
  /** Chunks that hold the largest payload we accept, 16 KiB (our SETTINGS_MAX_FRAME_SIZE). */
  static final int MAX_CHUNKS =
      (FrameReader.DEFAULT_MAX_FRAME_SIZE + ReceiveBuffer.DIRECT_CHUNK_SIZE - 1) / ReceiveBuffer.DIRECT_CHUNK_SIZE;

  private final ArrayReadable unbuffered;
  private final Buffer transportBuffer;
  private final Buffer readerBuffer;
  private final DeferredWakes wakes;
  private final ReceiveBuffer.Chunk[] filled = new ReceiveBuffer.Chunk[MAX_CHUNKS];
  private int filledCount;
  private final ReceiveBuffer.Chunk[] spare = new ReceiveBuffer.Chunk[MAX_CHUNKS];
  private int spareCount;

  private DirectDataReader(ArrayReadable unbuffered, Buffer transportBuffer, Buffer readerBuffer,
      DeferredWakes wakes) {
    this.unbuffered = unbuffered;
    this.transportBuffer = transportBuffer;
    this.readerBuffer = readerBuffer;
    this.wakes = wakes;
  }

  /**
   * Returns a reader for payloads of {@code transport}, or null if it has no unbuffered source
   * that reads into arrays, or is secured (TLS): there the JDK's socket copies each record out of
   * its own buffer whatever the reader does, and reading frames straight into chunks measured more
   * CPU per GiB, not less (docs/performance.md, "DATA payloads straight into receive chunks").
   *
   * @param readerSource the reader thread's buffered source over {@code wakes}
   */
  static DirectDataReader create(Transport transport, BufferedSource readerSource, DeferredWakes wakes) {
    Source unbufferedSource = transport.unbufferedSource();
    if (!(unbufferedSource instanceof ArrayReadable) || transport.handshake() != null) {
      return null;
    }
    return new DirectDataReader((ArrayReadable) unbufferedSource, transport.source().getBuffer(),
        readerSource.getBuffer(), wakes);
  }

  /**
   * Returns true if a payload of {@code dataLength} bytes, next in the reader's buffer, is to be
   * read here: it is large and not yet wholly buffered. Even if most of it is buffered, the read
   * of its rest also takes the next frame's header alone, so that the frames after it are read
   * straight into chunks again instead of each arriving mostly in the buffer.
   */
  boolean applies(int dataLength) {
    return dataLength >= MIN_PAYLOAD && readerBuffer.size() < dataLength && transportBuffer.size() == 0;
  }

  /**
   * Reads the next {@code dataLength} bytes (those the reader's buffer holds first, then the
   * transport's) into chunks, then {@link #filled()} holds them. Blocks until all are read.
   *
   * @throws EOFException if the transport ends first
   */
  void read(int dataLength) throws IOException {
    filledCount = 0;
    int total = 0;
    while (total < dataLength) {
      ReceiveBuffer.Chunk chunk = spareCount > 0
          ? spare[--spareCount]
          : new ReceiveBuffer.Chunk(ReceiveBuffer.DIRECT_CHUNK_SIZE);
      filled[filledCount++] = chunk;
      byte[] data = chunk.data;
      while (readerBuffer.size() > 0 && chunk.limit < data.length) {
        // What the reader's buffer holds is all payload: applies() asked for less than dataLength.
        int read = readerBuffer.read(data, chunk.limit, data.length - chunk.limit);
        chunk.limit += read;
        total += read;
      }
      while (chunk.limit < data.length && total < dataLength) {
        int rest = dataLength - total;
        int read = wakes.readDirect(unbuffered, data, chunk.limit,
            Math.min(data.length - chunk.limit, rest + Http2CodecUtil.FRAME_HEADER_LENGTH));
        if (read == -1) {
          throw new EOFException("connection closed in the middle of a DATA frame");
        }
        if (read > rest) {
          // The start of the next frame: the reader's buffer, empty now, reads it from here.
          readerBuffer.write(data, chunk.limit + rest, read - rest);
          read = rest;
        }
        chunk.limit += read;
        total += read;
      }
    }
  }

  /** Returns the chunks {@link #read} filled; {@link #filledCount()} of them are valid. */
  ReceiveBuffer.Chunk[] filled() {
    return filled;
  }

  int filledCount() {
    return filledCount;
  }

  /** Forgets the filled chunks, which a stream now owns. Lock held. */
  void handedOver() {
    for (int i = 0; i < filledCount; i++) {
      filled[i] = null;
    }
    filledCount = 0;
  }

  /** Gives the filled chunks back to {@code pool}: no stream takes them. Lock held. */
  void discardFilled(ReceiveBuffer.Pool pool) {
    for (int i = 0; i < filledCount; i++) {
      pool.recycle(filled[i]);
      filled[i] = null;
    }
    filledCount = 0;
  }

  /**
   * Takes spare chunks from {@code pool} for the next frame, so that the read takes none under the
   * lock; at the end of a stream gives them back instead. Lock held.
   */
  void refill(ReceiveBuffer.Pool pool, boolean endStream) {
    if (endStream) {
      while (spareCount > 0) {
        pool.recycle(spare[--spareCount]);
        spare[spareCount] = null;
      }
      return;
    }
    while (spareCount < MAX_CHUNKS) {
      ReceiveBuffer.Chunk chunk = pool.takeDirect();
      if (chunk == null) {
        break;
      }
      spare[spareCount++] = chunk;
    }
  }
}
