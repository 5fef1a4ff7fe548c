package dev.courier.spi;

/**
 * Describes a pooled connection, idle or carrying exchanges, as an {@link EvictionPolicy} sees it.
 * Instants are {@link System#nanoTime()}-based, on the pool's clock.
 *
 * <p>A view handed to {@link EvictionPolicy#evaluate} is a snapshot taken when the pool asked: it
 * does not change while the policy looks at it, and is valid only during that call. A view handed
 * to {@link EvictionPolicy#refuseNewExchange} is the live connection, read under the pool's lock.
 */
public interface PooledConnection extends IdleConnection {
  /** Returns the instant the connection was opened. */
  long createdAtNanos();

  /**
   * Returns how many exchanges the pool has handed this connection so far, in flight ones
   * included. A connection that was just opened for a call counts that call.
   */
  long useCount();

  /** Returns how many exchanges the connection carries now; 0 when it is idle. */
  int exchangesInFlight();

  /** Returns true if the connection carries no exchange. */
  default boolean isIdle() {
    return exchangesInFlight() == 0;
  }

  /**
   * Returns the instant at which the connection last became idle, or when it was opened if it
   * never was. Meaningful only while {@link #isIdle()}.
   */
  @Override
  long idleAtNanos();
}
