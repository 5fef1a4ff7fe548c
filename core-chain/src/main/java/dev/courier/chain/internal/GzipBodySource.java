package dev.courier.chain.internal;

import dev.courier.DecompressedBodyTooLargeException;
import java.io.EOFException;
import java.io.IOException;
import okio.Buffer;
import okio.GzipSource;
import okio.Source;
import okio.Timeout;

/**
 * Decodes a gzip response body, yielding at most {@code maxDecodedBytes} bytes: the next byte
 * fails the read with {@link DecompressedBodyTooLargeException}, so that a decompression bomb
 * ends instead of filling the heap. Failures of the gzip format name the server. Not thread-safe.
 */
final class GzipBodySource implements Source {
  private final GzipSource gzip;
  private final long maxDecodedBytes;
  private final String peer;
  private long decodedBytes;

  /**
   * Creates a source decoding {@code encoded}.
   *
   * @param peer names the server in messages, such as {@code example.com:443}
   */
  GzipBodySource(Source encoded, long maxDecodedBytes, String peer) {
    this.gzip = new GzipSource(encoded);
    this.maxDecodedBytes = maxDecodedBytes;
    this.peer = peer;
  }

  @Override
  public long read(Buffer sink, long byteCount) throws IOException {
    long remaining = maxDecodedBytes - decodedBytes;
    try {
      if (remaining == 0L) {
        // At the limit: the body may end here, but one more byte is one too many.
        if (gzip.read(new Buffer(), 1L) == -1L) {
          return -1L;
        }
        throw new DecompressedBodyTooLargeException("gzip response body from " + peer
            + " decoded to more than " + maxDecodedBytes + " bytes, the limit set by "
            + "CourierClient.Builder.maxDecompressedBodyBytes", maxDecodedBytes);
      }
      long read = gzip.read(sink, Math.min(byteCount, remaining));
      if (read != -1L) {
        decodedBytes += read;
      }
      return read;
    } catch (IOException e) {
      throw describe(e);
    }
  }

  /**
   * Returns {@code e} naming the server: failures of the network body name it already; those of
   * the gzip format (a truncated stream, a corrupt header or checksum) do not.
   */
  private IOException describe(IOException e) {
    String message = e.getMessage();
    if (message != null && message.contains(peer)) {
      return e;
    }
    if (e.getClass() == EOFException.class) {
      EOFException truncated = new EOFException("gzip response body from " + peer
          + " ended before the end of the gzip stream, after " + decodedBytes + " decoded bytes");
      truncated.initCause(e);
      return truncated;
    }
    if (e.getClass() == IOException.class) {
      return new IOException("invalid gzip response body from " + peer + ": " + message, e);
    }
    return e;
  }

  @Override
  public Timeout timeout() {
    return gzip.timeout();
  }

  @Override
  public void close() throws IOException {
    gzip.close();
  }
}
