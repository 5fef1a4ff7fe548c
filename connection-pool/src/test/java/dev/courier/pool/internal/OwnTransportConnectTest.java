package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Protocol;
import dev.courier.Route;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.Transport;
import dev.courier.spi.TransportLink;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * A provider that opens its own transport: no TCP socket is connected (the route's port has no
 * listener at all), the provider's link carries the connection, and failures close that link.
 */
class OwnTransportConnectTest {
  private final RealConnectionPool pool =
      new RealConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES), System::nanoTime, false);
  private final RecordingEventListener listener = new RecordingEventListener();
  private final FakeCall call = new FakeCall("http://localhost/");

  /** A link over nothing but memory, so any use of a socket would show. */
  static final class MemoryLink implements TransportLink {
    volatile boolean closed;

    @Override
    public boolean isOpen() {
      return !closed;
    }

    @Override
    public boolean hasReadableBytes() {
      return false;
    }

    @Override
    public boolean staysQuiet(int timeoutMillis) {
      return true;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** Opens {@link MemoryLink}s for the protocols given, recording what it was asked for. */
  static final class OwnTransportProvider implements ProtocolConnectionProvider {
    final Set<Protocol> protocols;
    final List<MemoryLink> links = new CopyOnWriteArrayList<>();
    final List<String> opened = new CopyOnWriteArrayList<>();
    final List<ConnectionOptions> options = new CopyOnWriteArrayList<>();
    Function<Transport, ProtocolConnection> factory;
    RuntimeException openFailure;
    IOException openIoFailure;

    OwnTransportProvider(Protocol... protocols) {
      this.protocols = Set.of(protocols);
      this.factory = transport -> new FakeProtocolConnection(transport, ProtocolConnection.Listener.NONE);
    }

    @Override
    public String name() {
      return "own";
    }

    @Override
    public Set<Protocol> protocols() {
      return protocols;
    }

    @Override
    public boolean opensOwnTransport() {
      return true;
    }

    @Override
    public Transport openTransport(Route route, Protocol protocol, ConnectionOptions options)
        throws IOException {
      opened.add(protocol + " " + route.address().host());
      this.options.add(options);
      if (openIoFailure != null) {
        throw openIoFailure;
      }
      if (openFailure != null) {
        throw openFailure;
      }
      MemoryLink link = new MemoryLink();
      links.add(link);
      return new Transport(link, new Buffer(), new Buffer(), route, null, protocol);
    }

    @Override
    public ProtocolConnection create(Transport transport, ConnectionOptions options,
        ProtocolConnection.Listener listener) {
      return factory.apply(transport);
    }
  }

  private Connector connector(Map<String, Map<String, String>> settings,
      ProtocolConnectionProvider... providers) {
    ConnectSettings connectSettings = new ConnectSettings(new DefaultRouteSelector(),
        ProtocolProviders.of(List.of(providers), Map.of(), settings), 0, true);
    return new Connector(pool, connectSettings, call, listener);
  }

  /** A route to a port nothing listens on: connecting TCP there would fail. */
  private static Route route(Address address) throws IOException {
    return new Route(address, Proxy.NO_PROXY, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1));
  }

  @Test
  void cleartextConnectionGoesOverTheProvidersOwnTransportWithItsSettings() throws IOException {
    OwnTransportProvider own = new OwnTransportProvider(Protocol.HTTP_1_1);
    Address address = new AddressBuilder("localhost", 80).build();

    RealConnection connection = connector(Map.of("own", Map.of("path", "/run/app.sock")), own)
        .connect(route(address), 1_000, 2_000, 3_000);

    assertThat(own.opened).containsExactly("http/1.1 localhost");
    assertThat(connection.protocol()).isEqualTo(Protocol.HTTP_1_1);
    assertThat(connection.socket()).isNull();
    assertThat(connection.protocolConnection().transport().link()).isSameAs(own.links.get(0));
    ConnectionOptions options = own.options.get(0);
    assertThat(options.connectTimeoutMillis()).isEqualTo(1_000);
    assertThat(options.readTimeoutMillis()).isEqualTo(2_000);
    assertThat(options.writeTimeoutMillis()).isEqualTo(3_000);
    assertThat(options.settings().get("path")).isEqualTo("/run/app.sock");
    assertThat(listener.names()).containsExactly("connectStart", "connectEnd");
    connection.closeQuietly();
    assertThat(own.links.get(0).closed).isTrue();
  }

  @Test
  void httpsUsesTheOwnTransportWhenItsProtocolComesFirstWithoutTls() throws IOException {
    Protocol h3 = Protocol.of("h3", true);
    OwnTransportProvider quic = new OwnTransportProvider(h3);
    FakeProtocolConnectionProvider tcp = new FakeProtocolConnectionProvider(Protocol.HTTP_1_1);
    Address address = new AddressBuilder("localhost", 443).https((javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault())
        .protocols(h3, Protocol.HTTP_1_1).build();

    RealConnection connection = connector(Map.of(), quic, tcp).connect(route(address), 1_000, 1_000, 1_000);

    assertThat(quic.opened).containsExactly("h3 localhost");
    assertThat(connection.protocol()).isEqualTo(h3);
    assertThat(connection.isMultiplexed()).isTrue();
    assertThat(listener.names()).doesNotContain("secureConnectStart");
    connection.closeQuietly();
  }

  @Test
  void failureToOpenIsReportedAndRethrown() throws IOException {
    OwnTransportProvider own = new OwnTransportProvider(Protocol.HTTP_1_1);
    own.openIoFailure = new java.net.ConnectException("nobody listens on /run/app.sock");
    Address address = new AddressBuilder("localhost", 80).build();

    assertThatThrownBy(() -> connector(Map.of(), own).connect(route(address), 1_000, 1_000, 1_000))
        .isSameAs(own.openIoFailure);
    assertThat(listener.names()).containsExactly("connectStart", "connectFailed");
  }

  @Test
  void providerThatThrowsWhileOpeningFailsTheConnectNamingIt() throws IOException {
    OwnTransportProvider own = new OwnTransportProvider(Protocol.HTTP_1_1);
    own.openFailure = new IllegalStateException("no socket file configured");
    Address address = new AddressBuilder("localhost", 80).build();

    assertThatThrownBy(() -> connector(Map.of(), own).connect(route(address), 1_000, 1_000, 1_000))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ProtocolConnectionProvider 'own' failed to open its transport to localhost")
        .hasCause(own.openFailure);
    assertThat(listener.names()).containsExactly("connectStart", "connectFailed");
  }

  @Test
  void linkIsClosedWhenTheProtocolFailsToStart() throws IOException {
    OwnTransportProvider own = new OwnTransportProvider(Protocol.HTTP_1_1);
    IllegalArgumentException failure = new IllegalArgumentException("cannot speak this");
    own.factory = transport -> {
      throw failure;
    };
    Address address = new AddressBuilder("localhost", 80).build();

    assertThatThrownBy(() -> connector(Map.of(), own).connect(route(address), 1_000, 1_000, 1_000))
        .isSameAs(failure);
    assertThat(own.links).singleElement().satisfies(link -> assertThat(link.closed).isTrue());
    assertThat(listener.names()).containsExactly("connectStart", "connectFailed");
  }

  @Test
  void canceledConnectorOpensNothing() throws IOException {
    OwnTransportProvider own = new OwnTransportProvider(Protocol.HTTP_1_1);
    Address address = new AddressBuilder("localhost", 80).build();
    Connector connector = connector(Map.of(), own);
    connector.cancel();

    assertThatThrownBy(() -> connector.connect(route(address), 1_000, 1_000, 1_000))
        .isInstanceOf(IOException.class)
        .hasMessage("Canceled");
    assertThat(own.opened).isEmpty();
  }
}
