package dev.courier.spi;

import java.util.Objects;

/**
 * Carries the settings a protocol connection is created with, and, for a provider that brings its
 * own transport, the transport is opened with. Immutable.
 *
 * @param pingIntervalMillis how often a multiplexed protocol pings an idle peer to keep the
 *     connection alive and detect dead peers; 0 disables pings (the default)
 * @param readTimeoutMillis the read timeout for the connection's own traffic (settings
 *     exchange, pings); 0 for none
 * @param connectTimeoutMillis the longest a provider's own transport may take to open; 0 for none
 * @param writeTimeoutMillis the write timeout for a provider's own transport; 0 for none
 * @param settings the provider's own settings, by key (see {@link ProviderSettings})
 */
public record ConnectionOptions(int pingIntervalMillis, int readTimeoutMillis,
    int connectTimeoutMillis, int writeTimeoutMillis, ProviderSettings settings) {
  /** Returns options with no pings, 10 s timeouts and no provider settings. */
  public static final ConnectionOptions DEFAULT = new ConnectionOptions(0, 10_000);

  /** Validates the settings. */
  public ConnectionOptions {
    if (pingIntervalMillis < 0) {
      throw new IllegalArgumentException("pingIntervalMillis < 0: " + pingIntervalMillis);
    }
    if (readTimeoutMillis < 0) {
      throw new IllegalArgumentException("readTimeoutMillis < 0: " + readTimeoutMillis);
    }
    if (connectTimeoutMillis < 0) {
      throw new IllegalArgumentException("connectTimeoutMillis < 0: " + connectTimeoutMillis);
    }
    if (writeTimeoutMillis < 0) {
      throw new IllegalArgumentException("writeTimeoutMillis < 0: " + writeTimeoutMillis);
    }
    Objects.requireNonNull(settings, "settings == null");
  }

  /**
   * Creates options with the given ping interval and read timeout, 10 s connect and write
   * timeouts, and no provider settings.
   */
  public ConnectionOptions(int pingIntervalMillis, int readTimeoutMillis) {
    this(pingIntervalMillis, readTimeoutMillis, 10_000, 10_000, ProviderSettings.EMPTY);
  }
}
