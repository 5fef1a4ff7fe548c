package dev.courier;

import okio.ByteString;

/**
 * Carries a WebSocket (RFC 6455): messages both ways over one connection that began as an HTTP
 * request, or over one stream of a pooled HTTP/2 connection shared with other calls when the
 * server enabled the extended CONNECT protocol (RFC 8441); {@link #protocol()} says which. Open
 * one with {@link Factory#newWebSocket}; events arrive at its {@link WebSocketListener}, all on
 * one thread per socket, in order.
 *
 * <p>Sending never blocks: {@link #send(String)} and {@link #send(ByteString)} queue the message
 * and a writer thread sends it, masked as RFC 6455 requires of a client, in fragments if it is
 * large. The queue is bounded; when a message does not fit, {@code send} returns false and queues
 * nothing, so a producer faster than the network sees it and can wait for {@link #queueSize()} to
 * fall. Thread-safe.
 */
public interface WebSocket {
  /** The close code of a normal closure: the purpose of the connection was fulfilled. */
  int NORMAL_CLOSURE = 1000;
  /** The close code of an endpoint going away, such as a server shutting down. */
  int GOING_AWAY = 1001;
  /** The close code of a protocol error. */
  int PROTOCOL_ERROR = 1002;
  /** The close code of a message of a type the endpoint cannot accept. */
  int UNSUPPORTED_DATA = 1003;
  /** The close code of a text message that is not UTF-8. */
  int INVALID_PAYLOAD = 1007;
  /** The close code of a message that violates the endpoint's policy. */
  int POLICY_VIOLATION = 1008;
  /** The close code of a message too big to process. */
  int MESSAGE_TOO_BIG = 1009;
  /** The close code of an unexpected condition inside the endpoint. */
  int INTERNAL_ERROR = 1011;

  /** Returns the request that opened this socket. */
  Request request();

  /**
   * Returns the protocol this socket's frames travel over once its opening handshake succeeded:
   * {@link Protocol#HTTP_1_1} for a connection of its own switched with {@code Upgrade} (RFC
   * 6455), {@link Protocol#HTTP_2} for a stream of a shared HTTP/2 connection opened with an
   * extended CONNECT (RFC 8441), over TLS or cleartext alike. Null before the handshake succeeded
   * and for a socket whose handshake failed.
   */
  Protocol protocol();

  /**
   * Returns the {@code Sec-WebSocket-Extensions} value the server agreed to, such as {@code
   * permessage-deflate; server_no_context_takeover}, or the empty string when no extension is in
   * use (also before the socket is open).
   */
  String extensions();

  /**
   * Returns the bytes of messages queued but not yet sent, control frames excluded. Zero once
   * everything queued was written to the connection.
   */
  long queueSize();

  /**
   * Queues {@code text} to be sent as a text message.
   *
   * @return false, queueing nothing, if the socket is closing, closed or failed, or the message
   *     does not fit in the outgoing queue
   */
  boolean send(String text);

  /**
   * Queues {@code bytes} to be sent as a binary message.
   *
   * @return false, queueing nothing, if the socket is closing, closed or failed, or the message
   *     does not fit in the outgoing queue
   */
  boolean send(ByteString bytes);

  /**
   * Starts the close handshake: once the queued messages are sent, sends a close frame with
   * {@code code} and {@code reason}, then waits for the peer's close frame for at most the close
   * timeout before closing the connection.
   *
   * @param reason at most 123 bytes of UTF-8, or null for none
   * @return false if the socket was already closing, closed or failed
   * @throws IllegalArgumentException if {@code code} may not be sent (RFC 6455 §7.4: 1000–1003,
   *     1007–1014 and 3000–4999 may) or {@code reason} is longer than 123 bytes
   */
  boolean close(int code, String reason);

  /**
   * Closes the connection at once, discarding queued messages; the listener receives {@link
   * WebSocketListener#onFailure} with the cancellation, unless the socket had already ended.
   * Idempotent.
   */
  void cancel();

  /** Opens WebSockets. */
  interface Factory {
    /**
     * Opens a WebSocket for {@code request} and starts the opening handshake at once, in the
     * background; {@code listener} receives {@link WebSocketListener#onOpen} when it succeeds or
     * {@link WebSocketListener#onFailure} when it fails. The request's URL may use {@code ws},
     * {@code wss}, {@code http} or {@code https}; its method must be GET.
     *
     * @throws IllegalArgumentException if the request's method is not GET or its body is not null
     */
    WebSocket newWebSocket(Request request, WebSocketListener listener);
  }
}
