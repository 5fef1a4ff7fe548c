package dev.courier.examples.customcodec;

import dev.courier.Protocol;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.Transport;
import java.util.Set;

/**
 * Provides {@link Http10Connection}s; found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.courier.spi.ProtocolConnectionProvider}.
 *
 * <p>It announces {@link Protocol#HTTP_1_0} only. Courier never downgrades on its own: a discovered
 * HTTP/1.0 provider serves cleartext and {@code http/1.1}-negotiated connections only when the user
 * chooses it by name, on the builder or with
 * {@code -Ddev.courier.spi.ProtocolConnectionProvider=example-http10}. Stateless and thread-safe.
 */
// snippet: codec-provider
public final class Http10ConnectionProvider implements ProtocolConnectionProvider {
  /** The name users choose this provider by. */
  public static final String NAME = "example-http10";

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public Http10ConnectionProvider() {}

  /** Returns {@value #NAME}. */
  @Override
  public String name() {
    return NAME;
  }

  /** Returns {@code {HTTP_1_0}}. */
  @Override
  public Set<Protocol> protocols() {
    return Set.of(Protocol.HTTP_1_0);
  }

  /** Returns a new HTTP/1.0 connection over {@code transport}; nothing is sent yet. */
  @Override
  public ProtocolConnection create(Transport transport, ConnectionOptions options,
      ProtocolConnection.Listener listener) {
    return new Http10Connection(transport);
  }
}
// end snippet
