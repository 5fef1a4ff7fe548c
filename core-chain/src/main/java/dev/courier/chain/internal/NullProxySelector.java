package dev.courier.chain.internal;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;

/**
 * Selects no proxy for every URI; stands in when the system has no default proxy selector or the
 * client has an explicit proxy. Stateless and thread-safe.
 */
public final class NullProxySelector extends ProxySelector {
  /** The single instance. */
  public static final NullProxySelector INSTANCE = new NullProxySelector();

  private NullProxySelector() {}

  @Override
  public List<Proxy> select(URI uri) {
    if (uri == null) {
      throw new IllegalArgumentException("uri == null");
    }
    return List.of(Proxy.NO_PROXY);
  }

  @Override
  public void connectFailed(URI uri, SocketAddress address, IOException failure) {}

  @Override
  public String toString() {
    return "NullProxySelector";
  }
}
