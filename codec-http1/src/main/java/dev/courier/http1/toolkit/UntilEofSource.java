package dev.courier.http1.toolkit;

import dev.courier.Headers;
import java.io.IOException;
import okio.Buffer;
import okio.BufferedSource;
import okio.Source;

/**
 * Reads a response body that has neither {@code Content-Length} nor chunked coding, and so ends
 * only when the server closes the connection (RFC 9112 §6.3, rule 8). The connection cannot carry
 * another exchange; the codec marks it so when this source is made. Not thread-safe.
 */
public final class UntilEofSource extends ResponseBodySource {
  /**
   * Creates a source that reads until the stream ends.
   *
   * @param peer names the server in error messages, such as {@code example.com:443}
   */
  public UntilEofSource(BufferedSource source, String peer, ExchangeStreamListener listener) {
    this(source, null, peer, listener);
  }

  /**
   * Creates a source that reads until the stream ends, whose array reads may bypass {@code
   * source}'s buffer through {@code unbufferedSource} (see {@link
   * ResponseBodySource#ResponseBodySource(BufferedSource, Source, String, ExchangeStreamListener)}).
   *
   * @param unbufferedSource what {@code source} buffers, or null
   * @param peer names the server in error messages, such as {@code example.com:443}
   */
  public UntilEofSource(BufferedSource source, Source unbufferedSource, String peer,
      ExchangeStreamListener listener) {
    super(source, unbufferedSource, peer, listener);
  }

  /** Returns false: the connection ends with this body, so there is nothing to save by reading on. */
  @Override
  protected boolean discardOnEarlyClose() {
    return false;
  }

  @Override
  protected long readFramed(Buffer sink, long byteCount) throws IOException {
    long read = source.read(sink, byteCount);
    if (read == -1L) {
      endOfBody(Headers.EMPTY);
    }
    return read;
  }

  @Override
  protected int readFramed(byte[] sink, int offset, int byteCount) throws IOException {
    int read = readConnection(sink, offset, byteCount);
    if (read == -1) {
      endOfBody(Headers.EMPTY);
    }
    return read;
  }
}
