package dev.courier.examples;

import dev.courier.Call;
import dev.courier.Connection;
import dev.courier.EventListener;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts connections opened and acquired, from connection events; thread-safe. */
final class ConnectionCounter extends EventListener {
  final AtomicInteger connectStarts = new AtomicInteger();
  final AtomicInteger acquisitions = new AtomicInteger();
  final AtomicInteger callEnds = new AtomicInteger();
  final Set<Connection> distinctConnections = Collections.synchronizedSet(
      Collections.newSetFromMap(new IdentityHashMap<>()));

  @Override
  public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
    connectStarts.incrementAndGet();
  }

  @Override
  public void connectionAcquired(Call call, Connection connection) {
    acquisitions.incrementAndGet();
    distinctConnections.add(connection);
  }

  @Override
  public void callEnd(Call call) {
    callEnds.incrementAndGet();
  }
}
