package dev.courier.spi;

import dev.courier.Protocol;
import java.io.IOException;
import java.util.Set;

/**
 * Makes {@link ProtocolConnection}s for the protocols it speaks; found with
 * {@link java.util.ServiceLoader} through {@code META-INF/services/dev.courier.spi.ProtocolConnectionProvider}.
 *
 * <p>The protocols offered in ALPN are exactly those that discovered (or explicitly given)
 * providers speak. When two providers speak the same protocol, the higher priority wins unless the
 * user names one.
 */
public interface ProtocolConnectionProvider extends Provider {
  /** Returns the protocols this provider speaks, such as {@code HTTP_1_1}. */
  Set<Protocol> protocols();

  /**
   * Starts speaking {@code transport.protocol()} over {@code transport}. For HTTP/2 this sends the
   * connection preface and settings and starts the connection's reader thread.
   *
   * @param listener receives capacity changes the connection reports on its own
   * @throws IOException if the protocol could not be started on this transport
   */
  ProtocolConnection create(Transport transport, ConnectionOptions options,
      ProtocolConnection.Listener listener) throws IOException;
}
