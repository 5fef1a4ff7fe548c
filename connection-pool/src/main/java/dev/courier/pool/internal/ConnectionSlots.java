package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.pool.PoolLimits;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts the slots taken under a pool's {@link PoolLimits}: per address and in total, the
 * connections open and the connects in flight (reserved slots), and per address the calls waiting
 * for a slot. An address is forgotten once nothing of it is counted. Decides nothing: {@link
 * ConnectionLimiter} decides who gets a slot.
 *
 * <p>Guarded by the pool's lock.
 */
final class ConnectionSlots {
  private final PoolLimits limits;
  private final Map<Address, Slots> byAddress = new HashMap<>();
  private int total;

  ConnectionSlots(PoolLimits limits) {
    this.limits = limits;
  }

  /** Returns true if a connection to {@code address} fits under both limits. */
  boolean hasRoom(Address address) {
    return count(address) < limits.maxConnectionsPerAddress() && total < limits.maxConnections();
  }

  /** Returns true if the total limit has room for one more connection. */
  boolean hasTotalRoom() {
    return total < limits.maxConnections();
  }

  /** Returns true if the per-address limit of {@code address} is reached. */
  boolean isAddressFull(Address address) {
    return count(address) >= limits.maxConnectionsPerAddress();
  }

  /** Takes a slot for a connect to {@code address}. */
  void reserve(Address address) {
    slots(address).reserved++;
    total++;
  }

  /** Gives back a slot {@link #reserve} took; returns false if none was counted. */
  boolean unreserve(Address address) {
    Slots slots = byAddress.get(address);
    if (slots == null || slots.reserved == 0) {
      return false;
    }
    slots.reserved--;
    freed(address, slots);
    return true;
  }

  /** Counts a connection to {@code address} newly pooled. */
  void opened(Address address) {
    slots(address).open++;
    total++;
  }

  /** Stops counting a pooled connection to {@code address}; returns false if none was counted. */
  boolean closed(Address address) {
    Slots slots = byAddress.get(address);
    if (slots == null || slots.open == 0) {
      return false;
    }
    slots.open--;
    freed(address, slots);
    return true;
  }

  /** Counts a call waiting for a slot to {@code address}. */
  void waiterAdded(Address address) {
    slots(address).waiting++;
  }

  /** Stops counting a call waiting for a slot to {@code address}. */
  void waiterRemoved(Address address) {
    Slots slots = byAddress.get(address);
    if (slots != null) {
      slots.waiting--;
      forgetIfUnused(address, slots);
    }
  }

  /** Returns the connections open and connects in flight to {@code address}. */
  int count(Address address) {
    Slots slots = byAddress.get(address);
    return slots != null ? slots.count() : 0;
  }

  /** Returns the connections open and connects in flight to every address. */
  int total() {
    return total;
  }

  /** Returns how many calls wait for a slot to {@code address}. */
  int waiting(Address address) {
    Slots slots = byAddress.get(address);
    return slots != null ? slots.waiting : 0;
  }

  /** Forgets every count. */
  void clear() {
    byAddress.clear();
    total = 0;
  }

  private void freed(Address address, Slots slots) {
    total--;
    forgetIfUnused(address, slots);
  }

  private void forgetIfUnused(Address address, Slots slots) {
    if (slots.count() + slots.waiting == 0) {
      byAddress.remove(address);
    }
  }

  private Slots slots(Address address) {
    Slots slots = byAddress.get(address);
    if (slots == null) {
      slots = new Slots();
      byAddress.put(address, slots);
    }
    return slots;
  }

  /** The counts of one address. */
  private static final class Slots {
    int open;
    int reserved;
    int waiting;

    int count() {
      return open + reserved;
    }
  }
}
