package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Dns;
import dev.courier.Protocol;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lines up connection searches behind a connect held at a gate and checks what each does once it
 * ends: share the multiplexed connection, connect on its own at once, or stop when canceled.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ThreadLeakExtension.class)
class PendingConnectsTest {
  private static final int WAITERS = 20;
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("PendingConnects Test CA");
  private static final IssuedCertificate LOCALHOST = CA.issue("localhost");
  private static final IssuedCertificate SHARED = CA.issue("a.example.com", "b.example.com");

  private static final Dns LOOPBACK = host -> List.of(InetAddress.getByName("127.0.0.1"));

  private final TestServer server = new TestServer();
  private final RealConnectionPool pool =
      new RealConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES), System::nanoTime, false);
  private final RecordingEventListener listener = new RecordingEventListener();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<ExchangeFinder> finders = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void tearDown() throws InterruptedException {
    for (ExchangeFinder finder : finders) {
      finder.cancel();
    }
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    pool.close();
    server.close();
  }

  private ConnectSettings settings(FakeProtocolConnectionProvider provider) {
    return new ConnectSettings(new DefaultRouteSelector(), ProtocolProviders.of(List.of(provider)), 0, true);
  }

  /** Returns an https address offering h2 and http/1.1, resolving to 127.0.0.1 only. */
  private Address httpsAddress(GatedSocketFactory sockets) {
    return new AddressBuilder("localhost", server.port()).dns(LOOPBACK).socketFactory(sockets)
        .https(CA.clientSocketFactory()).protocols(Protocol.HTTP_2, Protocol.HTTP_1_1).build();
  }

  private Address h2cAddress(GatedSocketFactory sockets) {
    return new AddressBuilder("127.0.0.1", server.port()).socketFactory(sockets)
        .protocols(Protocol.H2_PRIOR_KNOWLEDGE).build();
  }

  /** Starts a search for a connection on another thread with the given connect timeout. */
  private Future<RealConnection> startFind(Address address, ConnectSettings settings, int connectTimeoutMillis) {
    ExchangeFinder finder = new ExchangeFinder(pool, address, settings,
        new FakeCall("http://" + address.host() + "/"), listener);
    finders.add(finder);
    CallLease lease = new CallLease(new FakeCall("http://" + address.host() + "/"));
    return executor.submit(() -> finder.find(lease, connectTimeoutMillis, 5_000, 5_000, false));
  }

  private List<Future<RealConnection>> startWaiters(Address address, ConnectSettings settings) throws InterruptedException {
    return startWaiters(address, settings, 5_000);
  }

  private List<Future<RealConnection>> startWaiters(Address address, ConnectSettings settings,
      int connectTimeoutMillis) throws InterruptedException {
    List<Future<RealConnection>> waiters = new ArrayList<>();
    for (int i = 0; i < WAITERS; i++) {
      waiters.add(startFind(address, settings, connectTimeoutMillis));
    }
    awaitValue("waiters", () -> pool.pendingConnects().waiterCount(address), WAITERS);
    return waiters;
  }

  @Test
  void searchesWaitForTheConnectInFlightAndShareItsConnection() throws Exception {
    server.start();
    GatedSocketFactory sockets = new GatedSocketFactory();
    Address address = h2cAddress(sockets);
    FakeProtocolConnectionProvider h2 = new FakeProtocolConnectionProvider(Protocol.H2_PRIOR_KNOWLEDGE);
    ConnectSettings settings = settings(h2);
    Future<RealConnection> leader = startFind(address, settings, 5_000);
    assertThat(sockets.firstConnectEntered.await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<RealConnection>> waiters = startWaiters(address, settings);

    sockets.open();

    RealConnection shared = leader.get(10, TimeUnit.SECONDS);
    for (Future<RealConnection> waiter : waiters) {
      assertThat(waiter.get(10, TimeUnit.SECONDS)).isSameAs(shared);
    }
    assertThat(sockets.connectCount()).isEqualTo(1);
    assertThat(h2.created()).hasSize(1);
    assertThat(listener.names().stream().filter("connectStart"::equals)).hasSize(1);
    assertThat(pool.leaseCount(shared)).isEqualTo(WAITERS + 1);
    assertThat(pool.pendingConnects().inFlightCount()).isZero();
  }

  @Test
  void waitersConnectOnTheirOwnAtOnceWhenTheServerChoosesHttp1() throws Exception {
    server.useHttps(CA.serverContext(LOCALHOST));
    server.protocols(List.of("http/1.1"));
    server.start();
    // The waiters' connects must all be in progress at once, or they fail: not one after another.
    GatedSocketFactory sockets = new GatedSocketFactory(1, WAITERS);
    Address address = httpsAddress(sockets);
    FakeProtocolConnectionProvider both = new FakeProtocolConnectionProvider(Protocol.HTTP_2, Protocol.HTTP_1_1);
    ConnectSettings settings = settings(both);
    Future<RealConnection> leader = startFind(address, settings, 5_000);
    assertThat(sockets.firstConnectEntered.await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<RealConnection>> waiters = startWaiters(address, settings);

    sockets.open();

    Set<RealConnection> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
    assertThat(leader.get(10, TimeUnit.SECONDS).protocol()).isEqualTo(Protocol.HTTP_1_1);
    distinct.add(leader.get());
    for (Future<RealConnection> waiter : waiters) {
      RealConnection connection = waiter.get(20, TimeUnit.SECONDS);
      assertThat(connection.protocol()).isEqualTo(Protocol.HTTP_1_1);
      distinct.add(connection);
    }
    assertThat(distinct).hasSize(WAITERS + 1);
    assertThat(sockets.connectCount()).isEqualTo(WAITERS + 1);
  }

  @Test
  void searchesDoNotWaitOnceTheServerIsKnownToChooseHttp1() throws Exception {
    server.useHttps(CA.serverContext(LOCALHOST));
    server.protocols(List.of("http/1.1"));
    server.start();
    GatedSocketFactory sockets = new GatedSocketFactory(2, 0);
    Address address = httpsAddress(sockets);
    ConnectSettings settings = settings(new FakeProtocolConnectionProvider(Protocol.HTTP_2, Protocol.HTTP_1_1));
    RealConnection first = startFind(address, settings, 5_000).get(10, TimeUnit.SECONDS);
    assertThat(first.protocol()).isEqualTo(Protocol.HTTP_1_1);

    // The pooled HTTP/1.1 connection is busy: the next searches connect without leading or waiting.
    Future<RealConnection> second = startFind(address, settings, 0);
    assertThat(sockets.firstConnectEntered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(pool.pendingConnects().inFlightCount()).isZero();
    RealConnection third = startFind(address, settings, 0).get(10, TimeUnit.SECONDS);

    assertThat(third).isNotSameAs(first);
    assertThat(second.isDone()).isFalse();
    sockets.open();
    assertThat(second.get(10, TimeUnit.SECONDS)).isNotSameAs(third).isNotSameAs(first);
  }

  @Test
  void waitersMakeTheirOwnAttemptWhenTheConnectInFlightFails() throws Exception {
    server.start();
    GatedSocketFactory sockets = new GatedSocketFactory();
    Address address = h2cAddress(sockets);
    FakeProtocolConnectionProvider h2 = new FakeProtocolConnectionProvider(Protocol.H2_PRIOR_KNOWLEDGE);
    ConnectSettings settings = settings(h2);
    Future<RealConnection> leader = startFind(address, settings, 5_000);
    assertThat(sockets.firstConnectEntered.await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<RealConnection>> waiters = startWaiters(address, settings);

    sockets.failFirst();

    assertThatThrownBy(() -> leader.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ConnectException.class);
    for (Future<RealConnection> waiter : waiters) {
      assertThat(waiter.get(10, TimeUnit.SECONDS).protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
    }
    // Each waiter made at most one attempt of its own (some found a connection another one had
    // pooled meanwhile): at least one besides the leader's, never more than one each.
    assertThat(sockets.connectCount()).isBetween(2, WAITERS + 1);
    assertThat(pool.pendingConnects().inFlightCount()).isZero();
  }

  @Test
  void canceledWaiterStopsAtOnceAndHoldsNothing() throws Exception {
    server.start();
    GatedSocketFactory sockets = new GatedSocketFactory();
    Address address = h2cAddress(sockets);
    ConnectSettings settings = settings(new FakeProtocolConnectionProvider(Protocol.H2_PRIOR_KNOWLEDGE));
    Future<RealConnection> leader = startFind(address, settings, 0);
    assertThat(sockets.firstConnectEntered.await(10, TimeUnit.SECONDS)).isTrue();
    // No connect timeout: only the cancel can end this wait.
    Future<RealConnection> waiter = startFind(address, settings, 0);
    awaitValue("waiters", () -> pool.pendingConnects().waiterCount(address), 1);

    finders.get(1).cancel();

    assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IOException.class).hasMessage("Canceled");
    assertThat(pool.pendingConnects().waiterCount(address)).isZero();
    sockets.open();
    RealConnection connection = leader.get(10, TimeUnit.SECONDS);
    assertThat(pool.leaseCount(connection)).isEqualTo(1);
    assertThat(sockets.connectCount()).isEqualTo(1);
  }

  @Test
  void waitEndsAfterTheConnectTimeoutAndTheWaiterConnectsOnItsOwn() throws Exception {
    server.start();
    GatedSocketFactory sockets = new GatedSocketFactory();
    Address address = h2cAddress(sockets);
    FakeProtocolConnectionProvider h2 = new FakeProtocolConnectionProvider(Protocol.H2_PRIOR_KNOWLEDGE);
    ConnectSettings settings = settings(h2);
    Future<RealConnection> leader = startFind(address, settings, 0);
    assertThat(sockets.firstConnectEntered.await(10, TimeUnit.SECONDS)).isTrue();

    RealConnection alone = startFind(address, settings, 200).get(10, TimeUnit.SECONDS);

    assertThat(sockets.connectCount()).isEqualTo(2);
    assertThat(leader.isDone()).isFalse();
    // The leader's connect completes later and shares the connection pooled meanwhile.
    sockets.open();
    assertThat(leader.get(10, TimeUnit.SECONDS)).isSameAs(alone);
    assertThat(h2.created()).hasSize(2);
    // The leader's own connection, made second, lost to the one pooled first and was closed.
    assertThat(h2.created().get(1).awaitClosed()).isTrue();
  }

  @Test
  void cleartextHttp1SearchesNeverWait() throws Exception {
    server.start();
    GatedSocketFactory sockets = new GatedSocketFactory();
    Address address = new AddressBuilder("127.0.0.1", server.port()).socketFactory(sockets).build();
    ConnectSettings settings = settings(new FakeProtocolConnectionProvider(Protocol.HTTP_1_1));
    Future<RealConnection> first = startFind(address, settings, 0);
    assertThat(sockets.firstConnectEntered.await(10, TimeUnit.SECONDS)).isTrue();

    RealConnection second = startFind(address, settings, 0).get(10, TimeUnit.SECONDS);

    assertThat(second.protocol()).isEqualTo(Protocol.HTTP_1_1);
    assertThat(pool.pendingConnects().inFlightCount()).isZero();
    sockets.open();
    assertThat(first.get(10, TimeUnit.SECONDS)).isNotSameAs(second);
  }

  @Test
  void searchThatFailsBeforeConnectingReleasesItsWaiters() throws Exception {
    // The leader's DNS lookup is held, then fails; its waiters then look up on their own.
    CountDownLatch lookupEntered = new CountDownLatch(1);
    CountDownLatch failLookups = new CountDownLatch(1);
    Dns failing = host -> {
      lookupEntered.countDown();
      try {
        failLookups.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new UnknownHostException(host + ": test DNS knows no hosts");
    };
    Address address = new AddressBuilder("no-such-host.invalid", 80).dns(failing)
        .protocols(Protocol.H2_PRIOR_KNOWLEDGE).build();
    ConnectSettings settings = settings(new FakeProtocolConnectionProvider(Protocol.H2_PRIOR_KNOWLEDGE));
    Future<RealConnection> leader = startFind(address, settings, 0);
    assertThat(lookupEntered.await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<RealConnection>> waiters = startWaiters(address, settings);

    failLookups.countDown();

    assertThatThrownBy(() -> leader.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(UnknownHostException.class);
    for (Future<RealConnection> waiter : waiters) {
      assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(UnknownHostException.class);
    }
    assertThat(pool.pendingConnects().inFlightCount()).isZero();
  }

  @Test
  void waitersOfASearchThatCoalescedSearchOnTheirOwnAtOnce() throws Exception {
    server.useHttps(CA.serverContext(SHARED));
    server.protocols(List.of("h2"));
    server.start();
    // b.example.com's first lookup is held; the later ones must all be in progress at once, which
    // they are only if the waiters went on their own rather than leading one after another.
    CountDownLatch firstLookupOfB = new CountDownLatch(1);
    CountDownLatch releaseFirstLookup = new CountDownLatch(1);
    CountDownLatch concurrentLookups = new CountDownLatch(WAITERS);
    AtomicInteger lookupsOfB = new AtomicInteger();
    Dns dns = host -> {
      if (host.equals("b.example.com")) {
        if (lookupsOfB.incrementAndGet() == 1) {
          firstLookupOfB.countDown();
          await(releaseFirstLookup);
        } else {
          concurrentLookups.countDown();
          if (!await(concurrentLookups)) {
            throw new UnknownHostException("lookups of " + host + " did not run concurrently");
          }
        }
      }
      return List.of(InetAddress.getByName("127.0.0.1"));
    };
    SSLSocketFactory tls = CA.clientSocketFactory();
    Address a = new AddressBuilder("a.example.com", server.port()).dns(dns)
        .https(tls).protocols(Protocol.HTTP_2, Protocol.HTTP_1_1).build();
    Address b = new AddressBuilder("b.example.com", server.port()).dns(dns)
        .https(tls).protocols(Protocol.HTTP_2, Protocol.HTTP_1_1).build();
    FakeProtocolConnectionProvider both = new FakeProtocolConnectionProvider(Protocol.HTTP_2, Protocol.HTTP_1_1);
    ConnectSettings settings = settings(both);
    RealConnection connectionA = startFind(a, settings, 5_000).get(10, TimeUnit.SECONDS);
    Future<RealConnection> leader = startFind(b, settings, 0);
    assertThat(firstLookupOfB.await(10, TimeUnit.SECONDS)).isTrue();
    // No connect timeout, so that no wait ends for want of patience.
    List<Future<RealConnection>> waiters = startWaiters(b, settings, 0);

    releaseFirstLookup.countDown();

    assertThat(leader.get(10, TimeUnit.SECONDS)).isSameAs(connectionA);
    for (Future<RealConnection> waiter : waiters) {
      assertThat(waiter.get(20, TimeUnit.SECONDS)).isSameAs(connectionA);
    }
    assertThat(both.created()).hasSize(1);
  }

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void awaitValue(String what, IntSupplier value, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (value.getAsInt() != expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " stayed " + value.getAsInt() + ", expected " + expected);
      }
      Thread.sleep(1);
    }
  }
}
