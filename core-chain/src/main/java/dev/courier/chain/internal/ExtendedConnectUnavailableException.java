package dev.courier.chain.internal;

import java.io.IOException;

/**
 * Fails a call made to switch protocols when the connection it got is multiplexed (HTTP/2) but
 * the server did not enable the extended CONNECT protocol (RFC 8441) on it. Nothing was sent and
 * the connection stays clean; a WebSocket then opens over a fresh HTTP/1.1 connection instead.
 * Never retried by the call itself.
 */
public final class ExtendedConnectUnavailableException extends IOException {
  /** Creates the exception with {@code message}, which names the server. */
  public ExtendedConnectUnavailableException(String message) {
    super(message);
  }
}
