package dev.courier.http2.internal;

import dev.courier.ConnectionShutdownException;
import java.io.IOException;

/**
 * Tracks how far a connection is along its way out: open, taking no new streams (after
 * {@code noNewExchanges()}, exhausted stream ids or a GOAWAY from the peer), draining its last
 * streams after GOAWAY, and closed. Remembers the first failure and that at most one GOAWAY is
 * sent. Guarded by the connection's lock, except {@link #closeWhenDrained()}.
 */
final class ShutdownState {
  private boolean shutdown;
  private boolean closed;
  private boolean goAwaySent;
  private IOException failure;
  /** Why new streams stopped before the connection closed, or null if no one said. */
  private String noNewStreamsReason;
  private boolean goAwayReceived;
  private long goAwayErrorCode;
  // Read without the lock on paths that end a stream, so that they close the connection promptly.
  private volatile boolean closeWhenDrained;

  /** Returns true until the connection stops taking new streams or closes. */
  boolean takesNewStreams() {
    return !shutdown && !closed;
  }

  /** Stops new streams; open ones carry on. */
  void noNewStreams() {
    shutdown = true;
  }

  /** Stops new streams because of {@code reason}, which refusals name; the first reason wins. */
  void noNewStreams(String reason) {
    if (!shutdown) {
      noNewStreamsReason = reason;
    }
    shutdown = true;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Marks the connection closed because of {@code cause}.
   *
   * @return false if it was closed already; the first cause wins
   */
  boolean close(IOException cause) {
    if (closed) {
      return false;
    }
    closed = true;
    shutdown = true;
    closeWhenDrained = false;
    failure = cause;
    return true;
  }

  /** Returns true if a GOAWAY with {@code errorCode} (-1 for none) is to be sent: only the first is. */
  boolean claimGoAway(long errorCode) {
    boolean send = errorCode != -1 && !goAwaySent;
    goAwaySent |= send;
    return send;
  }

  /**
   * Records the peer's GOAWAY: no new streams, and the connection closes once drained, which
   * {@code drained} says it is already.
   */
  void goAwayReceived(long errorCode, boolean drained) {
    goAwayReceived = true;
    goAwayErrorCode = errorCode;
    shutdown = true;
    if (drained) {
      closeWhenDrained = true;
    }
  }

  /** Notes that the last open stream ended; after a GOAWAY that means the connection may close. */
  void lastStreamEnded() {
    if (goAwayReceived && !closed) {
      closeWhenDrained = true;
    }
  }

  boolean goAwayReceived() {
    return goAwayReceived;
  }

  long goAwayErrorCode() {
    return goAwayErrorCode;
  }

  /** Returns true if GOAWAY was received and the last stream has ended; may be read without the lock. */
  boolean closeWhenDrained() {
    return closeWhenDrained;
  }

  /** Returns the exception for a new stream refused because this connection takes none. */
  ConnectionShutdownException newStreamRefused(String peer) {
    if (goAwayReceived) {
      return new ConnectionShutdownException("HTTP/2 connection to " + peer + " received GOAWAY ("
          + ErrorCodes.describe(goAwayErrorCode) + ") and takes no new streams");
    }
    if (failure != null) {
      return new ConnectionShutdownException("HTTP/2 connection to " + peer
          + " takes no new streams: " + failure.getMessage());
    }
    if (noNewStreamsReason != null) {
      return new ConnectionShutdownException("HTTP/2 connection to " + peer
          + " takes no new streams: " + noNewStreamsReason);
    }
    return new ConnectionShutdownException("HTTP/2 connection to " + peer + " takes no new streams");
  }
}
