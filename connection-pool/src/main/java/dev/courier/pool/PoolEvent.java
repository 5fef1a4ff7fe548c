package dev.courier.pool;

import dev.courier.Address;
import dev.courier.Connection;
import java.util.Objects;

/**
 * Describes the connection a {@link PoolListener} event is about. Immutable and thread-safe.
 */
public final class PoolEvent {
  private final Connection connection;

  /** Creates an event about {@code connection}. */
  public PoolEvent(Connection connection) {
    this.connection = Objects.requireNonNull(connection, "connection == null");
  }

  /** Returns the connection: its route, protocol, socket and TLS handshake. */
  public Connection connection() {
    return connection;
  }

  /**
   * Returns the address the connection was opened for. A coalesced HTTP/2 connection may also
   * serve calls to other addresses.
   */
  public Address address() {
    return connection.route().address();
  }

  @Override
  public String toString() {
    return "PoolEvent{" + connection + "}";
  }
}
