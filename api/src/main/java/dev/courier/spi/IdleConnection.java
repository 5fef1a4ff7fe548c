package dev.courier.spi;

import dev.courier.Address;
import dev.courier.Protocol;
import dev.courier.Route;

/**
 * Describes a pooled connection that carries no exchange, as the first version of {@link
 * EvictionPolicy#evict(java.util.List, long, java.util.List)} sees it; {@link PooledConnection}
 * adds what a policy needs to judge busy connections too.
 */
public interface IdleConnection {
  /** Returns the address the connection serves. */
  Address address();

  /** Returns the route the connection followed. */
  Route route();

  /** Returns the protocol the connection speaks. */
  Protocol protocol();

  /** Returns the {@link System#nanoTime()}-based instant at which the connection became idle. */
  long idleAtNanos();
}
