package dev.courier;

import java.io.IOException;

/**
 * Reports that a connection stopped taking new exchanges before this one could start, such as an
 * HTTP/2 connection that received GOAWAY. The request was not processed and can be retried.
 */
public final class ConnectionShutdownException extends IOException {
  /** Creates an exception with {@code message}. */
  public ConnectionShutdownException(String message) {
    super(message);
  }
}
