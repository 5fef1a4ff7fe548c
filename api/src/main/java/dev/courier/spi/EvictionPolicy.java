package dev.courier.spi;

import java.util.List;

/**
 * Decides which idle connections the pool closes and when it looks again, and in which order
 * idle connections are handed out. The default keeps at most 5 idle connections for at most 5
 * minutes, and hands out the most recently used first.
 *
 * <p>The pool calls a policy from one thread at a time, but not always the same thread; a policy
 * should be stateless or guard its state.
 */
public interface EvictionPolicy {
  /** Orders in which idle connections to one address are handed out. */
  enum IdleOrder {
    /** Most recently used first: keeps few connections warm and lets the rest expire. */
    LIFO,
    /** Least recently used first: spreads calls over every idle connection. */
    FIFO
  }

  /**
   * Chooses which of {@code idle} to close now and when to look again.
   *
   * @param idle the idle connections, least recently used first
   * @param nowNanos the current {@link System#nanoTime()}
   * @param evict receives the connections to close
   * @return nanoseconds until the pool should call again, or -1 if nothing remains that could
   *     expire (the pool calls again when a connection becomes idle)
   */
  long evict(List<? extends IdleConnection> idle, long nowNanos, List<? super IdleConnection> evict);

  /** Returns the order in which idle connections are handed out. Default {@link IdleOrder#LIFO}. */
  default IdleOrder idleOrder() {
    return IdleOrder.LIFO;
  }
}
