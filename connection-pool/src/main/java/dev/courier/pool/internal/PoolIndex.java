package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.spi.EvictionPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Finds a pool's connections without scanning the pool: by address, the multiplexed ones for
 * HTTP/2 coalescing, and the idle ones in the order they became idle.
 *
 * <p>Every pooled connection sits in the list of its address ({@link AddressConnections}); within
 * a list, connections that became idle later sit nearer the end, so the policy's
 * {@link EvictionPolicy.IdleOrder} is honoured by scanning from the end (LIFO) or the start
 * (FIFO). Idle connections are also listed pool-wide ({@link IdleConnections}), least recently
 * used first. Adding, removing, leasing and releasing a connection cost the same whatever the pool
 * holds, with no search (both lists are linked through the connections).
 *
 * <p>Only records where connections are; the pool decides what happens to them. Guarded by the
 * pool's lock.
 */
final class PoolIndex {
  private final Map<Address, AddressConnections> byAddress = new HashMap<>();
  private final List<RealConnection> multiplexed = new ArrayList<>();
  private final IdleConnections idle = new IdleConnections();
  private int count;

  /** Returns the connections to {@code address}, or null if there are none. */
  AddressConnections connections(Address address) {
    return byAddress.get(address);
  }

  /** Returns the multiplexed connections, which may serve other hosts than their own. */
  List<RealConnection> multiplexed() {
    return multiplexed;
  }

  /** Adds {@code connection}, newly pooled and in use. */
  void add(RealConnection connection) {
    AddressConnections list = byAddress.get(connection.address());
    if (list == null) {
      list = new AddressConnections();
      byAddress.put(connection.address(), list);
    }
    connection.inPool = true;
    list.addLast(connection);
    if (connection.isMultiplexed()) {
      multiplexed.add(connection);
    }
    count++;
  }

  /** Records that {@code connection} just became idle: it is now the most recently used. */
  void becameIdle(RealConnection connection) {
    byAddress.get(connection.address()).moveToLast(connection);
    idle.addLast(connection);
  }

  /** Records that {@code connection} was leased: it is no longer idle. */
  void leased(RealConnection connection) {
    idle.remove(connection);
  }

  /** Removes {@code connection}, which is pooled, from every index. */
  void remove(RealConnection connection) {
    AddressConnections list = byAddress.get(connection.address());
    if (list != null) {
      list.remove(connection);
      if (list.isEmpty()) {
        byAddress.remove(connection.address());
      }
    }
    unlist(connection);
  }

  /**
   * Removes {@code connection} from every index but its address list, for a caller that is
   * iterating over the lists and removes it there itself.
   */
  private void unlist(RealConnection connection) {
    connection.inPool = false;
    idle.remove(connection);
    if (connection.isMultiplexed()) {
      multiplexed.remove(connection);
    }
    count--;
  }

  /** Returns the number of pooled connections. */
  int count() {
    return count;
  }

  /** Returns the number of idle connections. */
  int idleCount() {
    return idle.size();
  }

  /** Returns the least recently used idle connection, or null if none is idle. */
  RealConnection firstIdle() {
    return idle.first();
  }

  /**
   * Returns the connection idle the longest to {@code address}, or to any address if it is null;
   * null if there is none. Looks only at that address's connections.
   */
  RealConnection longestIdle(Address address) {
    if (address == null) {
      return idle.first();
    }
    AddressConnections list = byAddress.get(address);
    if (list != null) {
      // Connections move to the end of their list as they become idle.
      for (RealConnection c = list.first(); c != null; c = AddressConnections.next(c)) {
        if (c.isIdle()) {
          return c;
        }
      }
    }
    return null;
  }

  /**
   * Adds to {@code busy} every connection in use, except those {@code reclaim} takes, which are
   * removed from every index and added to {@code reclaimed}.
   */
  void collectBusy(List<RealConnection> busy, Predicate<RealConnection> reclaim,
      List<RealConnection> reclaimed) {
    for (Iterator<AddressConnections> lists = byAddress.values().iterator(); lists.hasNext(); ) {
      AddressConnections list = lists.next();
      for (RealConnection connection = list.first(), next; connection != null; connection = next) {
        next = AddressConnections.next(connection);
        if (connection.isIdle()) {
          continue;
        }
        if (reclaim.test(connection)) {
          list.remove(connection);
          unlist(connection);
          reclaimed.add(connection);
        } else {
          busy.add(connection);
        }
      }
      if (list.isEmpty()) {
        lists.remove();
      }
    }
  }

  /** Returns every pooled connection. */
  List<RealConnection> all() {
    List<RealConnection> result = new ArrayList<>(count);
    for (AddressConnections list : byAddress.values()) {
      for (RealConnection c = list.first(); c != null; c = AddressConnections.next(c)) {
        result.add(c);
      }
    }
    return result;
  }

  /** Forgets every connection, marking each as out of the pool. */
  void clear() {
    for (AddressConnections list : byAddress.values()) {
      for (RealConnection c = list.first(), next; c != null; c = next) {
        next = AddressConnections.next(c);
        c.inPool = false;
        list.remove(c);
      }
    }
    byAddress.clear();
    multiplexed.clear();
    idle.clear();
    count = 0;
  }
}
