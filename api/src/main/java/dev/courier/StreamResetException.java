package dev.courier;

import java.io.IOException;

/**
 * Reports that the peer reset an HTTP/2 stream (RST_STREAM), carrying its error code
 * (RFC 9113 §7).
 */
public final class StreamResetException extends IOException {
  private final long errorCode;

  /** Creates an exception for a reset with {@code errorCode}, on a stream to {@code host}. */
  public StreamResetException(long errorCode, String errorName, String host) {
    super("stream was reset by " + host + ": " + errorName + " (0x" + Long.toHexString(errorCode) + ")");
    this.errorCode = errorCode;
  }

  /** Returns the HTTP/2 error code, such as 0x8 for CANCEL. */
  public long errorCode() {
    return errorCode;
  }
}
