package dev.courier.http2.internal;

import java.io.IOException;

/**
 * Signals a stream error found while reading (RFC 9113 §5.4.2), after the offending frame was
 * consumed: the reader resets stream {@link #streamId} with {@link #errorCode} and carries on.
 */
final class StreamErrorException extends IOException {
  final int streamId;
  final long errorCode;

  StreamErrorException(int streamId, long errorCode, String message) {
    super(message);
    this.streamId = streamId;
    this.errorCode = errorCode;
  }
}
