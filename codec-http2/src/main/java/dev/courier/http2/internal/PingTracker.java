package dev.courier.http2.internal;

/**
 * Tracks our PINGs and their acknowledgements: keep-alive pings, and the ping sent after a read
 * timeout whose missing answer marks the connection degraded. The payload's high 32 bits say
 * which kind a PONG answers. Guarded by the connection's lock.
 */
final class PingTracker {
  private static final int KEEP_ALIVE = 1;
  private static final int DEGRADED = 2;

  private final long degradedPongTimeoutNanos;
  private int degradedSent;
  private int degradedAnswered;
  private long degradedDeadlineNanos;
  private int keepAliveSent;
  private int keepAliveAnswered;

  PingTracker(long degradedPongTimeoutNanos) {
    this.degradedPongTimeoutNanos = degradedPongTimeoutNanos;
  }

  /** Returns the payload of a new degraded-check ping, or -1 if one is still unanswered. */
  long startDegradedPing(long nowNanos) {
    if (degradedAnswered < degradedSent) {
      return -1;
    }
    degradedDeadlineNanos = nowNanos + degradedPongTimeoutNanos;
    return (long) DEGRADED << 32 | ++degradedSent;
  }

  /** Returns true if a degraded-check ping went unanswered past its deadline. */
  boolean isDegraded(long nowNanos) {
    return degradedAnswered < degradedSent && nowNanos - degradedDeadlineNanos >= 0;
  }

  /** Returns the payload of the next keep-alive ping, or -1 if the previous one was never answered. */
  long startKeepAlivePing() {
    if (keepAliveAnswered < keepAliveSent) {
      return -1;
    }
    return (long) KEEP_ALIVE << 32 | ++keepAliveSent;
  }

  void pongReceived(long payload) {
    int kind = (int) (payload >>> 32);
    if (kind == DEGRADED) {
      degradedAnswered++;
    } else if (kind == KEEP_ALIVE) {
      keepAliveAnswered++;
    }
  }
}
