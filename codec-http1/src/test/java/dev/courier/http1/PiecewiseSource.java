package dev.courier.http1;

import okio.Buffer;
import okio.Source;
import okio.Timeout;

/**
 * Delivers bytes in reads no longer than the pieces a rule gives, then ends: the way a socket may
 * hand over what a peer sent in any split.
 */
public final class PiecewiseSource implements Source {
  /** Chooses how long each read may be. */
  @FunctionalInterface
  public interface Pieces {
    /** Returns the most bytes the next read gives, {@code position} bytes of {@code length} read so far. */
    int next(int position, int length);
  }

  private final byte[] bytes;
  private final Pieces pieces;
  private int position;

  /** Creates a source of {@code bytes} read in the pieces {@code pieces} gives. */
  public PiecewiseSource(byte[] bytes, Pieces pieces) {
    this.bytes = bytes;
    this.pieces = pieces;
  }

  @Override
  public long read(Buffer sink, long byteCount) {
    if (position == bytes.length) {
      return -1L;
    }
    int piece = pieces.next(position, bytes.length);
    int count = (int) Math.min(byteCount, Math.min(piece, bytes.length - position));
    sink.write(bytes, position, count);
    position += count;
    return count;
  }

  @Override
  public Timeout timeout() {
    return Timeout.NONE;
  }

  @Override
  public void close() {}
}
