package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.pool.CloseReason;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Keeps a pool's statistics as things happen, per address and in total, so that reading them
 * costs a copy rather than a scan of every connection. Guarded by the pool's lock: every method
 * requires it.
 *
 * <p>Each connection remembers the state it was last counted in ({@link #GONE}, {@link #IDLE},
 * {@link #IN_USE}); {@link #updateLocked} compares that with the connection's current state and
 * moves the counts, so a hook after any change to a connection's leases or pooling keeps the
 * counts right however the change came about.
 */
final class PoolCounters {
  /** Not counted: not pooled yet, or no longer. */
  static final int GONE = 0;
  /** Counted as pooled and carrying no exchange. */
  static final int IDLE = 1;
  /** Counted as pooled and carrying an exchange. */
  static final int IN_USE = 2;

  private final AddressCounters totals = new AddressCounters();
  private final Map<Address, AddressCounters> byAddress = new HashMap<>();

  private AddressCounters countersLocked(Address address) {
    AddressCounters counters = byAddress.get(address);
    if (counters == null) {
      counters = new AddressCounters();
      byAddress.put(address, counters);
    }
    return counters;
  }

  /** Counts {@code connection}, just pooled, as opened. */
  void pooledLocked(RealConnection connection) {
    AddressCounters counters = countersLocked(connection.address());
    connection.counters = counters;
    counters.opened();
    totals.opened();
    updateLocked(connection);
  }

  /** Moves {@code connection}'s counts to its current state: gone, idle or in use. */
  void updateLocked(RealConnection connection) {
    AddressCounters counters = connection.counters;
    if (counters == null) {
      return; // Never pooled.
    }
    int state = !connection.inPool ? GONE : connection.isIdle() ? IDLE : IN_USE;
    int counted = connection.countedState;
    if (state == counted) {
      return;
    }
    connection.countedState = state;
    counters.move(counted, state);
    totals.move(counted, state);
  }

  /**
   * Counts {@code connection}, just dropped from the pool, as closed for {@code reason}, which it
   * records for the listeners.
   */
  void closedLocked(RealConnection connection, CloseReason reason) {
    AddressCounters counters = connection.counters;
    if (counters == null || connection.closeReason != null) {
      return;
    }
    connection.closeReason = reason;
    updateLocked(connection);
    counters.closed(reason);
    totals.closed(reason);
    forgetIfUnusedLocked(connection.address(), counters);
  }

  /** Counts a call to {@code address} as looking for a connection; returns its counters. */
  AddressCounters acquisitionStartedLocked(Address address) {
    AddressCounters counters = countersLocked(address);
    counters.acquisitionStarted();
    totals.acquisitionStarted();
    return counters;
  }

  /** Counts the end of a search that {@link #acquisitionStartedLocked} counted. */
  void acquisitionEndedLocked(Address address, AddressCounters counters, long waitNanos, boolean acquired) {
    counters.acquisitionEnded(waitNanos, acquired);
    totals.acquisitionEnded(waitNanos, acquired);
    forgetIfUnusedLocked(address, counters);
  }

  /**
   * Counts a search that {@link #acquisitionEndedLocked} counted as having acquired a connection
   * after {@code waitNanos} as looking for one again, that connection having failed its health
   * check.
   */
  void acquisitionReopenedLocked(AddressCounters counters, long waitNanos) {
    counters.acquisitionReopened(waitNanos);
    totals.acquisitionReopened(waitNanos);
  }

  private void forgetIfUnusedLocked(Address address, AddressCounters counters) {
    if (counters.isUnused()) {
      byAddress.remove(address, counters);
    }
  }

  /** Returns a copy of the totals. */
  AddressCounters totalsLocked() {
    return totals.copy();
  }

  /** Returns a copy of {@code address}'s counts, or null if the pool does not count it now. */
  AddressCounters copyLocked(Address address) {
    AddressCounters counters = byAddress.get(address);
    return counters != null ? counters.copy() : null;
  }

  /** Returns a copy of every address's counts, each passed through {@code wrap}. */
  <T> Map<Address, T> copyAllLocked(BiFunction<Address, AddressCounters, T> wrap) {
    Map<Address, T> result = new HashMap<>(Math.max(4, byAddress.size() * 2));
    for (Map.Entry<Address, AddressCounters> entry : byAddress.entrySet()) {
      result.put(entry.getKey(), wrap.apply(entry.getKey(), entry.getValue().copy()));
    }
    return result;
  }
}
