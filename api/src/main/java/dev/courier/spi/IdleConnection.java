package dev.courier.spi;

import dev.courier.Address;
import dev.courier.Protocol;
import dev.courier.Route;

/** Describes a pooled connection that carries no exchange, as an {@link EvictionPolicy} sees it. */
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
