package dev.courier.pool.internal;

import dev.courier.Protocol;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.Transport;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Makes {@link FakeProtocolConnection}s for the protocols it is given, and remembers them. */
public final class FakeProtocolConnectionProvider implements ProtocolConnectionProvider {
  private final Set<Protocol> protocols;
  private final List<FakeProtocolConnection> created = new CopyOnWriteArrayList<>();
  private final List<ConnectionOptions> options = new CopyOnWriteArrayList<>();

  public FakeProtocolConnectionProvider(Protocol... protocols) {
    this.protocols = Set.of(protocols);
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public Set<Protocol> protocols() {
    return protocols;
  }

  @Override
  public ProtocolConnection create(Transport transport, ConnectionOptions options,
      ProtocolConnection.Listener listener) {
    FakeProtocolConnection connection = new FakeProtocolConnection(transport, listener);
    created.add(connection);
    this.options.add(options);
    return connection;
  }

  public List<FakeProtocolConnection> created() {
    return created;
  }

  public List<ConnectionOptions> options() {
    return options;
  }
}
