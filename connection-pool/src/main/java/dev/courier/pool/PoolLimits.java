package dev.courier.pool;

/**
 * Caps how many connections a {@link ConnectionPool} holds open: per address (scheme, host, port
 * and the connection settings of an {@link dev.courier.Address}) and in total. Connects in flight
 * count as connections. An HTTP/2 connection counts once however many calls share it.
 *
 * <p>A call that would open a connection beyond a limit does not open it: it waits, first come
 * first served, until a connection to its address has room, or a slot frees up because a
 * connection closed or a connect failed. The wait lasts at most the call's connect timeout (then
 * the call fails with {@link ConnectionLimitTimeoutException}), and ends at once when the call is
 * canceled. When only the total limit stands in the way, the pool closes an idle connection to
 * another address to make room rather than keep the caller waiting.
 *
 * <p>The default, {@link #UNLIMITED}, limits nothing. Immutable.
 *
 * @param maxConnectionsPerAddress the most connections open to one address, at least 1
 * @param maxConnections the most connections open in total, at least 1
 */
public record PoolLimits(int maxConnectionsPerAddress, int maxConnections) {
  /** Limits nothing: as many connections per address and in total as calls need. */
  public static final PoolLimits UNLIMITED = new PoolLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);

  /**
   * Checks the limits.
   *
   * @throws IllegalArgumentException naming the setting, if a limit is less than 1
   */
  public PoolLimits {
    if (maxConnectionsPerAddress < 1) {
      throw new IllegalArgumentException(
          "maxConnectionsPerAddress < 1: " + maxConnectionsPerAddress);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections < 1: " + maxConnections);
    }
  }

  /**
   * Returns these limits with at most {@code max} connections per address.
   *
   * @throws IllegalArgumentException if {@code max} is less than 1
   */
  public PoolLimits withMaxConnectionsPerAddress(int max) {
    return new PoolLimits(max, maxConnections);
  }

  /**
   * Returns these limits with at most {@code max} connections in total.
   *
   * @throws IllegalArgumentException if {@code max} is less than 1
   */
  public PoolLimits withMaxConnections(int max) {
    return new PoolLimits(maxConnectionsPerAddress, max);
  }

  /** Returns true if these limits cap anything. */
  public boolean isLimited() {
    return maxConnectionsPerAddress != Integer.MAX_VALUE || maxConnections != Integer.MAX_VALUE;
  }
}
