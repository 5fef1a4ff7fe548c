package dev.courier.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads a socket's stream with as few system calls as a bulk transfer allows, without holding a
 * buffer while the connection idles. A read goes straight into the caller's array until one fills
 * the caller's array completely, a sign that bytes are flowing; the next read then borrows a
 * {@link LargeBufferPool#BUFFER_SIZE} array from the pool, reads as much as the socket has into
 * it, and serves later reads from it. The array goes back to the pool as soon as its last byte is
 * read, so between responses, and on an idle connection, nothing is held. A read that found the
 * socket with less than a full array makes the next read a direct one again, so a read that
 * blocks waiting for the peer rarely holds an array.
 *
 * <p>Bytes held here have left the socket: {@link #buffered()} counts them, and a connection's
 * checks for unread bytes must ask it. Timeouts are the socket's ({@code SO_TIMEOUT}): a read
 * that times out or fails gives its array back. Used by one reader at a time; {@link #buffered()}
 * may be asked from another thread only while nobody reads. {@link #close()} closes the socket's
 * stream and may be called from any thread.
 */
public final class SocketInput extends InputStream {
  private final InputStream in;
  private final LargeBufferPool pool;
  /** The borrowed array holding unread bytes at {@code [pos, limit)}, or null when none wait. */
  private byte[] buffer;
  private int pos;
  private int limit;
  /** Whether the last read from the socket filled all the room it had: more bytes likely wait. */
  private boolean flowing;

  /** Creates an input reading {@code in}, a socket's stream, borrowing from the shared pool. */
  public SocketInput(InputStream in) {
    this(in, LargeBufferPool.SHARED);
  }

  /** Creates an input reading {@code in}, a socket's stream, borrowing from {@code pool}. */
  public SocketInput(InputStream in, LargeBufferPool pool) {
    this.in = Objects.requireNonNull(in, "in == null");
    this.pool = Objects.requireNonNull(pool, "pool == null");
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int read = read(one, 0, 1);
    return read == -1 ? -1 : one[0] & 0xff;
  }

  /**
   * Reads at most {@code len} bytes: from the borrowed array if it holds any, else from the
   * socket, directly or through a borrowed array (see the class comment).
   *
   * @return the number of bytes read, or -1 at the end of the stream
   */
  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (buffer != null) {
      return readBuffered(b, off, len);
    }
    if (!flowing || len >= LargeBufferPool.BUFFER_SIZE) {
      int read = in.read(b, off, len);
      flowing = read == len;
      return read;
    }
    byte[] borrowed = pool.borrow();
    int read;
    try {
      read = in.read(borrowed, 0, borrowed.length);
    } catch (IOException | RuntimeException e) {
      flowing = false;
      pool.giveBack(borrowed);
      throw e;
    }
    flowing = read == borrowed.length;
    if (read <= 0) {
      pool.giveBack(borrowed);
      return read;
    }
    buffer = borrowed;
    pos = 0;
    limit = read;
    return readBuffered(b, off, len);
  }

  /** Returns the bytes waiting here, read from the socket but not yet by the caller. */
  public int buffered() {
    return buffer == null ? 0 : limit - pos;
  }

  /** Returns the bytes waiting here plus those the socket's stream says it can give at once. */
  @Override
  public int available() throws IOException {
    int here = buffered();
    int there = in.available();
    return here > Integer.MAX_VALUE - there ? Integer.MAX_VALUE : here + there;
  }

  /** Closes the socket's stream, failing a blocked read. Bytes held here are dropped. */
  @Override
  public void close() throws IOException {
    in.close();
  }

  private int readBuffered(byte[] b, int off, int len) {
    int count = Math.min(len, limit - pos);
    System.arraycopy(buffer, pos, b, off, count);
    pos += count;
    if (pos == limit) {
      byte[] drained = buffer;
      buffer = null;
      pool.giveBack(drained);
    }
    return count;
  }
}
