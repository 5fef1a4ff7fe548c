package dev.courier.pool.internal;

import dev.courier.pool.CloseReason;
import dev.courier.pool.PoolEvent;
import dev.courier.pool.PoolListener;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Delivers a pool's events to its {@link PoolListener}s. Called without the pool lock; a listener
 * that throws is logged and the others still hear the event. Builds no event when no listener is
 * registered, so an unobserved pool pays one volatile read per event. Thread-safe.
 */
final class PoolListeners {
  private static final System.Logger LOG = System.getLogger("dev.courier.pool.ConnectionPool");

  private final CopyOnWriteArrayList<PoolListener> listeners = new CopyOnWriteArrayList<>();

  void add(PoolListener listener) {
    listeners.addIfAbsent(Objects.requireNonNull(listener, "listener == null"));
  }

  boolean remove(PoolListener listener) {
    return listeners.remove(listener);
  }

  void opened(RealConnection connection) {
    if (listeners.isEmpty()) {
      return;
    }
    PoolEvent event = new PoolEvent(connection);
    for (PoolListener listener : listeners) {
      try {
        listener.connectionOpened(event);
      } catch (RuntimeException e) {
        logFailure(listener, "connectionOpened", e);
      }
    }
  }

  void acquired(RealConnection connection, long waitNanos) {
    if (listeners.isEmpty()) {
      return;
    }
    PoolEvent event = new PoolEvent(connection);
    for (PoolListener listener : listeners) {
      try {
        listener.connectionAcquired(event, waitNanos);
      } catch (RuntimeException e) {
        logFailure(listener, "connectionAcquired", e);
      }
    }
  }

  void released(RealConnection connection) {
    if (listeners.isEmpty()) {
      return;
    }
    PoolEvent event = new PoolEvent(connection);
    for (PoolListener listener : listeners) {
      try {
        listener.connectionReleased(event);
      } catch (RuntimeException e) {
        logFailure(listener, "connectionReleased", e);
      }
    }
  }

  void closed(RealConnection connection, CloseReason reason) {
    if (listeners.isEmpty()) {
      return;
    }
    PoolEvent event = new PoolEvent(connection);
    for (PoolListener listener : listeners) {
      try {
        listener.connectionClosed(event, reason);
      } catch (RuntimeException e) {
        logFailure(listener, "connectionClosed", e);
      }
    }
  }

  private static void logFailure(PoolListener listener, String method, RuntimeException e) {
    LOG.log(System.Logger.Level.WARNING, "PoolListener " + listener + " threw from " + method
        + "; the pool carries on", e);
  }
}
