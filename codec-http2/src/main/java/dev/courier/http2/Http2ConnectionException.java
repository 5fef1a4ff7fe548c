package dev.courier.http2;

import java.net.ProtocolException;

/**
 * Reports that an HTTP/2 connection failed with an error code (RFC 9113 §7), because either side
 * found a protocol violation or the peer shut the connection down with an error. Every exchange
 * still running on the connection fails with it; the message names the host and the error code.
 *
 * <p>A stream reset by the peer is reported as {@link dev.courier.StreamResetException} instead,
 * and a stream the peer never processed (GOAWAY, REFUSED_STREAM) as the retryable
 * {@link dev.courier.ConnectionShutdownException}.
 *
 * <p>It is a {@link ProtocolException}: the request may have been processed, so Courier never
 * retries it.
 */
public final class Http2ConnectionException extends ProtocolException {
  private final long errorCode;

  /** Creates an exception for a connection that failed with {@code errorCode}. */
  public Http2ConnectionException(long errorCode, String message) {
    super(message);
    this.errorCode = errorCode;
  }

  /** Creates an exception for a connection that failed with {@code errorCode} because of {@code cause}. */
  public Http2ConnectionException(long errorCode, String message, Throwable cause) {
    super(message);
    initCause(cause);
    this.errorCode = errorCode;
  }

  /** Returns the HTTP/2 error code, such as 0x1 for PROTOCOL_ERROR. */
  public long errorCode() {
    return errorCode;
  }
}
