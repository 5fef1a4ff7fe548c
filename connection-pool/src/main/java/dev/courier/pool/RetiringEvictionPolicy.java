package dev.courier.pool;

import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.IdleConnection;
import dev.courier.spi.PooledConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Retires connections, busy or idle, by a rule of each connection's own (its age, its uses), and
 * leaves the idle ones it keeps to another policy: the mechanism {@link MaxLifetimeEvictionPolicy}
 * and {@link MaxUsesEvictionPolicy} share. The rule is also asked before each exchange, so a
 * connection never takes one past its limit.
 */
abstract class RetiringEvictionPolicy implements EvictionPolicy {
  private final EvictionPolicy idlePolicy;

  RetiringEvictionPolicy(EvictionPolicy idlePolicy) {
    this.idlePolicy = Objects.requireNonNull(idlePolicy, "idlePolicy == null");
  }

  /** Returns the policy that judges the connections this one keeps. */
  public final EvictionPolicy idlePolicy() {
    return idlePolicy;
  }

  /** Returns why {@code connection} must be retired at {@code nowNanos}, or null. */
  abstract Reason retirement(PooledConnection connection, long nowNanos);

  /**
   * Returns nanoseconds until {@code connection}, which is not retired at {@code nowNanos}, must
   * be, or -1 if time alone never retires it.
   */
  abstract long untilRetirement(PooledConnection connection, long nowNanos);

  /**
   * Retires every connection the rule retires, then lets the idle policy judge the rest.
   *
   * @return nanoseconds until the next kept connection must be retired or the idle policy wants
   *     to look again, whichever is sooner; or -1 if neither will
   */
  @Override
  public final long evaluate(List<? extends PooledConnection> connections, long nowNanos, Decisions decisions) {
    List<PooledConnection> kept = new ArrayList<>(connections.size());
    for (PooledConnection connection : connections) {
      Reason reason = retirement(connection, nowNanos);
      if (reason != null) {
        decisions.retire(connection, reason);
      } else {
        kept.add(connection);
      }
    }
    // Watch what the idle policy closes: those connections need no retirement deadline.
    Set<PooledConnection> closedByIdlePolicy = Collections.newSetFromMap(new IdentityHashMap<>());
    long wait = idlePolicy.evaluate(Collections.unmodifiableList(kept), nowNanos, new Decisions() {
      @Override
      public void closeIdle(PooledConnection connection, Reason reason) {
        closedByIdlePolicy.add(connection);
        decisions.closeIdle(connection, reason);
      }

      @Override
      public void retire(PooledConnection connection, Reason reason) {
        closedByIdlePolicy.add(connection);
        decisions.retire(connection, reason);
      }
    });
    for (PooledConnection connection : kept) {
      if (!closedByIdlePolicy.contains(connection)) {
        wait = sooner(wait, untilRetirement(connection, nowNanos));
      }
    }
    return wait;
  }

  /**
   * Leaves idle connections to the idle policy: the first version of this interface sees neither
   * age nor uses, so this policy's own rule applies only through {@link #evaluate} and
   * {@link #refuseNewExchange}.
   */
  @Override
  public final long evict(List<? extends IdleConnection> idle, long nowNanos, List<? super IdleConnection> evict) {
    return idlePolicy.evict(idle, nowNanos, evict);
  }

  /** Refuses a connection the rule retires, else whatever the idle policy refuses. */
  @Override
  public final Reason refuseNewExchange(PooledConnection connection, long nowNanos) {
    Reason reason = retirement(connection, nowNanos);
    return reason != null ? reason : idlePolicy.refuseNewExchange(connection, nowNanos);
  }

  /** Returns the idle policy's order. */
  @Override
  public final IdleOrder idleOrder() {
    return idlePolicy.idleOrder();
  }

  private static long sooner(long a, long b) {
    if (a < 0) {
      return b;
    }
    return b < 0 ? a : Math.min(a, b);
  }
}
