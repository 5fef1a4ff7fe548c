package dev.courier.pool;

/**
 * Hears what happens to a {@link ConnectionPool}'s connections. Register one with {@link
 * ConnectionPool#addListener}; every method does nothing by default.
 *
 * <p>The pool calls listeners on the thread that caused the event (a calling thread, or the
 * cleanup thread for idle connections closed by the policy), never while holding its lock, so a
 * listener may read {@link ConnectionPool#statistics()}. Calls are not serialized across threads:
 * a listener must be thread-safe, and should be quick, since calls wait for it. A listener that
 * throws is logged and does not affect the pool, the call, or other listeners.
 */
public interface PoolListener {
  /** Reports that a newly connected connection entered the pool, leased to the call that opened it. */
  default void connectionOpened(PoolEvent event) {}

  /**
   * Reports that a call acquired a connection, pooled or newly opened.
   *
   * @param waitNanos how long the call took to acquire it, connecting and waiting for other
   *     calls' connects included
   */
  default void connectionAcquired(PoolEvent event, long waitNanos) {}

  /** Reports that a call gave its connection back to the pool. */
  default void connectionReleased(PoolEvent event) {}

  /**
   * Reports that the pool closed one of its connections. Reported once per pooled connection;
   * connections that never entered the pool (a connect that lost a race to share an HTTP/2
   * connection) are not reported.
   */
  default void connectionClosed(PoolEvent event, CloseReason reason) {}
}
