package dev.courier.pool.internal;

import dev.courier.spi.ProtocolConnection;

/**
 * Forwards a protocol connection's capacity changes to the pool. Created before the protocol
 * connection (which needs a listener), attached to its {@link RealConnection} once that exists;
 * changes reported before then are picked up when the connection enters the pool.
 */
final class CapacityListener implements ProtocolConnection.Listener {
  private volatile RealConnection connection;

  void attach(RealConnection connection) {
    this.connection = connection;
  }

  @Override
  public void capacityChanged(ProtocolConnection protocolConnection) {
    RealConnection target = connection;
    if (target != null) {
      target.pool().capacityChanged(target);
    }
  }
}
