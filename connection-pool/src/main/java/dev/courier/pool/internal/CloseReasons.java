package dev.courier.pool.internal;

import dev.courier.pool.CloseReason;
import dev.courier.spi.EvictionPolicy;

/**
 * Names the {@link CloseReason} for a policy's decision, and for closes whose cause the pool must
 * infer rather than being told.
 */
final class CloseReasons {
  private CloseReasons() {}

  /** Returns the close reason that reports the eviction policy's {@code reason}: the same name. */
  static CloseReason of(EvictionPolicy.Reason reason) {
    switch (reason) {
      case IDLE_TIMEOUT:
        return CloseReason.IDLE_TIMEOUT;
      case IDLE_LIMIT:
        return CloseReason.IDLE_LIMIT;
      case LIFETIME:
        return CloseReason.LIFETIME;
      case MAX_USES:
        return CloseReason.MAX_USES;
      default:
        return CloseReason.POLICY;
    }
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
