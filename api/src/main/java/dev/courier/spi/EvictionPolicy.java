package dev.courier.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Decides which pooled connections the pool closes or retires and when it looks again, whether a
 * connection may take one more exchange, and in which order idle connections are handed out. The
 * default keeps at most 5 idle connections for at most 5 minutes, and hands out the most recently
 * used first.
 *
 * <p>A policy sees every pooled connection, busy ones included, with its age, use count, idle
 * time, address, protocol and exchanges in flight ({@link PooledConnection}). In
 * {@link #evaluate} it may close idle connections and retire any connection: a retired connection
 * takes no new exchanges and is closed once its last exchange ends. Each decision carries a
 * {@link Reason}, which the pool reports when it closes the connection.
 *
 * <p>A policy written for the first version of this interface implements only
 * {@link #evict(List, long, List)}, which sees idle connections only; the default
 * {@link #evaluate} calls it.
 *
 * <p>The pool calls {@link #evaluate} from one thread at a time, but not always the same thread,
 * and without holding its lock; it calls {@link #refuseNewExchange} under its lock from any
 * thread, possibly while {@code evaluate} runs. A policy should be stateless or guard its state.
 */
public interface EvictionPolicy {
  /** Orders in which idle connections to one address are handed out. */
  enum IdleOrder {
    /** Most recently used first: keeps few connections warm and lets the rest expire. */
    LIFO,
    /** Least recently used first: spreads calls over every idle connection. */
    FIFO
  }

  /** Why a policy closes or retires a connection. */
  enum Reason {
    /** The connection stayed idle for too long. */
    IDLE_TIMEOUT,
    /** The pool holds more idle connections than the policy allows. */
    IDLE_LIMIT,
    /** The connection is older than the policy allows. */
    LIFETIME,
    /** The connection carried as many exchanges as the policy allows. */
    MAX_USES,
    /** Any other reason of the policy's own. */
    POLICY
  }

  /** Receives a policy's decisions during one {@link #evaluate} call. */
  interface Decisions {
    /**
     * Closes {@code connection} now if it is idle. The pool ignores the decision if the connection
     * was handed out since the policy's snapshot was taken, or if it carries exchanges.
     *
     * @throws NullPointerException if an argument is null
     */
    void closeIdle(PooledConnection connection, Reason reason);

    /**
     * Retires {@code connection}: it takes no new exchanges, and is closed now if it is idle, else
     * once its last exchange ends.
     *
     * @throws NullPointerException if an argument is null
     */
    void retire(PooledConnection connection, Reason reason);
  }

  /**
   * Decides which of {@code connections} to close or retire now, and when to look again. The
   * default passes the idle connections to {@link #evict(List, long, List)} and closes what it
   * chooses with {@link Reason#POLICY}.
   *
   * @param connections every pooled connection: the idle ones first, least recently used first,
   *     then those carrying exchanges. Unmodifiable, and valid only during this call.
   * @param nowNanos the current {@link System#nanoTime()} of the pool's clock
   * @param decisions receives the connections to close or retire, each at most once
   * @return nanoseconds until the pool should call again, or -1 if nothing remains that could
   *     expire (the pool calls again when a connection is pooled or becomes idle)
   */
  default long evaluate(List<? extends PooledConnection> connections, long nowNanos, Decisions decisions) {
    List<PooledConnection> idle = new ArrayList<>(connections.size());
    for (PooledConnection connection : connections) {
      if (connection.isIdle()) {
        idle.add(connection);
      }
    }
    if (idle.isEmpty()) {
      return -1;
    }
    List<IdleConnection> evict = new ArrayList<>();
    long result = evict(Collections.unmodifiableList(idle), nowNanos, evict);
    for (IdleConnection connection : evict) {
      if (connection instanceof PooledConnection) {
        decisions.closeIdle((PooledConnection) connection, Reason.POLICY);
      }
    }
    return result;
  }

  /**
   * Chooses which of {@code idle} to close now and when to look again: the first version of this
   * interface, called by the default {@link #evaluate}. The default closes nothing and returns -1.
   *
   * @param idle the idle connections, least recently used first
   * @param nowNanos the current {@link System#nanoTime()}
   * @param evict receives the connections to close
   * @return nanoseconds until the pool should call again, or -1 if nothing remains that could
   *     expire (the pool calls again when a connection becomes idle)
   */
  default long evict(List<? extends IdleConnection> idle, long nowNanos, List<? super IdleConnection> evict) {
    return -1;
  }

  /**
   * Returns why {@code connection} must not take one more exchange, or null if it may. The pool
   * asks just before it hands out a pooled connection; a non-null answer retires the connection
   * (closing it at once if idle) and the pool looks for another. This runs on every acquisition
   * under the pool's lock, so it must be cheap and must not block. The default returns null.
   *
   * @param connection the live connection, read under the pool's lock
   * @param nowNanos the current instant of the pool's clock
   */
  default Reason refuseNewExchange(PooledConnection connection, long nowNanos) {
    return null;
  }

  /** Returns the order in which idle connections are handed out. Default {@link IdleOrder#LIFO}. */
  default IdleOrder idleOrder() {
    return IdleOrder.LIFO;
  }
}
