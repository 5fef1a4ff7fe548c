package dev.courier.pool.internal;

import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.PooledConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Asks the pool's {@link EvictionPolicy#refuseNewExchange} whether a pooled connection may take
 * one more exchange before the pool hands it out, so that limits such as a maximum number of uses
 * hold exactly. A policy that does not override that method costs nothing here: the pool's clock
 * is not even read. A refused connection is retired; idle ones are kept aside for the pool to
 * remove and close once it releases its lock. A policy that throws is logged and taken to admit
 * the connection, so that its failure does not fail calls.
 *
 * <p>Guarded by the pool's lock.
 */
final class ExchangeAdmission {
  private static final List<RealConnection> NONE = List.of();
  private static final System.Logger LOG = System.getLogger("dev.courier.pool.ConnectionPool");

  private final EvictionPolicy policy;
  private final LongSupplier nanoClock;
  private final boolean asksPolicy;
  private List<RealConnection> refusedIdle = NONE;

  ExchangeAdmission(EvictionPolicy policy, LongSupplier nanoClock) {
    this.policy = policy;
    this.nanoClock = nanoClock;
    this.asksPolicy = overridesRefuseNewExchange(policy);
  }

  /**
   * Returns true if {@code connection} may take one more exchange; otherwise retires it with the
   * policy's reason and returns false. Requires the pool lock.
   */
  boolean admitsLocked(RealConnection connection) {
    if (!asksPolicy) {
      return true;
    }
    EvictionPolicy.Reason reason;
    try {
      reason = policy.refuseNewExchange(connection, nanoClock.getAsLong());
    } catch (RuntimeException e) {
      // A broken policy must not fail the call: hand the connection out as if it had said yes.
      LOG.log(System.Logger.Level.WARNING, "Eviction policy " + policy + " failed in refuseNewExchange; "
          + "the connection is handed out", e);
      return true;
    }
    if (reason == null) {
      return true;
    }
    connection.retireLocked(CloseReasons.of(reason));
    if (connection.isIdle()) {
      if (refusedIdle == NONE) {
        refusedIdle = new ArrayList<>(2);
      }
      refusedIdle.add(connection);
    }
    return false;
  }

  /**
   * Returns the idle connections refused since the last call, which the pool must remove and
   * close, and forgets them. Requires the pool lock.
   */
  List<RealConnection> takeRefusedIdleLocked() {
    List<RealConnection> result = refusedIdle;
    refusedIdle = NONE;
    return result;
  }

  private static boolean overridesRefuseNewExchange(EvictionPolicy policy) {
    try {
      return policy.getClass().getMethod("refuseNewExchange", PooledConnection.class, long.class)
          .getDeclaringClass() != EvictionPolicy.class;
    } catch (NoSuchMethodException | SecurityException e) {
      return true; // Cannot tell: ask on every acquisition, which is always correct.
    }
  }
}
