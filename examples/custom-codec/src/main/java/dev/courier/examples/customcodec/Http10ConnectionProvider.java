package dev.courier.examples.customcodec;

import dev.courier.Protocol;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.Transport;
import java.util.Set;

/**
 * Provides {@link Http10Connection}s; found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.courier.spi.ProtocolConnectionProvider}, so that an application with
 * this jar on its class path sends HTTP/1.0 without any change.
 *
 * <p>It announces {@link Protocol#HTTP_1_1} with priority 10, above the built-in codec's 0: that is
 * the protocol a cleartext connection (or an {@code http/1.1} ALPN agreement) is opened for, and
 * the higher priority makes this provider win it. Stateless and thread-safe.
 */
public final class Http10ConnectionProvider implements ProtocolConnectionProvider {
  /** The name users select this provider by. */
  public static final String NAME = "example-http10";

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public Http10ConnectionProvider() {}

  /** Returns {@value #NAME}. */
  @Override
  public String name() {
    return NAME;
  }

  /** Returns 10, so that this provider wins over the built-in HTTP/1.1 codec. */
  @Override
  public int priority() {
    return 10;
  }

  /** Returns {@code {HTTP_1_1}}: the protocol slot this codec serves (see the class comment). */
  @Override
  public Set<Protocol> protocols() {
    return Set.of(Protocol.HTTP_1_1);
  }

  /** Returns a new HTTP/1.0 connection over {@code transport}; nothing is sent yet. */
  @Override
  public ProtocolConnection create(Transport transport, ConnectionOptions options,
      ProtocolConnection.Listener listener) {
    return new Http10Connection(transport);
  }
}
