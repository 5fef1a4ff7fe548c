package dev.courier.http1.toolkit;

import dev.courier.Headers;
import java.io.IOException;
import java.net.ProtocolException;
import okio.Buffer;
import okio.BufferedSource;
import okio.Source;

/**
 * Reads a response body of a length known from {@code Content-Length}, or of length zero for
 * responses that cannot have a body. Not thread-safe.
 */
public final class FixedLengthSource extends ResponseBodySource {
  private final long length;
  private long bytesRemaining;

  /**
   * Creates a source for a body of exactly {@code length} bytes. A zero-length body ends at once,
   * telling {@code listener} before this constructor returns.
   *
   * @param peer names the server in error messages, such as {@code example.com:443}
   * @throws IllegalArgumentException if {@code length} is negative
   */
  public FixedLengthSource(BufferedSource source, String peer, ExchangeStreamListener listener,
      long length) {
    this(source, null, peer, listener, length);
  }

  /**
   * Creates a source for a body of exactly {@code length} bytes whose array reads may bypass
   * {@code source}'s buffer through {@code unbufferedSource} (see {@link
   * ResponseBodySource#ResponseBodySource(BufferedSource, Source, String, ExchangeStreamListener)}).
   * A zero-length body ends at once, telling {@code listener} before this constructor returns.
   *
   * @param unbufferedSource what {@code source} buffers, or null
   * @param peer names the server in error messages, such as {@code example.com:443}
   * @throws IllegalArgumentException if {@code length} is negative
   */
  public FixedLengthSource(BufferedSource source, Source unbufferedSource, String peer,
      ExchangeStreamListener listener, long length) {
    super(source, unbufferedSource, peer, listener);
    if (length < 0) {
      throw new IllegalArgumentException("length < 0: " + length);
    }
    this.length = length;
    this.bytesRemaining = length;
    if (length == 0L) {
      endOfBody(Headers.EMPTY);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws ProtocolException if the stream ends before {@code Content-Length} bytes arrived
   */
  @Override
  protected long readFramed(Buffer sink, long byteCount) throws IOException {
    if (bytesRemaining == 0L) {
      endOfBody(Headers.EMPTY);
      return -1L;
    }
    return counted(source.read(sink, Math.min(byteCount, bytesRemaining)));
  }

  /**
   * {@inheritDoc}
   *
   * @throws ProtocolException if the stream ends before {@code Content-Length} bytes arrived
   */
  @Override
  protected int readFramed(byte[] sink, int offset, int byteCount) throws IOException {
    if (bytesRemaining == 0L) {
      endOfBody(Headers.EMPTY);
      return -1;
    }
    return (int) counted(readConnection(sink, offset, (int) Math.min(byteCount, bytesRemaining)));
  }

  private long counted(long read) throws ProtocolException {
    if (read == -1L) {
      throw new ProtocolException("unexpected end of stream on " + peer + ": received "
          + (length - bytesRemaining) + " of " + length + " body bytes");
    }
    bytesRemaining -= read;
    if (bytesRemaining == 0L) {
      endOfBody(Headers.EMPTY);
    }
    return read;
  }
}
