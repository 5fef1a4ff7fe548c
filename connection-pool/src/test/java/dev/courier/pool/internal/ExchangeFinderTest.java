package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Dns;
import dev.courier.Protocol;
import dev.courier.http1.Http1ConnectionProvider;
import dev.courier.pool.ConnectionPool;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ThreadLeakExtension.class)
class ExchangeFinderTest {
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("ExchangeFinder Test CA");
  private static final IssuedCertificate SHARED = CA.issue("a.example.com", "b.example.com", "localhost");

  private final TestServer server = new TestServer();
  private final RealConnectionPool pool =
      new RealConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES), System::nanoTime, false);
  private final DefaultRouteSelector routeSelector = new DefaultRouteSelector();
  private final RecordingEventListener listener = new RecordingEventListener();
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @AfterEach
  void tearDown() {
    pool.evictAll();
    executor.shutdownNow();
    server.close();
  }

  private ConnectSettings settings(boolean retryOnConnectionFailure, ProtocolConnectionProvider... providers) {
    return new ConnectSettings(routeSelector, ProtocolProviders.of(List.of(providers)), 0, retryOnConnectionFailure);
  }

  private ConnectSettings http1() {
    return settings(true, new Http1ConnectionProvider());
  }

  private ExchangeFinder finder(Address address, ConnectSettings settings, FakeCall call) {
    return new ExchangeFinder(pool, address, settings, call, listener);
  }

  private ExchangeFinder finder(Address address, ConnectSettings settings) {
    return finder(address, settings, new FakeCall("http://" + address.host() + "/"));
  }

  private static CallLease lease() {
    return new CallLease(new FakeCall("http://localhost/"));
  }

  private static Dns dns(String... ips) {
    return host -> {
      List<InetAddress> result = new ArrayList<>();
      for (String ip : ips) {
        result.add(InetAddress.getByName(ip));
      }
      return result;
    };
  }

  private static RealConnection find(ExchangeFinder finder, CallLease lease) throws IOException {
    return finder.find(lease, 5_000, 5_000, 5_000, false);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  @Test
  void newConnectionIsPooledAndReusedAfterRelease() throws Exception {
    server.enqueue(ScriptedResponse.builder().body("one").build());
    server.enqueue(ScriptedResponse.builder().body("two").build());
    server.start();
    Address address = new AddressBuilder("127.0.0.1", server.port()).build();

    CallLease first = lease();
    ExchangeFinder firstFinder = finder(address, http1());
    RealConnection connection = find(firstFinder, first);
    assertThat(firstFinder.lastFindConnected()).isTrue();
    assertThat(Http1Exchanges.get(connection, url("/1"))).isEqualTo("200 one");
    PoolAccess.release(connection, first);
    assertThat(pool.idleConnectionCount()).isEqualTo(1);
    int eventsAfterFirst = listener.events().size();

    CallLease second = lease();
    ExchangeFinder secondFinder = finder(address, http1());
    RealConnection reused = find(secondFinder, second);

    assertThat(reused).isSameAs(connection);
    assertThat(secondFinder.lastFindConnected()).isFalse();
    assertThat(Http1Exchanges.get(reused, url("/2"))).isEqualTo("200 two");
    assertThat(server.connectionCount()).isEqualTo(1);
    assertThat(listener.events().subList(eventsAfterFirst, listener.events().size())).isEmpty();
    PoolAccess.release(reused, second);
  }

  @Test
  void http1ConnectionInUseIsNotShared() throws IOException {
    server.start();
    Address address = new AddressBuilder("127.0.0.1", server.port()).build();

    RealConnection first = find(finder(address, http1()), lease());
    RealConnection second = find(finder(address, http1()), lease());

    assertThat(second).isNotSameAs(first);
    assertThat(pool.connectionCount()).isEqualTo(2);
  }

  @Test
  void connectFailureFallsBackToTheNextRoute() throws IOException {
    server.start();
    // Nothing listens on 127.0.0.2; the server listens on 127.0.0.1 only.
    Address address = new AddressBuilder("two-routes.example", server.port()).dns(dns("127.0.0.2", "127.0.0.1")).build();
    ExchangeFinder finder = finder(address, http1());

    RealConnection connection = find(finder, lease());

    assertThat(connection.route().socketAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(listener.names()).containsExactly("proxySelectStart", "proxySelectEnd", "dnsStart", "dnsEnd",
        "connectStart", "connectFailed", "connectStart", "connectEnd");
    assertThat(listener.connectFailures()).singleElement().isInstanceOf(ConnectException.class);
    assertThat(routeSelector.routeDatabase().failedCount()).isEqualTo(1);
    assertThat(finder.hasMoreRoutes()).isFalse();
  }

  @Test
  void failedRouteIsTriedLastNextTime() throws IOException {
    server.start();
    Address address = new AddressBuilder("two-routes.example", server.port()).dns(dns("127.0.0.2", "127.0.0.1")).build();
    find(finder(address, http1()), lease());
    int before = listener.events().size();

    find(finder(address, http1()), lease());

    List<String> second = listener.events().subList(before, listener.events().size());
    assertThat(second).contains("connectStart /127.0.0.1:" + server.port())
        .doesNotContain("connectStart /127.0.0.2:" + server.port());
  }

  @Test
  void retryDisabledStopsAfterTheFirstFailure() throws IOException {
    server.start();
    Address address = new AddressBuilder("two-routes.example", server.port()).dns(dns("127.0.0.2", "127.0.0.1")).build();
    ExchangeFinder finder = finder(address, settings(false, new Http1ConnectionProvider()));

    assertThatThrownBy(() -> find(finder, lease())).isInstanceOf(ConnectException.class);
    assertThat(listener.names()).containsOnlyOnce("connectStart");
    assertThat(finder.hasMoreRoutes()).isTrue();
  }

  @Test
  void everyRouteFailingThrowsTheFirstFailureWithTheOthersSuppressed() throws IOException {
    server.start();
    Address address = new AddressBuilder("dead.example", server.port()).dns(dns("127.0.0.2", "127.0.0.3")).build();
    ExchangeFinder finder = finder(address, http1());

    assertThatThrownBy(() -> find(finder, lease()))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("127.0.0.2")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
            .satisfies(suppressed -> assertThat(suppressed).hasMessageContaining("127.0.0.3")));
    assertThat(finder.hasMoreRoutes()).isFalse();
  }

  @Test
  void hostnameMismatchIsNotRetriedOnOtherRoutes() throws IOException {
    server.useHttps(CA.serverContext(CA.issue("localhost")));
    server.start();
    Address address = new AddressBuilder("wrong.example", server.port()).dns(dns("127.0.0.1", "127.0.0.1"))
        .https(CA.clientSocketFactory()).build();

    assertThatThrownBy(() -> find(finder(address, http1()), lease()))
        .isInstanceOf(SSLPeerUnverifiedException.class)
        .hasMessageStartingWith("Hostname wrong.example not verified");
    assertThat(listener.names()).containsOnlyOnce("connectStart");
  }

  @Test
  void untrustedCertificateIsNotRetriedOnOtherRoutes() throws IOException {
    server.useHttps(CA.serverContext(SHARED));
    server.start();
    TestCertificateAuthority stranger = TestCertificateAuthority.create("Stranger CA");
    Address address = new AddressBuilder("localhost", server.port()).dns(dns("127.0.0.1", "127.0.0.1"))
        .https(stranger.clientSocketFactory()).build();

    assertThatThrownBy(() -> find(finder(address, http1()), lease()))
        .isInstanceOf(SSLHandshakeException.class);
    assertThat(listener.names()).containsOnlyOnce("connectStart");
  }

  @Test
  void dnsFailureReachesTheCaller() {
    Dns failing = host -> {
      throw new UnknownHostException();
    };
    Address address = new AddressBuilder("nowhere.example", 80).dns(failing).build();

    assertThatThrownBy(() -> find(finder(address, http1()), lease()))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("nowhere.example");
  }

  @Test
  void failedRouteSelectionLeavesNoRouteToRetry() {
    List<String> lookups = new ArrayList<>();
    Dns failing = host -> {
      lookups.add(host);
      throw new UnknownHostException(host + ": unknown");
    };
    Address address = new AddressBuilder("nowhere.example", 80).dns(failing).build();
    ExchangeFinder finder = finder(address, http1());
    assertThat(finder.hasMoreRoutes()).isTrue();

    assertThatThrownBy(() -> find(finder, lease())).isInstanceOf(UnknownHostException.class);

    assertThat(finder.hasMoreRoutes()).isFalse();
    assertThat(lookups).containsExactly("nowhere.example");
  }

  @Test
  void routeSelectorWithNoRoutesLeavesNoRouteToRetry() {
    Address address = new AddressBuilder("nowhere.example", 80).build();
    dev.courier.spi.RouteSelector empty = new dev.courier.spi.RouteSelector() {
      @Override
      public List<dev.courier.Route> select(Address a, dev.courier.Call call, dev.courier.EventListener l) {
        return List.of();
      }

      @Override
      public void connectFailed(dev.courier.Route route, IOException failure) {}

      @Override
      public void connected(dev.courier.Route route) {}

      @Override
      public String toString() {
        return "EmptySelector";
      }
    };
    ExchangeFinder finder = finder(address,
        new ConnectSettings(empty, ProtocolProviders.of(List.of(new Http1ConnectionProvider())), 0, true));

    assertThatThrownBy(() -> find(finder, lease()))
        .isInstanceOf(IOException.class)
        .hasMessage("EmptySelector returned no routes for nowhere.example:80");
    assertThat(finder.hasMoreRoutes()).isFalse();
  }

  @Test
  void requiredNewConnectionSkipsIdlePooledConnections() throws IOException {
    server.start();
    Address address = new AddressBuilder("127.0.0.1", server.port()).build();
    CallLease first = lease();
    RealConnection pooled = find(finder(address, http1()), first);
    PoolAccess.release(pooled, first);
    assertThat(pool.idleConnectionCount()).isEqualTo(1);

    ExchangeFinder finder = finder(address, http1());
    finder.requireNewConnection();
    RealConnection fresh = find(finder, lease());

    assertThat(fresh).isNotSameAs(pooled);
    assertThat(finder.lastFindConnected()).isTrue();
    assertThat(pool.connectionCount()).isEqualTo(2);
  }

  @Test
  void staleConnectionIsDetectedAndReplaced() throws Exception {
    // A keep-alive response, after which the server closes the connection while it sits idle.
    server.enqueue(ScriptedResponse.builder().raw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst")
        .closeConnectionAfter().build());
    server.enqueue(ScriptedResponse.builder().body("second").build());
    server.start();
    Address address = new AddressBuilder("127.0.0.1", server.port()).build();
    CallLease first = lease();
    RealConnection stale = find(finder(address, http1()), first);
    assertThat(Http1Exchanges.get(stale, url("/1"))).isEqualTo("200 first");
    PoolAccess.release(stale, first);
    assertThat(pool.idleConnectionCount()).isEqualTo(1);
    awaitUnhealthy(stale);

    CallLease second = lease();
    RealConnection fresh = finder(address, http1()).find(second, 5_000, 5_000, 5_000, true);

    assertThat(fresh).isNotSameAs(stale);
    assertThat(stale.socket().isClosed()).isTrue();
    assertThat(Http1Exchanges.get(fresh, url("/2"))).isEqualTo("200 second");
    assertThat(server.connectionCount()).isEqualTo(2);
    assertThat(pool.connectionCount()).isEqualTo(1);
  }

  @Test
  void unhealthyPooledConnectionIsClosedAndReplaced() throws IOException {
    server.start();
    Address address = new AddressBuilder("127.0.0.1", server.port()).build();
    ConnectSettings settings = settings(true, new FakeProtocolConnectionProvider(Protocol.HTTP_1_1));
    CallLease first = lease();
    RealConnection sick = find(finder(address, settings), first);
    PoolAccess.release(sick, first);
    TestConnections.fake(sick).healthy(false);

    RealConnection replacement = find(finder(address, settings), lease());

    assertThat(replacement).isNotSameAs(sick);
    assertThat(TestConnections.fake(sick).isClosed()).isTrue();
    assertThat(pool.connectionCount()).isEqualTo(1);
  }

  @Test
  void multiplexedConnectionIsSharedByConcurrentCalls() throws IOException {
    server.start();
    Address address = new AddressBuilder("127.0.0.1", server.port()).protocols(Protocol.H2_PRIOR_KNOWLEDGE).build();
    FakeProtocolConnectionProvider h2 = new FakeProtocolConnectionProvider(Protocol.H2_PRIOR_KNOWLEDGE);
    ConnectSettings settings = settings(true, h2);

    RealConnection first = find(finder(address, settings), lease());
    RealConnection second = find(finder(address, settings), lease());

    assertThat(second).isSameAs(first);
    assertThat(h2.created()).hasSize(1);
    assertThat(pool.leaseCount(first)).isEqualTo(2);
  }

  @Test
  void fullMultiplexedConnectionLeadsToAnotherOne() throws IOException {
    server.start();
    Address address = new AddressBuilder("127.0.0.1", server.port()).protocols(Protocol.H2_PRIOR_KNOWLEDGE).build();
    FakeProtocolConnectionProvider h2 = new FakeProtocolConnectionProvider(Protocol.H2_PRIOR_KNOWLEDGE);
    ConnectSettings settings = settings(true, h2);
    RealConnection first = find(finder(address, settings), lease());
    TestConnections.fake(first).capacity(1);

    RealConnection second = find(finder(address, settings), lease());

    assertThat(second).isNotSameAs(first);
    assertThat(pool.connectionCount()).isEqualTo(2);
  }

  @Test
  void http2ConnectionIsCoalescedForAnotherHostOnTheSameIp() throws IOException {
    server.useHttps(CA.serverContext(SHARED));
    server.protocols(List.of("h2", "http/1.1"));
    server.start();
    FakeProtocolConnectionProvider both = new FakeProtocolConnectionProvider(Protocol.HTTP_2, Protocol.HTTP_1_1);
    ConnectSettings settings = settings(true, both);
    // Coalescing needs every setting but the host to be equal, the same instances included.
    Dns sameIp = dns("127.0.0.1");
    SSLSocketFactory tls = CA.clientSocketFactory();
    Address a = new AddressBuilder("a.example.com", server.port()).dns(sameIp)
        .https(tls).protocols(Protocol.HTTP_2, Protocol.HTTP_1_1).build();
    Address b = new AddressBuilder("b.example.com", server.port()).dns(sameIp)
        .https(tls).protocols(Protocol.HTTP_2, Protocol.HTTP_1_1).build();
    RealConnection connectionA = find(finder(a, settings), lease());
    assertThat(connectionA.protocol()).isEqualTo(Protocol.HTTP_2);
    int before = listener.events().size();

    RealConnection connectionB = find(finder(b, settings), lease());

    assertThat(connectionB).isSameAs(connectionA);
    assertThat(listener.names().subList(before, listener.events().size()))
        .containsExactly("proxySelectStart", "proxySelectEnd", "dnsStart", "dnsEnd");
    assertThat(both.created()).hasSize(1);
  }

  @Test
  void providersOfferedInAlpnHearOfThePendingConnectEvenIfTheyFailTo() throws IOException {
    server.useHttps(CA.serverContext(SHARED));
    server.protocols(List.of("h2", "http/1.1"));
    server.start();
    FakeProtocolConnectionProvider both = new FakeProtocolConnectionProvider(Protocol.HTTP_2, Protocol.HTTP_1_1);
    both.failConnectionPending(new IllegalStateException("cannot prepare"));
    Address address = new AddressBuilder("localhost", server.port()).dns(dns("127.0.0.1"))
        .https(CA.clientSocketFactory()).protocols(Protocol.HTTP_2, Protocol.HTTP_1_1).build();

    RealConnection connection = find(finder(address, settings(true, both)), lease());

    assertThat(connection.protocol()).isEqualTo(Protocol.HTTP_2);
    assertThat(both.connectionsPending()).isGreaterThan(0);
  }

  @Test
  void cleartextHttp1ConnectDoesNotTellTheHttp2Provider() throws IOException {
    server.start();
    FakeProtocolConnectionProvider http2 = new FakeProtocolConnectionProvider(Protocol.HTTP_2);
    Address address = new AddressBuilder("127.0.0.1", server.port())
        .protocols(Protocol.HTTP_2, Protocol.HTTP_1_1).build();

    CallLease lease = lease();
    RealConnection connection = find(finder(address,
        settings(true, new Http1ConnectionProvider(), http2)), lease);

    assertThat(connection.protocol()).isEqualTo(Protocol.HTTP_1_1);
    assertThat(http2.connectionsPending()).isZero();
    PoolAccess.release(connection, lease);
  }

  @Test
  void cancelFailsAConnectInProgressPromptly() throws Exception {
    BlockingSocketFactory blocking = new BlockingSocketFactory();
    Address address = new AddressBuilder("slow.example", 80).dns(dns("127.0.0.1"))
        .socketFactory(blocking).build();
    ExchangeFinder finder = finder(address, http1());
    Future<RealConnection> result = executor.submit(() -> finder.find(lease(), 0, 0, 0, false));
    assertThat(blocking.connectEntered.await(10, TimeUnit.SECONDS)).isTrue();

    finder.cancel();

    assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
        .cause().isInstanceOf(IOException.class).hasMessage("Canceled");
  }

  @Test
  void canceledCallDoesNotConnect() throws IOException {
    server.start();
    Address address = new AddressBuilder("127.0.0.1", server.port()).build();
    FakeCall call = new FakeCall(url("/"));
    call.cancel();

    assertThatThrownBy(() -> find(finder(address, http1(), call), lease())).hasMessage("Canceled");
    assertThat(listener.names()).doesNotContain("connectStart");
  }

  @Test
  void publicPoolFacadeIsAccepted() throws IOException {
    server.start();
    ConnectionPool publicPool = new ConnectionPool();
    Address address = new AddressBuilder("127.0.0.1", server.port()).build();
    ExchangeFinder finder = new ExchangeFinder(publicPool, address, http1(), new FakeCall(url("/")), listener);
    CallLease lease = lease();

    RealConnection connection = finder.find(lease, 5_000, 5_000, 5_000, false);
    PoolAccess.release(connection, lease);

    assertThat(publicPool.idleConnectionCount()).isEqualTo(1);
    publicPool.evictAll();
    assertThat(publicPool.connectionCount()).isZero();
    assertThat(connection.socket().isClosed()).isTrue();
  }

  private static void awaitUnhealthy(RealConnection connection) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    // Each probe waits up to 1 ms for the server's close to arrive.
    while (connection.protocolConnection().isHealthy(true)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the server's close did not arrive within 10 s");
      }
    }
  }

  @Test
  void finderCanceledBeforeItsFirstFindDoesNotConnect() throws IOException {
    server.start();
    Address address = new AddressBuilder("127.0.0.1", server.port()).build();
    ExchangeFinder finder = finder(address, http1());
    finder.cancel();

    assertThatThrownBy(() -> find(finder, lease())).hasMessage("Canceled");
    assertThat(listener.names()).doesNotContain("connectStart");
  }
}
