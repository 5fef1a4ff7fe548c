package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Dns;
import dev.courier.EventListener;
import dev.courier.Protocol;
import dev.courier.http1.Http1ConnectionProvider;
import dev.courier.pool.CloseReason;
import dev.courier.pool.ConnectionLimitTimeoutException;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.pool.MaxUsesEvictionPolicy;
import dev.courier.pool.PoolEvent;
import dev.courier.pool.PoolListener;
import dev.courier.pool.PoolLimits;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.testing.ThreadLeakExtension;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs connection searches against a real loopback server under {@link PoolLimits} and checks
 * that the limits hold, that waiters are served in arrival order, and that every way a wait can
 * end (a connection released, a connection closed, a connect failed, a timeout, a cancel, the pool
 * closing) ends it.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ThreadLeakExtension.class)
class ConnectionLimiterTest {
  private static final Dns LOOPBACK = host -> List.of(InetAddress.getByName("127.0.0.1"));
  private static final long AWAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final TestServer server = new TestServer();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<ExchangeFinder> finders = Collections.synchronizedList(new ArrayList<>());
  // Leases stay reachable for the whole test: a collected lease would count as a leak.
  private final List<CallLease> leases = Collections.synchronizedList(new ArrayList<>());
  /** Counts the connects made, as the server's own count may lag behind them. */
  private final GatedSocketFactory sockets = new GatedSocketFactory(Integer.MAX_VALUE, 0);
  private RealConnectionPool pool;

  @AfterEach
  void tearDown() throws InterruptedException {
    for (ExchangeFinder finder : finders) {
      finder.cancel();
    }
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    if (pool != null) {
      pool.close();
    }
    server.close();
  }

  private RealConnectionPool pool(PoolLimits limits) {
    pool = new RealConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES),
        System::nanoTime, false, limits);
    return pool;
  }

  private static ConnectSettings settings(ProtocolConnectionProvider provider) {
    return new ConnectSettings(new DefaultRouteSelector(), ProtocolProviders.of(List.of(provider)), 0, true);
  }

  private static ConnectSettings http1() {
    return settings(new Http1ConnectionProvider());
  }

  private Address address() {
    return new AddressBuilder("127.0.0.1", server.port()).socketFactory(sockets).build();
  }

  /** An address of its own (another host name) for the same server. */
  private Address otherAddress() {
    return new AddressBuilder("localhost", server.port()).dns(LOOPBACK).socketFactory(sockets).build();
  }

  private CallLease lease(Address address) {
    CallLease lease = new CallLease(new FakeCall("http://" + address.host() + "/"));
    leases.add(lease);
    return lease;
  }

  private ExchangeFinder finder(Address address, ConnectSettings settings) {
    ExchangeFinder finder = new ExchangeFinder(pool, address, settings,
        new FakeCall("http://" + address.host() + "/"), EventListener.NONE);
    finders.add(finder);
    return finder;
  }

  private record Held(RealConnection connection, CallLease lease) {
    void release() {
      PoolAccess.release(connection, lease);
    }
  }

  private Held find(Address address, ConnectSettings settings, int connectTimeoutMillis)
      throws IOException {
    CallLease lease = lease(address);
    return new Held(finder(address, settings).find(lease, connectTimeoutMillis, 5_000, 5_000, false), lease);
  }

  private Future<Held> startFind(Address address, ConnectSettings settings, int connectTimeoutMillis) {
    ExchangeFinder finder = finder(address, settings);
    CallLease lease = lease(address);
    return executor.submit(() -> new Held(finder.find(lease, connectTimeoutMillis, 5_000, 5_000, false), lease));
  }

  private void awaitWaiters(int count) throws InterruptedException {
    assertThat(pool.limiter().awaitWaiterCount(count, AWAIT_NANOS))
        .as("%s callers waiting for a slot", count).isTrue();
  }

  @Test
  void perAddressLimitHoldsUnderConcurrentSearches() throws Exception {
    server.start();
    pool(PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(2));
    Address address = address();

    ExecutorCompletionService<Held> searches = new ExecutorCompletionService<>(executor);
    for (int i = 0; i < 8; i++) {
      ExchangeFinder finder = finder(address, http1());
      CallLease lease = lease(address);
      searches.submit(() -> new Held(finder.find(lease, 0, 5_000, 5_000, false), lease));
    }
    // Two searches connect, six wait; each connection released goes to the next waiter.
    awaitWaiters(6);
    List<Held> done = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Future<Held> search = searches.poll(10, TimeUnit.SECONDS);
      assertThat(search).as("search %s done", i).isNotNull();
      Held held = search.get();
      done.add(held);
      held.release();
    }

    assertThat(sockets.connectCount()).isEqualTo(2);
    assertThat(pool.connectionCount()).isEqualTo(2);
    assertThat(done.stream().map(Held::connection).distinct().count()).isEqualTo(2);
    assertThat(pool.limitWaiterCount()).isZero();
  }

  @Test
  void waitersAreServedInArrivalOrder() throws Exception {
    server.start();
    pool(PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(1));
    Address address = address();
    Held first = find(address, http1(), 5_000);

    LinkedBlockingQueue<Integer> served = new LinkedBlockingQueue<>();
    List<Future<Held>> waiters = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int id = i;
      ExchangeFinder finder = finder(address, http1());
      CallLease lease = lease(address);
      waiters.add(executor.submit(() -> {
        Held held = new Held(finder.find(lease, 0, 5_000, 5_000, false), lease);
        served.add(id);
        return held;
      }));
      awaitWaiters(i + 1); // Queue them one by one, so the arrival order is known.
    }

    Held holding = first;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      holding.release();
      int id = served.poll(10, TimeUnit.SECONDS);
      order.add(id);
      holding = waiters.get(id).get(10, TimeUnit.SECONDS);
      assertThat(holding.connection()).isSameAs(first.connection());
    }
    holding.release();

    assertThat(order).containsExactly(0, 1, 2, 3, 4);
    assertThat(sockets.connectCount()).isEqualTo(1);
  }

  @Test
  void newcomerDoesNotJumpTheQueue() throws Exception {
    server.start();
    pool(PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(1));
    Address address = address();
    Held first = find(address, http1(), 5_000);
    Future<Held> waiter = startFind(address, http1(), 0);
    awaitWaiters(1);

    first.release(); // Handed straight to the waiter: nothing idle is left for a newcomer.
    Held second = waiter.get(10, TimeUnit.SECONDS);
    assertThat(second.connection()).isSameAs(first.connection());
    assertThat(pool.idleConnectionCount()).isZero();
    Future<Held> newcomer = startFind(address, http1(), 0);
    awaitWaiters(1);
    second.release();

    newcomer.get(10, TimeUnit.SECONDS).release();
    assertThat(sockets.connectCount()).isEqualTo(1);
  }

  @Test
  void freedSlotGoesToTheEarliestWaiterThatCanUseIt() throws Exception {
    server.start();
    pool(new PoolLimits(1, 2));
    Address a = address();
    Address b = otherAddress();
    Address c = new AddressBuilder("c.example", server.port()).dns(LOOPBACK).socketFactory(sockets).build();
    Held heldA = find(a, http1(), 5_000);
    Held heldB = find(b, http1(), 5_000);
    Future<Held> waiterA = startFind(a, http1(), 0); // First in line, blocked by its address.
    awaitWaiters(1);
    Future<Held> waiterC = startFind(c, http1(), 0); // Second, blocked by the total only.
    awaitWaiters(2);

    heldB.connection().noNewExchanges();
    heldB.release(); // Frees a slot that only the second waiter can use.

    Held atC = waiterC.get(10, TimeUnit.SECONDS);
    assertThat(atC.connection().address()).isEqualTo(c);
    assertThat(waiterA.isDone()).isFalse();
    assertThat(pool.limitWaiterCount(a)).isEqualTo(1);
    heldA.release(); // Handed to the waiter for its address.
    assertThat(waiterA.get(10, TimeUnit.SECONDS).connection()).isSameAs(heldA.connection());
    assertThat(sockets.connectCount()).isEqualTo(3);
  }

  @Test
  void waitEndsAfterTheConnectTimeoutNamingHostAndPerAddressLimit() throws Exception {
    server.start();
    pool(PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(1));
    Address address = address();
    Held first = find(address, http1(), 5_000);

    assertThatThrownBy(() -> find(address, http1(), 200))
        .isInstanceOf(ConnectionLimitTimeoutException.class)
        .hasMessage("Timed out after 200 ms waiting for a connection to 127.0.0.1:" + server.port()
            + ": the limit of 1 connections per address is reached");
    assertThat(pool.limitWaiterCount()).isZero();
    assertThat(sockets.connectCount()).isEqualTo(1);
    first.release();
    assertThat(pool.idleConnectionCount()).isEqualTo(1);
  }

  @Test
  void waitEndsAfterTheConnectTimeoutNamingTheTotalLimit() throws Exception {
    server.start();
    pool(PoolLimits.UNLIMITED.withMaxConnections(1));
    Held first = find(address(), http1(), 5_000);

    assertThatThrownBy(() -> find(otherAddress(), http1(), 200))
        .isInstanceOf(ConnectionLimitTimeoutException.class)
        .hasMessage("Timed out after 200 ms waiting for a connection to localhost:" + server.port()
            + ": the limit of 1 connections in total is reached");
    first.release();
  }

  @Test
  void cancelEndsTheWaitAtOnce() throws Exception {
    server.start();
    pool(PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(1));
    Address address = address();
    Held first = find(address, http1(), 5_000);
    Future<Held> waiter = startFind(address, http1(), 0); // No timeout: only the cancel ends it.
    awaitWaiters(1);

    finders.get(finders.size() - 1).cancel();

    assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IOException.class)
        .cause().hasMessage("Canceled");
    assertThat(pool.limitWaiterCount()).isZero();
    first.release();
    assertThat(pool.idleConnectionCount()).isEqualTo(1); // Not handed to the canceled waiter.
  }

  @Test
  void closedConnectionGivesItsSlotToAWaiter() throws Exception {
    server.start();
    pool(PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(1));
    Address address = address();
    Held first = find(address, http1(), 5_000);
    Future<Held> waiter = startFind(address, http1(), 0);
    awaitWaiters(1);

    first.connection().noNewExchanges();
    first.release(); // Closed, not pooled: its slot goes to the waiter, which connects anew.

    Held second = waiter.get(10, TimeUnit.SECONDS);
    assertThat(second.connection()).isNotSameAs(first.connection());
    assertThat(first.connection().socket().isClosed()).isTrue();
    assertThat(sockets.connectCount()).isEqualTo(2);
    assertThat(pool.connectionCount()).isEqualTo(1);
    second.release();
  }

  @Test
  void failedConnectGivesItsSlotToAWaiter() throws Exception {
    server.start();
    pool(PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(1));
    GatedSocketFactory gated = new GatedSocketFactory();
    Address address = new AddressBuilder("127.0.0.1", server.port()).socketFactory(gated).build();
    Future<Held> leader = startFind(address, http1(), 5_000);
    assertThat(gated.firstConnectEntered.await(10, TimeUnit.SECONDS)).isTrue();
    Future<Held> waiter = startFind(address, http1(), 0);
    awaitWaiters(1); // The stalled connect holds the only slot.

    gated.failFirst();

    assertThatThrownBy(() -> leader.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
    Held held = waiter.get(10, TimeUnit.SECONDS);
    assertThat(gated.connectCount()).isEqualTo(2);
    assertThat(pool.connectionCount()).isEqualTo(1);
    held.release();
  }

  @Test
  void totalLimitRetiresAnIdleConnectionToAnotherAddress() throws Exception {
    server.start();
    pool(PoolLimits.UNLIMITED.withMaxConnections(1));
    Held first = find(address(), http1(), 5_000);
    first.release();
    assertThat(pool.idleConnectionCount()).isEqualTo(1);

    Held other = find(otherAddress(), http1(), 200);

    assertThat(first.connection().socket().isClosed()).isTrue();
    assertThat(pool.connectionCount()).isEqualTo(1);
    assertThat(other.connection().address()).isEqualTo(otherAddress());
    other.release();
  }

  @Test
  void searchThatMustConnectAfreshRetiresAnIdleConnectionOfItsAddress() throws Exception {
    server.start();
    pool(PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(1));
    Address address = address();
    Held first = find(address, http1(), 5_000);
    first.release();
    ExchangeFinder finder = finder(address, http1());
    finder.requireNewConnection(); // As after a pooled connection failed mid-exchange.
    CallLease lease = lease(address);

    RealConnection fresh = finder.find(lease, 200, 5_000, 5_000, false);

    assertThat(fresh).isNotSameAs(first.connection());
    assertThat(first.connection().socket().isClosed()).isTrue();
    assertThat(pool.connectionCount()).isEqualTo(1);
    PoolAccess.release(fresh, lease);
  }

  @Test
  void connectionReleasedIdleMakesRoomForAWaiterBlockedByTheTotalLimit() throws Exception {
    server.start();
    pool(PoolLimits.UNLIMITED.withMaxConnections(1));
    Held first = find(address(), http1(), 5_000);
    Future<Held> waiter = startFind(otherAddress(), http1(), 0);
    awaitWaiters(1);

    first.release(); // Nobody waits for its address: it closes rather than idles.

    Held other = waiter.get(10, TimeUnit.SECONDS);
    assertThat(first.connection().socket().isClosed()).isTrue();
    assertThat(other.connection().address()).isEqualTo(otherAddress());
    assertThat(pool.connectionCount()).isEqualTo(1);
    other.release();
  }

  @Test
  void multiplexedConnectionCountsOnceAndWaitersShareItWhenItHasRoom() throws Exception {
    server.start();
    pool(PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(1));
    Address address = new AddressBuilder("127.0.0.1", server.port()).socketFactory(sockets)
        .protocols(Protocol.H2_PRIOR_KNOWLEDGE).build();
    FakeProtocolConnectionProvider h2 = new FakeProtocolConnectionProvider(Protocol.H2_PRIOR_KNOWLEDGE);
    ConnectSettings settings = settings(h2);

    Held first = find(address, settings, 5_000);
    Held second = find(address, settings, 5_000); // Room for more: shared, not a second slot.
    assertThat(second.connection()).isSameAs(first.connection());

    h2.created().get(0).capacity(2); // Full now: the next search must wait under the limit.
    Future<Held> waiter = startFind(address, settings, 0);
    awaitWaiters(1);
    first.release(); // One stream ends: the waiter takes the room.

    Held third = waiter.get(10, TimeUnit.SECONDS);
    assertThat(third.connection()).isSameAs(first.connection());
    assertThat(h2.created()).hasSize(1);
    assertThat(sockets.connectCount()).isEqualTo(1);
    second.release();
    third.release();
  }

  @Test
  void closingThePoolFailsWaiters() throws Exception {
    server.start();
    pool(PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(1));
    Address address = address();
    find(address, http1(), 5_000);
    Future<Held> waiter = startFind(address, http1(), 0);
    awaitWaiters(1);

    pool.close();

    assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .cause().hasMessage("ConnectionPool is closed");
  }
  @Test
  void anIdleConnectionThePolicyRefusesWhileReservingIsClosedOutsideThePoolLock() throws Exception {
    pool = new RealConnectionPool(new MaxUsesEvictionPolicy(1), System::nanoTime, false,
        PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(2));
    List<String> closes = new CopyOnWriteArrayList<>();
    pool.addListener(new PoolListener() {
      @Override
      public void connectionClosed(PoolEvent event, CloseReason reason) {
        closes.add(reason + (pool.isLockHeldByCurrentThread() ? " under the pool lock" : ""));
      }
    });
    Address address = new AddressBuilder("127.0.0.1", 80).build();
    RealConnection used = TestConnections.connection(pool, address, Protocol.HTTP_1_1);
    CallLease first = lease(address);
    pool.put(used, first);
    pool.release(used, first); // Idle, with its one use spent.

    ConnectionLimiter.Grant grant = pool.limiter().reserve(address, null, true, lease(address),
        pool.limiter().newWaiter(), 0);

    assertThat(grant.connection()).isNull();
    assertThat(grant.reservation()).isNotNull();
    pool.limiter().release(grant.reservation());
    assertThat(TestConnections.fake(used).isClosed()).isTrue();
    assertThat(closes).containsExactly("MAX_USES");
    assertThat(pool.connectionCount()).isZero();
  }
}
