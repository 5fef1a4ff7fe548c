package dev.courier.pool.internal;

import dev.courier.pool.CloseReason;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.pool.PerAddressIdleEvictionPolicy;
import dev.courier.spi.EvictionPolicy;

/**
 * Names the {@link CloseReason} for closes whose cause the pool must infer rather than being told.
 */
final class CloseReasons {
  private CloseReasons() {}

  /**
   * Returns why {@code policy} evicted {@code connection}, idle since {@code idleAtNanos}: past
   * the keep-alive of a shipped idle-time policy is {@link CloseReason#IDLE_TIMEOUT}, within it
   * {@link CloseReason#IDLE_LIMIT}; any other policy's choice is {@link CloseReason#POLICY}.
   */
  static CloseReason forEviction(EvictionPolicy policy, long idleAtNanos, long nowNanos) {
    long keepAliveNanos;
    if (policy instanceof IdleTimeEvictionPolicy) {
      keepAliveNanos = ((IdleTimeEvictionPolicy) policy).keepAliveNanos();
    } else if (policy instanceof PerAddressIdleEvictionPolicy) {
      keepAliveNanos = ((PerAddressIdleEvictionPolicy) policy).keepAliveNanos();
    } else {
      return CloseReason.POLICY;
    }
    return nowNanos - idleAtNanos >= keepAliveNanos ? CloseReason.IDLE_TIMEOUT : CloseReason.IDLE_LIMIT;
  }

  /**
   * Returns why a connection whose protocol connection announced, unasked, that it takes no more
   * exchanges is done, unless a call gives a better reason before it closes: a multiplexed one was
   * shut down by its peer (GOAWAY, or the socket closed); an HTTP/1 one stops after an exchange
   * that leaves it unusable, for which the call gives the reason (a {@code Connection: close}
   * from either side, or a failure).
   */
  static CloseReason forCapacityExhausted(boolean multiplexed) {
    return multiplexed ? CloseReason.CLOSED_BY_PEER : CloseReason.ERROR;
  }
}
