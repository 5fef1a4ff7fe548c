package dev.courier;

import java.io.IOException;

/**
 * Reports that a response body Courier decompresses transparently (gzip it asked for) grew beyond
 * the client's limit on decoded bytes, as a decompression bomb does: a small body on the wire that
 * decodes to gigabytes. The caller received at most the limit's worth of bytes before this was
 * thrown. The limit is set on the client builder.
 */
public final class DecompressedBodyTooLargeException extends IOException {
  private final long limitBytes;

  /** Creates an exception with {@code message} for a body that exceeded {@code limitBytes}. */
  public DecompressedBodyTooLargeException(String message, long limitBytes) {
    super(message);
    this.limitBytes = limitBytes;
  }

  /** Returns the limit on decoded bytes that the body exceeded. */
  public long limitBytes() {
    return limitBytes;
  }
}
