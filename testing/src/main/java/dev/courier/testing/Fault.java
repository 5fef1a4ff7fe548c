package dev.courier.testing;

/**
 * Names a way in which {@link TestServer} misbehaves instead of answering a request normally.
 *
 * <p>Faults apply to HTTP/1.1 and HTTP/2 alike. On HTTP/2 every "close" closes the whole TCP
 * connection abruptly (no GOAWAY), which fails every stream on it; to fail only one stream use
 * {@link ScriptedResponse.Builder#resetStream(long)}.
 */
public enum Fault {
  /**
   * Closes the connection as soon as the request head arrives, before reading the body and before
   * sending any response byte. The request is <em>not</em> recorded: neither {@link
   * TestServer#takeRequest()} nor {@link TestServer#requestCount()} sees it, as if the server had
   * hung up at connect.
   */
  CLOSE_AT_CONNECT,

  /** Reads and records the full request, then closes the connection without responding. */
  CLOSE_AFTER_REQUEST,

  /**
   * Sends the status line and headers, then closes the connection before any body byte. The
   * headers promise a body: when no body is scripted, a 64-byte placeholder body is assumed so
   * that {@code Content-Length} is greater than zero.
   */
  CLOSE_AFTER_HEADERS,

  /**
   * Sends the headers and the first half of the body bytes as they appear on the wire (including
   * chunk framing for chunked bodies), then closes the connection. A 64-byte placeholder body is
   * assumed when none is scripted.
   */
  CLOSE_MID_BODY,

  /**
   * Sends the headers and then never sends the body, keeping the connection open until the client
   * or {@link TestServer#close()} closes it. A 64-byte placeholder body is assumed when none is
   * scripted, so the headers always promise bytes that never come.
   */
  STALL,

  /**
   * Reads and records the request and never answers, keeping the connection open. On HTTP/1.1
   * later requests on the same connection are not answered either, since responses go out in
   * order.
   */
  NO_RESPONSE
}
