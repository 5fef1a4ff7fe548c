package dev.courier.pool.internal;

import dev.courier.pool.ConnectionPool;
import java.util.Objects;
import java.util.function.Function;

/**
 * Gives Courier's own modules the pool operations that are not part of the public
 * {@link ConnectionPool} API. Not promised to users.
 */
public final class PoolAccess {
  private static volatile Function<ConnectionPool, RealConnectionPool> realPools;

  private PoolAccess() {}

  /**
   * Ends {@code lease}'s use of {@code connection} once its exchange is done: the pool closes the
   * connection if it takes no new exchanges and no other call uses it, else makes it idle when no
   * other call uses it.
   */
  public static void release(RealConnection connection, CallLease lease) {
    connection.pool().release(connection, lease);
  }

  /** Returns the engine behind {@code pool}. */
  public static RealConnectionPool realPool(ConnectionPool pool) {
    Objects.requireNonNull(pool, "pool == null");
    Function<ConnectionPool, RealConnectionPool> accessor = realPools;
    if (accessor == null) {
      throw new IllegalStateException("ConnectionPool is not initialized");
    }
    return accessor.apply(pool);
  }

  /**
   * Installs the accessor that {@link ConnectionPool} offers for its engine; called once by
   * {@code ConnectionPool}'s class initializer.
   *
   * @throws IllegalStateException if an accessor is already installed
   */
  public static void install(Function<ConnectionPool, RealConnectionPool> accessor) {
    synchronized (PoolAccess.class) {
      if (realPools != null) {
        throw new IllegalStateException("already installed");
      }
      realPools = Objects.requireNonNull(accessor, "accessor == null");
    }
  }
}
