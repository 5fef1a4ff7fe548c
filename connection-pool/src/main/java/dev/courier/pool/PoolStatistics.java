package dev.courier.pool;

import dev.courier.Address;
import dev.courier.pool.internal.AddressCounters;
import java.util.Map;

/**
 * Counts a pool's connections and acquisitions at one instant, in total and {@linkplain
 * #byAddress() per address}. Returned by {@link ConnectionPool#statistics()}; the counts are kept
 * as things happen, so taking a snapshot costs one short hold of the pool's lock and a copy per
 * address. Immutable and thread-safe.
 */
public final class PoolStatistics extends ConnectionStatistics {
  private final Map<Address, AddressStatistics> byAddress;

  PoolStatistics(AddressCounters totals, Map<Address, AddressStatistics> byAddress) {
    super(totals);
    this.byAddress = Map.copyOf(byAddress);
  }

  /**
   * Returns the counts of each address the pool holds connections to or has calls looking for
   * one; unmodifiable.
   */
  public Map<Address, AddressStatistics> byAddress() {
    return byAddress;
  }

  @Override
  public String toString() {
    return "PoolStatistics{" + countsToString() + ", addresses=" + byAddress.size() + "}";
  }
}
