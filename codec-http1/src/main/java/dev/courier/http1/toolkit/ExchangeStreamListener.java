package dev.courier.http1.toolkit;

import dev.courier.Headers;

/**
 * Receives the ends of an exchange's body streams, so that the codec can advance its state and
 * decide whether the connection can carry another exchange. Called on the thread that reads or
 * writes the stream.
 */
public interface ExchangeStreamListener {
  /** Called once when the request body sink was closed after all its bytes were written. */
  void requestBodyClosed();

  /** Called once when the response body reached its end; {@code trailers} is empty if none came. */
  void responseBodyEnded(Headers trailers);

  /**
   * Called once when the request body failed or broke its framing, leaving the connection's
   * framing unknown: the connection must take no new exchanges. The response may still be read.
   */
  void requestBodyFailed();

  /**
   * Called once when the response body failed or was abandoned before its end, leaving the
   * connection's framing unknown: the connection must take no new exchanges.
   */
  void responseBodyFailed();
}
