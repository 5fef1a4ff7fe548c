package dev.courier.pool.internal;

/**
 * Lists a pool's connections to one address, those that became idle later nearer the end, so that
 * a connection moves to the end when it becomes idle, joins and leaves in constant time, without a
 * search. The links live in {@link RealConnection}; a connection is in at most one such list.
 *
 * <p>Walk it with {@link #first()} and {@link #next}, or {@link #last()} and {@link #previous};
 * a walker may {@link #remove} the connection it stands on once it has read that connection's
 * neighbour. Guarded by the pool's lock.
 */
final class AddressConnections {
  private RealConnection first;
  private RealConnection last;
  private int size;

  /** Appends {@code connection}, which must not be in any address list. */
  void addLast(RealConnection connection) {
    connection.addressPrevious = last;
    connection.addressNext = null;
    if (last == null) {
      first = connection;
    } else {
      last.addressNext = connection;
    }
    last = connection;
    size++;
  }

  /** Removes {@code connection}, which must be in this list. */
  void remove(RealConnection connection) {
    RealConnection previous = connection.addressPrevious;
    RealConnection next = connection.addressNext;
    if (previous == null) {
      first = next;
    } else {
      previous.addressNext = next;
    }
    if (next == null) {
      last = previous;
    } else {
      next.addressPrevious = previous;
    }
    connection.addressPrevious = null;
    connection.addressNext = null;
    size--;
  }

  /** Moves {@code connection}, which is in this list, to its end. */
  void moveToLast(RealConnection connection) {
    if (connection != last) {
      remove(connection);
      addLast(connection);
    }
  }

  /** Returns the connection that became idle first, or null if the list is empty. */
  RealConnection first() {
    return first;
  }

  /** Returns the connection that became idle last, or null if the list is empty. */
  RealConnection last() {
    return last;
  }

  /** Returns the connection after {@code connection}, or null. */
  static RealConnection next(RealConnection connection) {
    return connection.addressNext;
  }

  /** Returns the connection before {@code connection}, or null. */
  static RealConnection previous(RealConnection connection) {
    return connection.addressPrevious;
  }

  /** Returns the number of listed connections. */
  int size() {
    return size;
  }

  /** Returns true if no connection is listed. */
  boolean isEmpty() {
    return size == 0;
  }
}
