package dev.courier;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolves host names to IP addresses. Implementations must be thread-safe. */
@FunctionalInterface
public interface Dns {
  /** Resolves with {@link InetAddress#getAllByName}, in the order the system returns. */
  Dns SYSTEM = new Dns() {
    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
      if (hostname == null) {
        throw new UnknownHostException("hostname == null");
      }
      try {
        return List.of(InetAddress.getAllByName(hostname));
      } catch (NullPointerException e) {
        UnknownHostException unknown = new UnknownHostException("Broken system behaviour for dns lookup of " + hostname);
        unknown.initCause(e);
        throw unknown;
      }
    }
  };

  /**
   * Returns the addresses of {@code hostname}, in the order they should be tried; never empty.
   *
   * @throws UnknownHostException if the name cannot be resolved
   */
  List<InetAddress> lookup(String hostname) throws UnknownHostException;
}
