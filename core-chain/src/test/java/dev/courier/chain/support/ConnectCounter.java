package dev.courier.chain.support;

import dev.courier.Call;
import dev.courier.EventListener;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the connections a client starts to open, across its calls. Thread-safe. */
public final class ConnectCounter extends EventListener {
  private final AtomicInteger connectStarts = new AtomicInteger();

  @Override
  public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
    connectStarts.incrementAndGet();
  }

  /** Starts counting from zero again. */
  public void reset() {
    connectStarts.set(0);
  }

  /** Returns how many connects started since creation or the last {@link #reset()}. */
  public int connectStarts() {
    return connectStarts.get();
  }
}
