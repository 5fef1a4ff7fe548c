package dev.courier.http2.internal;

import dev.courier.internal.SystemNanoClock;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Holds the local side's HTTP/2 settings and the clock a connection runs with. Immutable.
 *
 * @param streamWindowSize the receive window advertised for each stream (SETTINGS_INITIAL_WINDOW_SIZE)
 * @param connectionWindowSize the receive window of the whole connection
 * @param maxHeaderListSize the largest header list accepted (SETTINGS_MAX_HEADER_LIST_SIZE)
 * @param degradedPongTimeoutNanos how long a PING sent after a read timeout may go unanswered
 *     before the connection counts as degraded
 * @param nanoClock the monotonic clock, {@link System#nanoTime} outside tests
 */
public record Http2Config(int streamWindowSize, int connectionWindowSize, int maxHeaderListSize,
    long degradedPongTimeoutNanos, LongSupplier nanoClock) {
  /** 16 MiB windows, a 256 KiB header list limit, a 1 s degraded-pong timeout, the system clock. */
  public static final Http2Config DEFAULT = new Http2Config(16 * 1024 * 1024, 16 * 1024 * 1024,
      256 * 1024, TimeUnit.SECONDS.toNanos(1), SystemNanoClock.INSTANCE);

  /** Validates the settings. */
  public Http2Config {
    if (streamWindowSize < FrameReader.DEFAULT_WINDOW_SIZE) {
      throw new IllegalArgumentException("streamWindowSize < 65535: " + streamWindowSize);
    }
    if (connectionWindowSize < FrameReader.DEFAULT_WINDOW_SIZE) {
      throw new IllegalArgumentException("connectionWindowSize < 65535: " + connectionWindowSize);
    }
    if (maxHeaderListSize <= 0) {
      throw new IllegalArgumentException("maxHeaderListSize <= 0: " + maxHeaderListSize);
    }
  }
}
