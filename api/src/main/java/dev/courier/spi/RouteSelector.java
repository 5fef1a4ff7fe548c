package dev.courier.spi;

import dev.courier.Address;
import dev.courier.Call;
import dev.courier.EventListener;
import dev.courier.Route;
import java.io.IOException;
import java.util.List;

/**
 * Chooses the routes to try for an {@link Address}, in order, and learns from their outcomes. The
 * default resolves every proxy the address's selector returns and every IP address of the target,
 * and tries routes that failed recently last.
 *
 * <p>One selector serves the whole client, from many threads at once: implementations must be
 * thread-safe.
 */
public interface RouteSelector {
  /**
   * Returns the routes to try for {@code address}, best first; never empty. Reports proxy
   * selection and DNS lookups to {@code listener}. A call whose selection throws (or returns no
   * routes) fails at once with that exception and does not ask again, so any fallback belongs in
   * here.
   *
   * @throws java.net.UnknownHostException if a host name could not be resolved
   * @throws IOException if no route exists
   */
  List<Route> select(Address address, Call call, EventListener listener) throws IOException;

  /** Records that connecting over {@code route} failed with {@code failure}. */
  void connectFailed(Route route, IOException failure);

  /** Records that connecting over {@code route} succeeded. */
  void connected(Route route);
}
