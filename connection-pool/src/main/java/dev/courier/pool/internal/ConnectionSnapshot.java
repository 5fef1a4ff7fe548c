package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.Protocol;
import dev.courier.Route;
import dev.courier.spi.PooledConnection;

/**
 * Shows an {@link dev.courier.spi.EvictionPolicy} one connection as it was when cleanup looked,
 * so that the policy runs outside the pool's lock on values that do not change under it. Each
 * connection owns one snapshot, refreshed under the pool's lock at the start of each cleanup;
 * cleanups run one at a time, so a snapshot is never refreshed while a policy reads it.
 */
final class ConnectionSnapshot implements PooledConnection {
  final RealConnection connection;
  /** The cleanup that took this snapshot; decisions naming an older one are ignored. */
  long cleanupNumber;
  private long useCount;
  private int exchangesInFlight;
  private long idleAtNanos;

  ConnectionSnapshot(RealConnection connection) {
    this.connection = connection;
  }

  /** Copies the connection's state for cleanup {@code number}. Requires the pool lock. */
  ConnectionSnapshot refresh(long number) {
    cleanupNumber = number;
    useCount = connection.useCount;
    exchangesInFlight = connection.exchangesInFlight();
    idleAtNanos = connection.idleAtNanos();
    return this;
  }

  /** Returns true if the pool has leased the connection since this snapshot. Requires the pool lock. */
  boolean leasedSince() {
    return connection.useCount != useCount;
  }

  @Override
  public Address address() {
    return connection.address();
  }

  @Override
  public Route route() {
    return connection.route();
  }

  @Override
  public Protocol protocol() {
    return connection.protocol();
  }

  @Override
  public long createdAtNanos() {
    return connection.createdAtNanos();
  }

  @Override
  public long useCount() {
    return useCount;
  }

  @Override
  public int exchangesInFlight() {
    return exchangesInFlight;
  }

  @Override
  public long idleAtNanos() {
    return idleAtNanos;
  }

  @Override
  public String toString() {
    return connection + "{uses=" + useCount + ", inFlight=" + exchangesInFlight + "}";
  }
}
