package dev.courier;

import java.net.ProtocolException;

/**
 * Signals that a WebSocket peer violated RFC 6455 (a masked frame from a server, reserved bits
 * set, a bad close code, a fragmented or oversized control frame...), sent text that is not
 * UTF-8, or sent a message larger than the client accepts. The socket sent a close frame with
 * {@link #closeCode()} and closed the connection.
 */
public final class WebSocketProtocolException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  private final int closeCode;

  /**
   * Creates an exception with a message that should name the peer's host and port.
   *
   * @param closeCode the close code the client sent for this violation, such as {@link
   *     WebSocket#PROTOCOL_ERROR}
   */
  public WebSocketProtocolException(String message, int closeCode) {
    super(message);
    this.closeCode = closeCode;
  }

  /** Returns the close code sent to the peer for this violation, such as 1002, 1007 or 1009. */
  public int closeCode() {
    return closeCode;
  }
}
