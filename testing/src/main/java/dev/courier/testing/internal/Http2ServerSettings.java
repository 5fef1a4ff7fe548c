package dev.courier.testing.internal;

/**
 * Holds the HTTP/2 SETTINGS values a server announces; a negative value leaves Netty's default.
 *
 * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS
 * @param initialWindowSize SETTINGS_INITIAL_WINDOW_SIZE
 * @param maxFrameSize SETTINGS_MAX_FRAME_SIZE
 */
public record Http2ServerSettings(long maxConcurrentStreams, int initialWindowSize, int maxFrameSize) {
  /** Settings that leave every value at Netty's default. */
  public static final Http2ServerSettings DEFAULTS = new Http2ServerSettings(-1, -1, -1);
}
