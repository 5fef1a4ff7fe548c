package dev.courier.http2.internal;

import java.io.IOException;

/**
 * Sends a connection's own PINGs: keep-alive pings on a timer ({@link KeepAlivePinger}), which
 * fail the connection when one goes unanswered for a whole interval, and the ping sent after a
 * stream's read timed out, whose missing answer marks the connection degraded.
 *
 * <p>State is guarded by the connection's lock; PINGs are queued for the connection's writer
 * without it, never waiting for a writer another thread holds.
 */
final class PingSender {
  private final Http2Connection connection;
  private final int keepAliveIntervalMillis;

  // Guarded by the connection's lock.
  private final PingTracker tracker;
  private KeepAlivePinger keepAlivePinger;

  /** Sends keep-alive pings every {@code keepAliveIntervalMillis} once started; 0 for none. */
  PingSender(Http2Connection connection, int keepAliveIntervalMillis, long degradedPongTimeoutNanos) {
    this.connection = connection;
    this.keepAliveIntervalMillis = keepAliveIntervalMillis;
    this.tracker = new PingTracker(degradedPongTimeoutNanos);
  }

  /** Starts keep-alive pings, if enabled, once the peer's preface arrived. Reader thread only. */
  void startKeepAlive() {
    if (keepAliveIntervalMillis == 0) {
      return;
    }
    connection.lock.lock();
    try {
      if (!connection.shutdownState.isClosed()) {
        keepAlivePinger = new KeepAlivePinger(connection, keepAliveIntervalMillis);
      }
    } finally {
      connection.lock.unlock();
    }
  }

  /** Stops keep-alive pings; called once the connection is closed. */
  void stopKeepAlive() {
    KeepAlivePinger pinger;
    connection.lock.lock();
    try {
      pinger = keepAlivePinger;
    } finally {
      connection.lock.unlock();
    }
    if (pinger != null) {
      pinger.stop();
    }
  }

  /**
   * Sends a PING after a stream's read timed out; if no PONG arrives within the degraded-pong
   * timeout, {@link #isDegraded} turns true so the pool stops handing the connection out.
   */
  void sendDegradedPing() {
    long payload;
    connection.lock.lock();
    try {
      payload = connection.shutdownState.isClosed()
          ? -1
          : tracker.startDegradedPing(connection.config.nanoClock().getAsLong());
    } finally {
      connection.lock.unlock();
    }
    if (payload == -1) {
      return;
    }
    connection.sendPing(payload);
  }

  /** Sends a keep-alive PING; if the previous one is still unanswered, fails the connection. */
  void keepAlivePing() {
    long payload;
    connection.lock.lock();
    try {
      if (connection.shutdownState.isClosed()) {
        return;
      }
      payload = tracker.startKeepAlivePing();
    } finally {
      connection.lock.unlock();
    }
    if (payload == -1) {
      connection.shutdownNow(new IOException("HTTP/2 connection to " + connection.peer
          + " failed: no PING response within " + keepAliveIntervalMillis + " ms"), -1, null, false);
      return;
    }
    connection.sendPing(payload);
  }

  /** Returns true if a degraded-check ping went unanswered past its deadline. Lock held. */
  boolean isDegraded() {
    return tracker.isDegraded(connection.config.nanoClock().getAsLong());
  }

  /** Records the peer's PING ACK. Lock held. */
  void pongReceived(long payload) {
    tracker.pongReceived(payload);
  }
}
