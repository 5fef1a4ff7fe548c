package dev.courier.internal;

import java.io.IOException;

/**
 * Writes bytes straight from a caller's array, from below an okio buffer: a large write then costs
 * one call through few layers and no copy into okio's segments, instead of one call per 8 KiB
 * segment through every buffered layer under it.
 *
 * <p>An implementation that sits under a {@link okio.BufferedSink} writes after what that sink has
 * passed down to it, so a caller must first {@link okio.BufferedSink#emit() emit} the buffered
 * sink: it may write here only while {@code buffer.size() == 0}, else the buffered bytes would
 * follow the array's instead of preceding them. Implementations are as thread-safe as the sink
 * they belong to (most are used by one writer at a time).
 */
public interface ArrayWritable {
  /**
   * Writes {@code byteCount} bytes of {@code source} from {@code offset}, after every byte written
   * to this sink before, blocking until they are handed on. Writes nothing past what this writable
   * may carry (a body never writes past its declared length).
   *
   * @throws IndexOutOfBoundsException if {@code offset} and {@code byteCount} do not fit {@code
   *     source}
   * @throws IOException as the sink's own writes do (timeouts, framing violations, resets)
   */
  void write(byte[] source, int offset, int byteCount) throws IOException;

  /**
   * Returns true if arrays written here go on without a copy into an okio buffer; false if this
   * writable copies them into one (it takes them all the same), so that a writer gains nothing by
   * writing arrays here rather than through the buffered sink above. Default true.
   */
  default boolean bypassesBuffer() {
    return true;
  }
}
