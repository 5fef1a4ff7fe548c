package dev.courier.testing;

/**
 * Names the point at which a {@link FaultInjectionServer} breaks an exchange, and how.
 *
 * <p>A "close" ends the connection in an orderly way: over TLS a {@code close_notify} alert, then
 * a TCP FIN; the server then discards what the client still sends until the client closes too, so
 * that unread bytes never turn the FIN into a reset. A "reset" aborts the TCP connection at once
 * with an RST (SO_LINGER 0), with no {@code close_notify}. Over HTTP/2 every close and reset ends
 * the whole connection without GOAWAY, which fails every stream on it.
 *
 * <p>Faults at accept apply to connections accepted while they are set; every other fault applies
 * to requests whose head arrives while it is set. A request arriving while an accept-time fault or
 * {@link #REFUSE} is set is answered normally.
 */
public enum FaultPoint {
  /** Answers every request {@code 200} with the body {@code "ok"} and keeps connections open. */
  NONE(false, false),

  /**
   * Leaves nothing listening on the server's port, so connecting fails with "connection refused";
   * choosing another fault listens on the same port again.
   */
  REFUSE(false, false),

  /** Closes each new connection before reading anything from it (before the TLS handshake). */
  CLOSE_AT_ACCEPT(false, false),

  /** Resets each new connection before reading anything from it (before the TLS handshake). */
  RESET_AT_ACCEPT(true, false),

  /** Reads the whole request, then closes the connection without answering. */
  CLOSE_AFTER_REQUEST(false, false),

  /** Reads the whole request, then resets the connection without answering. */
  RESET_AFTER_REQUEST(true, false),

  /**
   * Reads the whole request and sends only the status line ({@code HTTP/1.1 200 OK}), then closes
   * the connection. Over HTTP/2, which has no status line, it sends a HEADERS frame holding only
   * {@code :status} without END_HEADERS, so the header block is left unfinished.
   */
  CLOSE_AFTER_STATUS_LINE(false, true),

  /** Like {@link #CLOSE_AFTER_STATUS_LINE}, but resets the connection. */
  RESET_AFTER_STATUS_LINE(true, true),

  /**
   * Reads the whole request and sends the complete response head promising a 64-byte body
   * ({@code Content-Length: 64}), then closes the connection before any body byte.
   */
  CLOSE_AFTER_HEADERS(false, true),

  /** Like {@link #CLOSE_AFTER_HEADERS}, but resets the connection. */
  RESET_AFTER_HEADERS(true, true),

  /**
   * Reads the whole request and sends a head with {@code Content-Length: 64} and the first 32
   * body bytes (over HTTP/2 in one DATA frame without END_STREAM), then closes the connection.
   */
  CLOSE_MID_FIXED_LENGTH_BODY(false, true),

  /** Like {@link #CLOSE_MID_FIXED_LENGTH_BODY}, but resets the connection. */
  RESET_MID_FIXED_LENGTH_BODY(true, true),

  /**
   * Reads the whole request and sends a chunked response: one complete 32-byte chunk and the
   * first half of a second, then closes the connection. Over HTTP/2, which has no chunked
   * coding, the head carries no {@code content-length} and one 32-byte DATA frame without
   * END_STREAM follows.
   */
  CLOSE_MID_CHUNKED_BODY(false, true),

  /** Like {@link #CLOSE_MID_CHUNKED_BODY}, but resets the connection. */
  RESET_MID_CHUNKED_BODY(true, true),

  /**
   * Reads the whole request and never answers it, keeping the connection open until the client
   * or {@link FaultInjectionServer#close()} closes it. Over HTTP/2 only that stream stalls: the
   * server keeps answering SETTINGS and PING and handles later streams by the fault then set.
   */
  STALL(false, false),

  /**
   * Answers the first request on each connection normally and keeps the connection open, then
   * reads the next request on that connection in full and closes without answering: a pooled
   * connection that passes every health check and turns out stale only once used.
   */
  STALE_POOLED_CONNECTION(false, false);

  private final boolean resets;
  private final boolean sendsPartialResponse;

  FaultPoint(boolean resets, boolean sendsPartialResponse) {
    this.resets = resets;
    this.sendsPartialResponse = sendsPartialResponse;
  }

  /** Returns true if this fault aborts the connection with a TCP reset rather than closing it. */
  public boolean resets() {
    return resets;
  }

  /**
   * Returns true if this fault sends part of a response (a status line, a head, part of a body)
   * before it ends the connection.
   */
  public boolean sendsPartialResponse() {
    return sendsPartialResponse;
  }

  /** Returns true if this fault acts when a connection is accepted, before any request. */
  public boolean atAccept() {
    return this == CLOSE_AT_ACCEPT || this == RESET_AT_ACCEPT;
  }

  /**
   * Returns the fault in lower-case words joined by dashes, such as {@code
   * "close-after-headers"}, as a test report names it.
   */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
