package dev.courier.http2.internal;

import java.io.IOException;

/**
 * Signals a connection error found while reading (RFC 9113 §5.4.1): the reader sends GOAWAY with
 * {@link #errorCode} and fails every stream.
 */
final class ConnectionErrorException extends IOException {
  final long errorCode;

  ConnectionErrorException(long errorCode, String message) {
    super(message);
    this.errorCode = errorCode;
  }
}
