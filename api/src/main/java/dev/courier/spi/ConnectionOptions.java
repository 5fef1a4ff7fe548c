package dev.courier.spi;

/**
 * Carries the settings a protocol connection is created with. Immutable.
 *
 * @param pingIntervalMillis how often a multiplexed protocol pings an idle peer to keep the
 *     connection alive and detect dead peers; 0 disables pings (the default)
 * @param readTimeoutMillis the read timeout for the connection's own traffic (settings
 *     exchange, pings); 0 for none
 */
public record ConnectionOptions(int pingIntervalMillis, int readTimeoutMillis) {
  /** Returns options with no pings and a 10 s read timeout. */
  public static final ConnectionOptions DEFAULT = new ConnectionOptions(0, 10_000);

  /** Validates the settings. */
  public ConnectionOptions {
    if (pingIntervalMillis < 0) {
      throw new IllegalArgumentException("pingIntervalMillis < 0: " + pingIntervalMillis);
    }
    if (readTimeoutMillis < 0) {
      throw new IllegalArgumentException("readTimeoutMillis < 0: " + readTimeoutMillis);
    }
  }
}
