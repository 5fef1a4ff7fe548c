package dev.courier.pool.internal;

/**
 * Lists a pool's idle connections in the order they became idle, least recently used first, so
 * that cleanup never sorts: a connection joins at the end when it becomes idle and leaves when it
 * is leased or leaves the pool, both in constant time. The links live in {@link RealConnection}.
 *
 * <p>Guarded by the pool's lock.
 */
final class IdleConnections {
  private RealConnection first;
  private RealConnection last;
  private int size;

  /** Appends {@code connection}, which just became idle; does nothing if it is listed already. */
  void addLast(RealConnection connection) {
    if (connection.inIdleList) {
      return;
    }
    connection.inIdleList = true;
    connection.idlePrevious = last;
    connection.idleNext = null;
    if (last == null) {
      first = connection;
    } else {
      last.idleNext = connection;
    }
    last = connection;
    size++;
  }

  /** Removes {@code connection} if it is listed. */
  void remove(RealConnection connection) {
    if (!connection.inIdleList) {
      return;
    }
    RealConnection previous = connection.idlePrevious;
    RealConnection next = connection.idleNext;
    if (previous == null) {
      first = next;
    } else {
      previous.idleNext = next;
    }
    if (next == null) {
      last = previous;
    } else {
      next.idlePrevious = previous;
    }
    connection.idlePrevious = null;
    connection.idleNext = null;
    connection.inIdleList = false;
    size--;
  }

  /** Returns the least recently used idle connection, or null if there is none. */
  RealConnection first() {
    return first;
  }

  /** Returns the connection that became idle after {@code connection}, or null. */
  static RealConnection next(RealConnection connection) {
    return connection.idleNext;
  }

  /** Returns the number of listed connections. */
  int size() {
    return size;
  }

  /** Unlinks every connection. */
  void clear() {
    for (RealConnection connection = first; connection != null; ) {
      RealConnection next = connection.idleNext;
      connection.idlePrevious = null;
      connection.idleNext = null;
      connection.inIdleList = false;
      connection = next;
    }
    first = null;
    last = null;
    size = 0;
  }
}
