package dev.courier.http2.internal;

import dev.courier.ConnectionShutdownException;
import dev.courier.StreamResetException;
import dev.courier.http2.Http2ConnectionException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;

/**
 * Gives exceptions the context a caller needs, the peer's host:port, the protocol and what was
 * going on, while keeping their type, since callers and the retry logic decide by type.
 */
final class Failures {
  private Failures() {}

  /**
   * Returns an exception with {@code message} and {@code cause} as its cause, of the same type as
   * {@code cause} or, for a type not listed here, of the nearest standard type it extends.
   */
  static IOException withMessage(IOException cause, String message) {
    IOException result;
    if (cause instanceof Http2ConnectionException) {
      return new Http2ConnectionException(((Http2ConnectionException) cause).errorCode(), message, cause);
    } else if (cause instanceof StreamResetException) {
      // Its message is fixed by its constructor and names the peer and stream already.
      return cause;
    } else if (cause instanceof ConnectionShutdownException) {
      result = new ConnectionShutdownException(message);
    } else if (cause instanceof ProtocolException) {
      result = new ProtocolException(message);
    } else if (cause instanceof EOFException) {
      result = new EOFException(message);
    } else if (cause instanceof SocketTimeoutException) {
      result = new SocketTimeoutException(message);
    } else if (cause instanceof InterruptedIOException) {
      result = new InterruptedIOException(message);
    } else if (cause instanceof ConnectException) {
      result = new ConnectException(message);
    } else if (cause instanceof SocketException) {
      result = new SocketException(message);
    } else if (cause instanceof SSLHandshakeException) {
      result = new SSLHandshakeException(message);
    } else if (cause instanceof SSLProtocolException) {
      result = new SSLProtocolException(message);
    } else if (cause instanceof SSLException) {
      return new SSLException(message, cause);
    } else {
      return new IOException(message, cause);
    }
    result.initCause(cause);
    return result;
  }

  /** Returns the message of {@code e}, or its class name if it has none. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    return message != null ? message : e.getClass().getSimpleName();
  }
}
