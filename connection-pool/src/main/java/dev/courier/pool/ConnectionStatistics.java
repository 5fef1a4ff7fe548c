package dev.courier.pool;

import dev.courier.pool.internal.AddressCounters;

/**
 * Counts a pool's connections and acquisitions at one instant: those of the whole pool ({@link
 * PoolStatistics}) or of one address ({@link AddressStatistics}). Gauges (connection counts,
 * pending acquisitions) are as of the snapshot; the other counts are cumulative. Immutable and
 * thread-safe.
 */
public abstract sealed class ConnectionStatistics permits PoolStatistics, AddressStatistics {
  private final AddressCounters counts;

  ConnectionStatistics(AddressCounters counts) {
    this.counts = counts;
  }

  /** Returns the number of pooled connections, idle or in use. */
  public int connectionCount() {
    return counts.connectionCount();
  }

  /** Returns the number of pooled connections carrying no exchange. */
  public int idleCount() {
    return counts.idleCount();
  }

  /** Returns the number of pooled connections carrying at least one exchange. */
  public int inUseCount() {
    return counts.inUseCount();
  }

  /**
   * Returns the number of calls looking for a connection: waiting for a pooled one, for another
   * call's connect, or for their own connect to finish.
   */
  public int pendingAcquisitions() {
    return counts.pendingAcquisitions();
  }

  /** Returns how many connections entered the pool so far. */
  public long openedCount() {
    return counts.openedCount();
  }

  /** Returns how many pooled connections were closed so far, for any reason. */
  public long closedCount() {
    return counts.closedCount();
  }

  /** Returns how many pooled connections were closed so far for {@code reason}. */
  public long closedCount(CloseReason reason) {
    return counts.closedCount(reason);
  }

  /** Returns how many calls acquired a connection so far. */
  public long acquisitionCount() {
    return counts.acquisitionCount();
  }

  /**
   * Returns the time the {@linkplain #acquisitionCount() acquisitions} took altogether, in
   * nanoseconds, connecting and waiting included.
   */
  public long acquisitionWaitNanos() {
    return counts.acquisitionWaitNanos();
  }

  /** Returns the longest time one acquisition took, in nanoseconds; 0 if there was none. */
  public long maxAcquisitionWaitNanos() {
    return counts.maxAcquisitionWaitNanos();
  }

  String countsToString() {
    return "connections=" + connectionCount() + ", idle=" + idleCount() + ", inUse=" + inUseCount()
        + ", pending=" + pendingAcquisitions() + ", opened=" + openedCount()
        + ", closed=" + closedCount() + ", acquisitions=" + acquisitionCount();
  }
}
