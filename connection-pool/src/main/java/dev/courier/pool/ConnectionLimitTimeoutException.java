package dev.courier.pool;

import java.io.InterruptedIOException;

/**
 * Signals that a call waited its whole connect timeout for a connection slot under the pool's
 * {@link PoolLimits} and none freed up. The message names the host:port and the limit that was
 * reached. The call made no connect attempt, so nothing was sent; it is not retried, since another
 * attempt would wait behind the same limit.
 */
public final class ConnectionLimitTimeoutException extends InterruptedIOException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with {@code message}, which should name the host:port and the limit. */
  public ConnectionLimitTimeoutException(String message) {
    super(message);
  }
}
