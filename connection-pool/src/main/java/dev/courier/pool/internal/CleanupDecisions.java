package dev.courier.pool.internal;

import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.PooledConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Collects what an {@link EvictionPolicy} decides during one cleanup, while the policy runs
 * outside the pool's lock, and applies it afterwards under the lock: only to connections of that
 * cleanup's snapshot, and, for {@link #closeIdle}, only if the connection was not leased since.
 * Used by one cleanup at a time.
 */
final class CleanupDecisions implements EvictionPolicy.Decisions {
  private final long cleanupNumber;
  private final List<ConnectionSnapshot> connections = new ArrayList<>();
  private final List<EvictionPolicy.Reason> reasons = new ArrayList<>();
  private final List<Boolean> retirements = new ArrayList<>();

  CleanupDecisions(long cleanupNumber) {
    this.cleanupNumber = cleanupNumber;
  }

  @Override
  public void closeIdle(PooledConnection connection, EvictionPolicy.Reason reason) {
    add(connection, reason, false);
  }

  @Override
  public void retire(PooledConnection connection, EvictionPolicy.Reason reason) {
    add(connection, reason, true);
  }

  private void add(PooledConnection connection, EvictionPolicy.Reason reason, boolean retire) {
    Objects.requireNonNull(connection, "connection == null");
    Objects.requireNonNull(reason, "reason == null");
    if (connection instanceof ConnectionSnapshot
        && ((ConnectionSnapshot) connection).cleanupNumber == cleanupNumber) {
      connections.add((ConnectionSnapshot) connection);
      reasons.add(reason);
      retirements.add(retire);
    }
    // Anything else was not given to the policy by this cleanup: ignored.
  }

  /**
   * Applies the decisions about connections of {@code pool}: marks retired connections as taking
   * no new exchanges, and adds to {@code toClose} the idle ones to close, which the caller must
   * remove from the pool. Requires the pool lock.
   */
  void applyLocked(RealConnectionPool pool, List<RealConnection> toClose) {
    for (int i = 0; i < connections.size(); i++) {
      ConnectionSnapshot snapshot = connections.get(i);
      RealConnection connection = snapshot.connection;
      if (connection.pool() != pool || !connection.inPool) {
        continue; // Gone since the snapshot, or decided about twice.
      }
      EvictionPolicy.Reason reason = reasons.get(i);
      if (retirements.get(i)) {
        connection.retireLocked(CloseReasons.of(reason));
        if (connection.isIdle()) {
          toClose.add(connection);
        }
      } else if (connection.isIdle() && !snapshot.leasedSince()) {
        connection.retireLocked(CloseReasons.of(reason));
        toClose.add(connection);
      }
    }
  }
}
