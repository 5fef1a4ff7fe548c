package dev.courier.spi;

/**
 * Carries the per-exchange settings a codec applies: read and write timeouts in milliseconds
 * (0 means none). Immutable.
 *
 * @param readTimeoutMillis the longest wait for bytes from the peer; 0 for none
 * @param writeTimeoutMillis the longest wait to write bytes to the peer; 0 for none
 */
public record ExchangeOptions(int readTimeoutMillis, int writeTimeoutMillis) {
  /** Validates the timeouts. */
  public ExchangeOptions {
    if (readTimeoutMillis < 0 || writeTimeoutMillis < 0) {
      throw new IllegalArgumentException("timeouts must not be negative: read "
          + readTimeoutMillis + " ms, write " + writeTimeoutMillis + " ms");
    }
  }
}
