package dev.courier.internal;

import java.io.IOException;

/**
 * Reads bytes straight into a caller's array, from below an okio buffer: a large read then costs
 * one call through few layers and one copy, instead of one call per 8 KiB segment through every
 * buffered layer above it.
 *
 * <p>An implementation that sits under a {@link okio.BufferedSource} reads the bytes that follow
 * that source's buffer, so a caller must first drain the buffer: it may read here only while
 * {@code buffer.size() == 0}, else it would skip the buffered bytes. Implementations are as
 * thread-safe as the source they belong to (most are used by one reader at a time).
 */
public interface ArrayReadable {
  /**
   * Reads at least 1 and at most {@code byteCount} bytes into {@code sink} from {@code offset},
   * blocking until one is there, or returns -1 at the end of the stream. Reads no byte past the
   * end of what this readable delivers (a body never reads into the next response).
   *
   * @return the number of bytes read, 0 only if {@code byteCount} is 0, or -1 at the end
   * @throws IndexOutOfBoundsException if {@code offset} and {@code byteCount} do not fit {@code
   *     sink}
   * @throws IOException as the source's own reads do (timeouts, protocol errors, resets)
   */
  int read(byte[] sink, int offset, int byteCount) throws IOException;
}
