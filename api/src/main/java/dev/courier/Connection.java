package dev.courier;

import java.net.Socket;

/**
 * Describes an established connection to a server, as network interceptors and event listeners
 * see it. The pool owns the connection; callers must not close its socket.
 */
public interface Connection {
  /** Returns the route: proxy and socket address. */
  Route route();

  /**
   * Returns the socket; for TLS, the {@code SSLSocket} layered over TCP. Null when the connection
   * is not a socket: a provider's own transport, such as a Unix domain socket channel.
   */
  Socket socket();

  /** Returns the TLS handshake, or null for cleartext. */
  Handshake handshake();

  /** Returns the protocol negotiated on this connection. */
  Protocol protocol();
}
