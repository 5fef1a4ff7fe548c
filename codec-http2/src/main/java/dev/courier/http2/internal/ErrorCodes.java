package dev.courier.http2.internal;

import io.netty.handler.codec.http2.Http2Error;

/** Names HTTP/2 error codes (RFC 9113 §7) for messages. */
final class ErrorCodes {
  static final long NO_ERROR = Http2Error.NO_ERROR.code();
  static final long PROTOCOL_ERROR = Http2Error.PROTOCOL_ERROR.code();
  static final long INTERNAL_ERROR = Http2Error.INTERNAL_ERROR.code();
  static final long FLOW_CONTROL_ERROR = Http2Error.FLOW_CONTROL_ERROR.code();
  static final long STREAM_CLOSED = Http2Error.STREAM_CLOSED.code();
  static final long FRAME_SIZE_ERROR = Http2Error.FRAME_SIZE_ERROR.code();
  static final long REFUSED_STREAM = Http2Error.REFUSED_STREAM.code();
  static final long CANCEL = Http2Error.CANCEL.code();
  static final long COMPRESSION_ERROR = Http2Error.COMPRESSION_ERROR.code();
  static final long ENHANCE_YOUR_CALM = Http2Error.ENHANCE_YOUR_CALM.code();

  private ErrorCodes() {}

  /** Returns the code's name, such as {@code PROTOCOL_ERROR}, or its hex value if unknown. */
  static String name(long code) {
    Http2Error error = Http2Error.valueOf(code);
    return error != null ? error.name() : "0x" + Long.toHexString(code);
  }

  /** Returns the name and value, such as {@code PROTOCOL_ERROR (0x1)}. */
  static String describe(long code) {
    return name(code) + " (0x" + Long.toHexString(code) + ")";
  }
}
