package dev.courier.pool.internal;

import dev.courier.Protocol;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.Transport;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Makes {@link FakeProtocolConnection}s for the protocols it is given, and remembers them. */
public final class FakeProtocolConnectionProvider implements ProtocolConnectionProvider {
  private final Set<Protocol> protocols;
  private final List<FakeProtocolConnection> created = new CopyOnWriteArrayList<>();
  private final List<ConnectionOptions> options = new CopyOnWriteArrayList<>();
  private final AtomicInteger connectionsPending = new AtomicInteger();
  private volatile RuntimeException pendingFailure;

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

  @Override
  public void connectionPending() {
    connectionsPending.incrementAndGet();
    RuntimeException failure = pendingFailure;
    if (failure != null) {
      throw failure;
    }
  }

  /** Makes {@link #connectionPending} throw {@code failure} after counting the call. */
  public void failConnectionPending(RuntimeException failure) {
    this.pendingFailure = failure;
  }

  public int connectionsPending() {
    return connectionsPending.get();
  }

  public List<FakeProtocolConnection> created() {
    return created;
  }

  public List<ConnectionOptions> options() {
    return options;
  }
}
