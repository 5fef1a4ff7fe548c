package dev.courier.pool;

/**
 * Says why the pool closed a connection, as reported to {@link PoolListener#connectionClosed} and
 * counted in {@link ConnectionStatistics#closedCount(CloseReason)}. The first five are the eviction
 * policy's reasons; the rest come from the connection's use or from the user.
 */
public enum CloseReason {
  /** The connection stayed idle longer than the policy's keep-alive. */
  IDLE_TIMEOUT,
  /** The policy keeps fewer idle connections than there were; this one was the least wanted. */
  IDLE_LIMIT,
  /** The connection reached the policy's maximum lifetime. */
  LIFETIME,
  /** The connection carried the policy's maximum number of exchanges. */
  MAX_USES,
  /** The policy closed the connection for a reason of its own. */
  POLICY,
  /**
   * The connection was idle while a call waited for a slot under the pool's {@link PoolLimits}:
   * it was closed to make room.
   */
  CONNECTION_LIMIT,
  /** A pooled connection was found unhealthy when a call was about to reuse it. */
  FAILED_HEALTH_CHECK,
  /**
   * The server ended the connection: it answered {@code Connection: close}, sent an HTTP/2
   * GOAWAY, or closed the socket while an exchange was in flight.
   */
  CLOSED_BY_PEER,
  /**
   * An exchange failed, or ended in a state that leaves the connection unusable (such as a
   * request body the server refused, a response abandoned unread, or a call leaked without
   * closing its response body).
   */
  ERROR,
  /**
   * The user asked for it: {@link ConnectionPool#evictAll()}, or a request sent with
   * {@code Connection: close}.
   */
  EVICTED_BY_USER,
  /** The pool was closed, as when a client using it was closed. */
  POOL_CLOSED,
  /**
   * The connection switched protocols ({@code 101 Switching Protocols}, as for a WebSocket): it
   * carried no more HTTP exchanges and was closed when the new protocol ended.
   */
  UPGRADED
}
