package dev.courier.chain.internal.ws;

/**
 * Holds the settings every WebSocket of one client shares.
 *
 * @param pingIntervalMillis how often to ping the server, failing the socket if the previous ping
 *     went unanswered; 0 for never
 * @param closeTimeoutMillis how long to wait for the server's close frame after sending ours, and
 *     for ours to be sent after receiving the server's
 * @param maxMessageBytes the largest message accepted from the server
 * @param maxQueueBytes the most bytes of messages queued for sending
 * @param fragmentBytes the largest payload of one frame sent; longer messages are fragmented
 * @param compression whether to offer permessage-deflate (RFC 7692)
 */
public record WebSocketSettings(long pingIntervalMillis, long closeTimeoutMillis,
    long maxMessageBytes, long maxQueueBytes, int fragmentBytes, boolean compression) {}
