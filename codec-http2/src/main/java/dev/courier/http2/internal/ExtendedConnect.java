package dev.courier.http2.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tracks whether the server allows the extended CONNECT method (RFC 8441), which opens a stream as
 * a tunnel for another protocol such as WebSocket. A client may send one only after the server's
 * SETTINGS carried SETTINGS_ENABLE_CONNECT_PROTOCOL 1, so callers wait here for the server's first
 * SETTINGS frame. Guarded by the connection's lock.
 */
final class ExtendedConnect {
  private final ReentrantLock lock;
  private final Condition changed;
  // Guarded by lock.
  private boolean settingsReceived;
  private boolean enabled;
  private boolean connectionEnded;

  ExtendedConnect(ReentrantLock lock) {
    this.lock = lock;
    this.changed = lock.newCondition();
  }

  /**
   * Applies a SETTINGS frame from the server; the lock is held.
   *
   * @throws ConnectionErrorException if the server withdraws the protocol after enabling it, which
   *     RFC 8441 §3 forbids
   */
  void settingsReceived(Settings settings) throws ConnectionErrorException {
    if (settings.isSet(Settings.ENABLE_CONNECT_PROTOCOL)) {
      boolean value = settings.get(Settings.ENABLE_CONNECT_PROTOCOL) == 1;
      if (enabled && !value) {
        throw new ConnectionErrorException(ErrorCodes.PROTOCOL_ERROR,
            "SETTINGS_ENABLE_CONNECT_PROTOCOL 0 after it was 1");
      }
      enabled = value;
    }
    settingsReceived = true;
    changed.signalAll();
  }

  /** Wakes the threads waiting for the server's SETTINGS once the connection is gone; lock held. */
  void connectionEnded() {
    connectionEnded = true;
    changed.signalAll();
  }

  /** Wakes waiting threads so that they look whether they were canceled; lock held. */
  void signalAll() {
    changed.signalAll();
  }

  /**
   * Waits until the server's first SETTINGS arrived, the connection ended or {@code canceled} says
   * so; returns true if the server enabled the extended CONNECT protocol by then. The lock is not
   * held by the caller.
   *
   * @param timeoutNanos the longest wait, 0 for no limit
   * @throws SocketTimeoutException naming {@code peer} if the SETTINGS did not come in time
   */
  boolean awaitEnabled(long timeoutNanos, BooleanSupplier canceled, String peer)
      throws IOException {
    lock.lock();
    try {
      long remainingNanos = timeoutNanos;
      while (!settingsReceived && !connectionEnded && !canceled.getAsBoolean()) {
        if (timeoutNanos == 0L) {
          changed.await();
        } else {
          if (remainingNanos <= 0L) {
            throw new SocketTimeoutException("timeout waiting "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms for the SETTINGS of " + peer
                + ", which say whether it allows the extended CONNECT protocol");
          }
          remainingNanos = changed.awaitNanos(remainingNanos);
        }
      }
      return enabled;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for the server's HTTP/2 SETTINGS");
    } finally {
      lock.unlock();
    }
  }
}
