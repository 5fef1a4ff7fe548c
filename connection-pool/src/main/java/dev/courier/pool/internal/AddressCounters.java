package dev.courier.pool.internal;

import dev.courier.pool.CloseReason;

/**
 * Counts the connections and acquisitions of one address, or of a whole pool, as they change.
 * Mutable and guarded by the owning pool's lock; {@link #copy()} makes the immutable snapshot
 * behind {@link dev.courier.pool.ConnectionStatistics}.
 */
public final class AddressCounters {
  private static final CloseReason[] REASONS = CloseReason.values();

  /** Counts of nothing: for an address the pool does not count. Never changed. */
  public static final AddressCounters EMPTY = new AddressCounters();

  private int connectionCount;
  private int idleCount;
  private int inUseCount;
  private int pendingAcquisitions;
  private long openedCount;
  private long closedCount;
  private final long[] closedByReason;
  private long acquisitionCount;
  private long acquisitionWaitNanos;
  private long maxAcquisitionWaitNanos;

  AddressCounters() {
    this.closedByReason = new long[REASONS.length];
  }

  private AddressCounters(AddressCounters source) {
    this.connectionCount = source.connectionCount;
    this.idleCount = source.idleCount;
    this.inUseCount = source.inUseCount;
    this.pendingAcquisitions = source.pendingAcquisitions;
    this.openedCount = source.openedCount;
    this.closedCount = source.closedCount;
    this.closedByReason = source.closedByReason.clone();
    this.acquisitionCount = source.acquisitionCount;
    this.acquisitionWaitNanos = source.acquisitionWaitNanos;
    this.maxAcquisitionWaitNanos = source.maxAcquisitionWaitNanos;
  }

  /** Returns a copy that nothing changes any more. Requires the pool lock. */
  AddressCounters copy() {
    return new AddressCounters(this);
  }

  /** Moves one connection from {@code fromState} to {@code toState} (see {@link PoolCounters}). */
  void move(int fromState, int toState) {
    add(fromState, -1);
    add(toState, 1);
  }

  private void add(int state, int delta) {
    if (state == PoolCounters.IDLE) {
      idleCount += delta;
      connectionCount += delta;
    } else if (state == PoolCounters.IN_USE) {
      inUseCount += delta;
      connectionCount += delta;
    }
  }

  void opened() {
    openedCount++;
  }

  void closed(CloseReason reason) {
    closedCount++;
    closedByReason[reason.ordinal()]++;
  }

  void acquisitionStarted() {
    pendingAcquisitions++;
  }

  void acquisitionEnded(long waitNanos, boolean acquired) {
    pendingAcquisitions--;
    if (acquired) {
      acquisitionCount++;
      acquisitionWaitNanos += waitNanos;
      maxAcquisitionWaitNanos = Math.max(maxAcquisitionWaitNanos, waitNanos);
    }
  }

  /**
   * Undoes {@link #acquisitionEnded acquisitionEnded(waitNanos, true)}, except for the longest
   * wait, which cannot be recovered.
   */
  void acquisitionReopened(long waitNanos) {
    pendingAcquisitions++;
    acquisitionCount--;
    acquisitionWaitNanos -= waitNanos;
  }

  /** Returns true if nothing counted here is current: no connection, no pending acquisition. */
  boolean isUnused() {
    return connectionCount == 0 && pendingAcquisitions == 0;
  }

  /** Returns the number of pooled connections. */
  public int connectionCount() {
    return connectionCount;
  }

  /** Returns the number of pooled connections carrying no exchange. */
  public int idleCount() {
    return idleCount;
  }

  /** Returns the number of pooled connections carrying an exchange. */
  public int inUseCount() {
    return inUseCount;
  }

  /** Returns the number of calls looking for a connection. */
  public int pendingAcquisitions() {
    return pendingAcquisitions;
  }

  /** Returns how many connections entered the pool. */
  public long openedCount() {
    return openedCount;
  }

  /** Returns how many pooled connections were closed. */
  public long closedCount() {
    return closedCount;
  }

  /** Returns how many pooled connections were closed for {@code reason}. */
  public long closedCount(CloseReason reason) {
    return closedByReason[reason.ordinal()];
  }

  /** Returns how many calls acquired a connection. */
  public long acquisitionCount() {
    return acquisitionCount;
  }

  /** Returns the nanoseconds all acquisitions took together. */
  public long acquisitionWaitNanos() {
    return acquisitionWaitNanos;
  }

  /** Returns the nanoseconds the longest acquisition took. */
  public long maxAcquisitionWaitNanos() {
    return maxAcquisitionWaitNanos;
  }
}
