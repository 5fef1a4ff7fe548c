package dev.courier.logging.internal;

import okio.Buffer;

/**
 * Keeps a copy of the first bytes of a body as it passes, at most {@code limitBytes}, and counts
 * them all. Once the body outgrows the limit the copy is dropped: a body that cannot be printed
 * whole is summarised, so holding part of it would only cost memory.
 */
public final class BodyCapture {
  private final long limitBytes;
  private final Buffer copy = new Buffer();
  private long byteCount;
  private boolean overLimit;

  /** Creates a capture that copies up to {@code limitBytes}. */
  public BodyCapture(long limitBytes) {
    this.limitBytes = limitBytes;
  }

  /** Copies {@code byteCount} bytes of {@code source} starting at {@code offset}, leaving it unchanged. */
  public void copyFrom(Buffer source, long offset, long byteCount) {
    this.byteCount += byteCount;
    if (overLimit) {
      return;
    }
    if (this.byteCount > limitBytes) {
      overLimit = true;
      copy.clear();
      return;
    }
    source.copyTo(copy, offset, byteCount);
  }

  /** Returns the number of bytes seen so far. */
  public long byteCount() {
    return byteCount;
  }

  /** Returns the number of bytes held in memory; never more than the limit. */
  public long heldBytes() {
    return copy.size();
  }

  /** Returns true if the body outgrew the limit, so it is not held. */
  public boolean overLimit() {
    return overLimit;
  }

  /** Returns the limit in bytes. */
  public long limitBytes() {
    return limitBytes;
  }

  /** Returns the bytes copied; the whole body unless {@link #overLimit()}. */
  public Buffer copy() {
    return copy;
  }
}
