package dev.courier.pool;

import dev.courier.Address;
import dev.courier.pool.internal.AddressCounters;

/**
 * Counts the connections a pool holds for one address, and the acquisitions of calls to it. A
 * connection counts under the address it was opened for, even while a coalesced HTTP/2 call to
 * another address uses it; an acquisition counts under the address the call asked for.
 *
 * <p>The pool forgets an address once it holds no connection to it and no call looks for one, so
 * its cumulative counts start again from zero if it comes back; {@link PoolStatistics}'s totals
 * never restart. Immutable and thread-safe.
 */
public final class AddressStatistics extends ConnectionStatistics {
  private final Address address;

  AddressStatistics(Address address, AddressCounters counts) {
    super(counts);
    this.address = address;
  }

  /** Returns the address counted. */
  public Address address() {
    return address;
  }

  @Override
  public String toString() {
    return "AddressStatistics{" + address.host() + ":" + address.port() + ", " + countsToString() + "}";
  }
}
