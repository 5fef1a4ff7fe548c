package dev.courier.spi;

import dev.courier.Protocol;
import dev.courier.Route;
import java.io.IOException;
import java.util.Set;

/**
 * Makes {@link ProtocolConnection}s for the protocols it speaks; found with
 * {@link java.util.ServiceLoader} through {@code META-INF/services/dev.courier.spi.ProtocolConnectionProvider}.
 *
 * <p>The protocols offered in ALPN are exactly those that discovered (or explicitly given)
 * providers speak; a provider may announce a protocol Courier does not know ({@link
 * Protocol#of}). When two providers speak the same protocol, the higher priority wins unless the
 * user names one. A provider speaking {@link Protocol#HTTP_1_0} but not HTTP/1.1 serves cleartext
 * and {@code http/1.1}-negotiated connections only when the user chooses it by name.
 *
 * <p>By default the pool connects the transport (TCP, a proxy tunnel, TLS with ALPN) and hands it
 * to {@link #create}. A provider that {@link #opensOwnTransport() opens its own transport} (a Unix
 * domain socket, QUIC over UDP) is asked to {@link #openTransport open} it instead.
 */
public interface ProtocolConnectionProvider extends Provider {
  /** Returns the protocols this provider speaks, such as {@code HTTP_1_1}. */
  Set<Protocol> protocols();

  /**
   * Starts speaking {@code transport.protocol()} over {@code transport}. For HTTP/2 this sends the
   * connection preface and settings and starts the connection's reader thread.
   *
   * @param options timeouts, pings and this provider's {@link ConnectionOptions#settings() settings}
   * @param listener receives capacity changes the connection reports on its own
   * @throws IOException if the protocol could not be started on this transport
   */
  ProtocolConnection create(Transport transport, ConnectionOptions options,
      ProtocolConnection.Listener listener) throws IOException;

  /**
   * Tells this provider that the pool is about to open a connection that may speak one of its
   * protocols, before it resolves routes and connects the transport, so that the provider can
   * prepare what its first connection needs (load and initialise classes, say, on a daemon thread)
   * while DNS, TCP and TLS are under way. Called on the calling thread, possibly many times and
   * from many threads; it must return at once, and anything it throws is ignored. Does nothing by
   * default.
   */
  default void connectionPending() {}

  /**
   * Returns true if this provider opens its own transports with {@link #openTransport} instead of
   * receiving a TCP (or TLS) socket connected by the pool. Default false.
   */
  default boolean opensOwnTransport() {
    return false;
  }

  /**
   * Returns true if {@link #openTransport} needs routes resolved by the client's route selector
   * (DNS, proxies), as QUIC over UDP does. False (for a transport that ignores the host, such as a
   * Unix domain socket) skips route selection: the route is direct, to the unresolved host and
   * port. Default true; consulted only if {@link #opensOwnTransport()} is true.
   */
  default boolean usesResolvedRoutes() {
    return true;
  }

  /**
   * Opens this provider's own transport for {@code protocol} over {@code route}, within
   * {@code options}' connect timeout; the pool then calls {@link #create} with it. Called only if
   * {@link #opensOwnTransport()} returns true, for the first protocol of the address's list that
   * this provider was chosen for. The pool closes the returned transport's link if starting the
   * protocol fails or the call was canceled meanwhile.
   *
   * @throws IOException if the transport could not be opened; the message should name the peer
   * @throws UnsupportedOperationException by default
   */
  default Transport openTransport(Route route, Protocol protocol, ConnectionOptions options)
      throws IOException {
    throw new UnsupportedOperationException(name() + " does not open its own transports");
  }
}
