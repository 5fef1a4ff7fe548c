package dev.courier.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Lends {@value #BUFFER_SIZE}-byte arrays for the length of one large socket write, so that no
 * connection holds a large buffer while it idles. Keeps at most a few arrays between
 * loans (a small multiple of the processor count); an array given back beyond that is left to
 * the garbage collector, and a loan when none is kept allocates a new one. Thread-safe, lock-free.
 */
public final class LargeBufferPool {
  /** The size of every array lent, in bytes: one large socket write. */
  public static final int BUFFER_SIZE = 64 * 1024;

  /** The pool every {@link SocketSink} uses unless given another. */
  public static final LargeBufferPool SHARED =
      new LargeBufferPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));

  private final AtomicReferenceArray<byte[]> kept;

  /**
   * Creates a pool that keeps at most {@code maxKept} arrays between loans.
   *
   * @throws IllegalArgumentException if {@code maxKept} is negative
   */
  public LargeBufferPool(int maxKept) {
    if (maxKept < 0) {
      throw new IllegalArgumentException("maxKept < 0: " + maxKept);
    }
    this.kept = new AtomicReferenceArray<>(maxKept);
  }

  /** Returns an array of {@link #BUFFER_SIZE} bytes, kept or new; its content is undefined. */
  public byte[] borrow() {
    for (int i = 0; i < kept.length(); i++) {
      byte[] buffer = kept.get(i);
      if (buffer != null && kept.compareAndSet(i, buffer, null)) {
        return buffer;
      }
    }
    return new byte[BUFFER_SIZE];
  }

  /** Takes back {@code buffer}, which its borrower must no longer touch. */
  public void giveBack(byte[] buffer) {
    if (buffer.length != BUFFER_SIZE) {
      throw new IllegalArgumentException("not a pooled buffer: " + buffer.length + " bytes");
    }
    for (int i = 0; i < kept.length(); i++) {
      if (kept.get(i) == null && kept.compareAndSet(i, null, buffer)) {
        return;
      }
    }
  }

  /** Returns how many arrays are kept for the next loans. */
  public int keptCount() {
    int count = 0;
    for (int i = 0; i < kept.length(); i++) {
      if (kept.get(i) != null) {
        count++;
      }
    }
    return count;
  }
}
