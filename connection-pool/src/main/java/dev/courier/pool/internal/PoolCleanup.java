package dev.courier.pool.internal;

import dev.courier.pool.CloseReason;
import dev.courier.spi.EvictionPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs one cleanup of a pool: reclaims leaked connections (logging a warning for each), shows the
 * {@link EvictionPolicy} every pooled connection, and applies what it decides.
 *
 * <p>The pool's lock is held only to take the snapshot (idle connections are already in order, so
 * nothing is sorted) and to apply the decisions, which are checked against the live connections;
 * the policy runs outside it, and connections are closed after it is released. Cleanups run one at
 * a time, so that the policy is called from one thread at a time and each connection's snapshot is
 * never refreshed while a policy reads it. Thread-safe.
 */
final class PoolCleanup {
  /** How often cleanup looks for leaked connections while some are in use. */
  static final long LEAK_CHECK_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private static final System.Logger LOG = System.getLogger("dev.courier.pool.ConnectionPool");

  private final RealConnectionPool pool;
  private final EvictionPolicy policy;
  private final ReentrantLock lock;
  private final PoolIndex index;
  /** Lets one cleanup run at a time. */
  private final ReentrantLock runLock = new ReentrantLock();
  // Guarded by lock.
  private long cleanupCount;

  PoolCleanup(RealConnectionPool pool, EvictionPolicy policy, ReentrantLock lock, PoolIndex index) {
    this.pool = pool;
    this.policy = policy;
    this.lock = lock;
    this.index = index;
  }

  /**
   * Runs one cleanup at {@code nowNanos}. Returns nanoseconds until cleanup should run again, or
   * -1 if nothing remains that could need it (no connections, or only idle ones the policy never
   * expires).
   */
  long run(long nowNanos) {
    runLock.lock();
    try {
      return runAlone(nowNanos);
    } finally {
      runLock.unlock();
    }
  }

  private long runAlone(long nowNanos) {
    List<RealConnection> toClose = new ArrayList<>();
    List<LeaseReference> leaked = new ArrayList<>();
    List<ConnectionSnapshot> snapshot = new ArrayList<>();
    long cleanupNumber;
    lock.lock();
    try {
      cleanupNumber = ++cleanupCount;
      takeSnapshotLocked(cleanupNumber, snapshot, leaked, toClose);
    } finally {
      lock.unlock();
    }

    CleanupDecisions decisions = new CleanupDecisions(cleanupNumber);
    long policyWait;
    try {
      policyWait = snapshot.isEmpty()
          ? -1
          : policy.evaluate(Collections.unmodifiableList(snapshot), nowNanos, decisions);
    } catch (RuntimeException | Error e) {
      pool.closeAndReport(toClose); // Leaked connections already left the pool.
      throw e;
    }

    long result;
    lock.lock();
    try {
      int reclaimed = toClose.size();
      decisions.applyLocked(pool, toClose);
      for (int i = reclaimed; i < toClose.size(); i++) {
        pool.removeLocked(toClose.get(i));
      }
      result = nextRunLocked(policyWait);
    } finally {
      lock.unlock();
    }
    for (LeaseReference reference : leaked) {
      LOG.log(System.Logger.Level.WARNING, "A connection to " + reference.url.redact()
          + " was leaked. Did you forget to close a response body?");
    }
    pool.closeAndReport(toClose);
    return result;
  }

  /**
   * Adds to {@code snapshot} every connection, idle ones first, least recently used first, as the
   * policy expects; removes from the pool the connections every call of which leaked, adding them
   * to {@code reclaimed} and their leases to {@code leaked}.
   */
  private void takeSnapshotLocked(long cleanupNumber, List<ConnectionSnapshot> snapshot,
      List<LeaseReference> leaked, List<RealConnection> reclaimed) {
    for (RealConnection connection = index.firstIdle(); connection != null;
        connection = IdleConnections.next(connection)) {
      snapshot.add(connection.snapshot.refresh(cleanupNumber));
    }
    List<RealConnection> busy = new ArrayList<>();
    index.collectBusy(busy, connection -> {
      if (!connection.pruneLeakedLeases(leaked)) {
        return false;
      }
      // Every call holding it leaked: no one will release it, so reclaim it now.
      connection.retireLocked(CloseReason.ERROR);
      return true;
    }, reclaimed);
    for (RealConnection connection : reclaimed) {
      pool.droppedLocked(connection);
    }
    for (RealConnection connection : busy) {
      snapshot.add(connection.snapshot.refresh(cleanupNumber));
    }
  }

  private long nextRunLocked(long policyWait) {
    if (index.count() > index.idleCount()) {
      // Connections in use: look for leaks again in a while, whatever the policy says.
      return policyWait < 0 ? LEAK_CHECK_INTERVAL_NANOS : Math.min(policyWait, LEAK_CHECK_INTERVAL_NANOS);
    }
    return index.count() == 0 ? -1 : policyWait;
  }
}
