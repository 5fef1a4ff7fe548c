package dev.courier.http1;

import dev.courier.Protocol;
import dev.courier.http1.toolkit.Http1Limits;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.Transport;
import java.util.Objects;
import java.util.Set;

/**
 * Provides {@link Http1Connection}s: registered with {@link java.util.ServiceLoader} as
 * {@code "courier-http1"}, priority 0, speaking {@link Protocol#HTTP_1_1}. Responses from HTTP/1.0
 * servers are read too and reported as {@link Protocol#HTTP_1_0}, but HTTP/1.0 is never offered.
 * Stateless and thread-safe.
 */
public final class Http1ConnectionProvider implements ProtocolConnectionProvider {
  /** The name users select this provider by. */
  public static final String NAME = "courier-http1";

  private final Http1Limits limits;

  /**
   * Creates the provider with the {@linkplain Http1Limits#DEFAULT default limits};
   * {@link java.util.ServiceLoader} calls this.
   */
  public Http1ConnectionProvider() {
    this(Http1Limits.DEFAULT);
  }

  /**
   * Creates a provider whose connections apply {@code limits} to response heads, trailer sections
   * and chunk-size lines; give it to the client builder to use other limits than the defaults.
   */
  public Http1ConnectionProvider(Http1Limits limits) {
    this.limits = Objects.requireNonNull(limits, "limits == null");
  }

  /** Returns the limits this provider's connections apply. */
  public Http1Limits limits() {
    return limits;
  }

  /** Returns {@value #NAME}. */
  @Override
  public String name() {
    return NAME;
  }

  /** Returns 0, the priority of built-in providers. */
  @Override
  public int priority() {
    return 0;
  }

  /** Returns {@code {HTTP_1_1}}. */
  @Override
  public Set<Protocol> protocols() {
    return Set.of(Protocol.HTTP_1_1);
  }

  /**
   * Returns a new HTTP/1.1 connection over {@code transport}; nothing is sent until the first
   * exchange. HTTP/1.1 has no connection-level traffic, so {@code options} is not used.
   *
   * @throws IllegalArgumentException if the transport negotiated a protocol other than HTTP/1.1
   */
  @Override
  public ProtocolConnection create(Transport transport, ConnectionOptions options,
      ProtocolConnection.Listener listener) {
    return new Http1Connection(transport, listener, limits);
  }
}
