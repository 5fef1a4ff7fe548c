package dev.courier.sse.internal;

import java.util.concurrent.ThreadFactory;

/**
 * Holds the settings an event source runs with.
 *
 * @param retryDelayMillis the reconnection delay until the server sends {@code retry}
 * @param maxFailedReconnects reconnection attempts in a row that may fail before giving up
 * @param maxEventBytes the largest event accepted, in bytes of its field lines
 * @param threadFactory makes the source's thread; null for the default daemon thread
 */
public record EventSourceSettings(
    long retryDelayMillis, int maxFailedReconnects, long maxEventBytes, ThreadFactory threadFactory) {}
