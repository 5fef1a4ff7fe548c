package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Protocol;
import dev.courier.pool.CloseReason;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.pool.PoolEvent;
import dev.courier.pool.PoolListener;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** What {@link ExchangeFinder} contributes to the pool's statistics and events, over loopback. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ThreadLeakExtension.class)
class ExchangeFinderObservabilityTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final TestServer server = new TestServer();
  // Each reading of the clock moves it a second on, so every search takes a known, non-zero time.
  private final AtomicLong clock = new AtomicLong();
  private final RealConnectionPool pool = new RealConnectionPool(
      new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES), () -> clock.addAndGet(SECOND), false);
  private final RecordingEventListener listener = new RecordingEventListener();
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<Long> waits = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    pool.close();
    server.close();
  }

  private void listen() {
    pool.addListener(new PoolListener() {
      @Override
      public void connectionOpened(PoolEvent event) {
        events.add("opened");
      }

      @Override
      public void connectionAcquired(PoolEvent event, long waitNanos) {
        events.add("acquired");
        waits.add(waitNanos);
      }

      @Override
      public void connectionReleased(PoolEvent event) {
        events.add("released");
      }

      @Override
      public void connectionClosed(PoolEvent event, CloseReason reason) {
        events.add("closed " + reason);
      }
    });
  }

  private ConnectSettings settings(FakeProtocolConnectionProvider provider) {
    return new ConnectSettings(new DefaultRouteSelector(), ProtocolProviders.of(List.of(provider)), 0, true);
  }

  private ExchangeFinder finder(Address address, ConnectSettings settings) {
    return new ExchangeFinder(pool, address, settings, new FakeCall("http://" + address.host() + "/"), listener);
  }

  private static CallLease lease() {
    return new CallLease(new FakeCall("http://127.0.0.1/"));
  }

  @Test
  void acquisitionsAreCountedWithTheirWaitAndReported() throws IOException {
    server.start();
    listen();
    Address address = new AddressBuilder("127.0.0.1", server.port()).build();
    ConnectSettings settings = settings(new FakeProtocolConnectionProvider(Protocol.HTTP_1_1));

    CallLease first = lease();
    RealConnection connection = finder(address, settings).find(first, 5_000, 5_000, 5_000, false);
    PoolAccess.release(connection, first);
    CallLease second = lease();
    assertThat(finder(address, settings).find(second, 5_000, 5_000, 5_000, false)).isSameAs(connection);

    assertThat(events).containsExactly("opened", "acquired", "released", "acquired");
    AddressCounters counts = pool.statistics(address);
    assertThat(counts.acquisitionCount()).isEqualTo(2);
    assertThat(counts.pendingAcquisitions()).isZero();
    assertThat(waits).allSatisfy(wait -> assertThat(wait).isPositive());
    assertThat(counts.acquisitionWaitNanos()).isEqualTo(waits.get(0) + waits.get(1));
    assertThat(counts.maxAcquisitionWaitNanos()).isEqualTo(Math.max(waits.get(0), waits.get(1)));
    assertThat(counts.inUseCount()).isEqualTo(1);
  }

  @Test
  void callWaitingForItsConnectIsPending() throws Exception {
    server.start();
    GatedSocketFactory sockets = new GatedSocketFactory();
    Address address = new AddressBuilder("127.0.0.1", server.port()).socketFactory(sockets).build();
    ConnectSettings settings = settings(new FakeProtocolConnectionProvider(Protocol.HTTP_1_1));
    CallLease lease = lease();
    ExchangeFinder finder = finder(address, settings);
    Future<RealConnection> found = executor.submit(() -> finder.find(lease, 5_000, 5_000, 5_000, false));
    assertThat(sockets.firstConnectEntered.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(pool.statistics(address).pendingAcquisitions()).isEqualTo(1);
    assertThat(pool.statistics(address).connectionCount()).isZero();

    sockets.open();
    RealConnection connection = found.get(10, TimeUnit.SECONDS);
    AddressCounters counts = pool.statistics(address);
    assertThat(counts.pendingAcquisitions()).isZero();
    assertThat(counts.acquisitionCount()).isEqualTo(1);
    assertThat(counts.inUseCount()).isEqualTo(1);
    PoolAccess.release(connection, lease);
  }

  @Test
  void failedSearchIsNoAcquisitionAndLeavesNothingPending() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Address address = new AddressBuilder("127.0.0.1", closedPort).build();
    ConnectSettings settings = settings(new FakeProtocolConnectionProvider(Protocol.HTTP_1_1));

    assertThatThrownBy(() -> finder(address, settings).find(lease(), 5_000, 5_000, 5_000, false))
        .isInstanceOf(IOException.class);

    assertThat(pool.statistics(address)).isNull(); // Nothing left to count for it.
  }

  @Test
  void unhealthyPooledConnectionIsClosedForAFailedHealthCheck() throws IOException {
    server.start();
    listen();
    Address address = new AddressBuilder("127.0.0.1", server.port()).build();
    ConnectSettings settings = settings(new FakeProtocolConnectionProvider(Protocol.HTTP_1_1));
    CallLease first = lease();
    RealConnection sick = finder(address, settings).find(first, 5_000, 5_000, 5_000, false);
    PoolAccess.release(sick, first);
    TestConnections.fake(sick).healthy(false);

    RealConnection replacement = finder(address, settings).find(lease(), 5_000, 5_000, 5_000, false);

    assertThat(replacement).isNotSameAs(sick);
    // The call never used the sick connection, so no release is reported for it.
    assertThat(events).containsExactly("opened", "acquired", "released",
        "closed FAILED_HEALTH_CHECK", "opened", "acquired");
    AddressCounters counts = pool.statistics(address);
    assertThat(counts.closedCount(CloseReason.FAILED_HEALTH_CHECK)).isEqualTo(1);
    assertThat(counts.openedCount()).isEqualTo(2);
    assertThat(counts.connectionCount()).isEqualTo(1);
    // The lease of the sick connection is not an acquisition: the search went on and connected.
    assertThat(counts.acquisitionCount()).isEqualTo(2);
    assertThat(counts.pendingAcquisitions()).isZero();
    assertThat(counts.acquisitionWaitNanos()).isEqualTo(waits.get(0) + waits.get(1));
    assertThat(pool.statistics((a, c) -> c, (totals, all) -> totals).acquisitionCount()).isEqualTo(2);
    assertThat(pool.statistics((a, c) -> c, (totals, all) -> totals).acquisitionWaitNanos()).isEqualTo(waits.get(0) + waits.get(1));
  }

  @Test
  void concurrentSearchesSomeCanceledLeaveTheCountsConsistent() throws Exception {
    server.start();
    listen();
    Address address = new AddressBuilder("127.0.0.1", server.port()).build();
    ConnectSettings settings = settings(new FakeProtocolConnectionProvider(Protocol.HTTP_1_1));
    int threads = 4;
    int rounds = 200;
    ExecutorService callers = Executors.newFixedThreadPool(threads);
    AtomicLong acquired = new AtomicLong();
    AtomicLong canceled = new AtomicLong();
    AtomicLong sick = new AtomicLong();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(callers.submit(() -> {
          for (int i = 0; i < rounds; i++) {
            FakeCall call = new FakeCall("http://127.0.0.1/");
            ExchangeFinder finder = new ExchangeFinder(pool, address, settings, call, listener);
            if ((i + thread) % 7 == 0) {
              call.cancel(); // Canceled before the search: it must fail and count nothing.
            } else if ((i + thread) % 11 == 0) {
              finder.cancel();
            }
            CallLease lease = new CallLease(call);
            RealConnection connection;
            try {
              connection = finder.find(lease, 5_000, 5_000, 5_000, false);
            } catch (IOException e) {
              assertThat(e).hasMessage("Canceled");
              canceled.incrementAndGet();
              continue;
            }
            acquired.incrementAndGet();
            if ((i + thread) % 5 == 0) {
              // Sick once released: the next search to lease it must fail its health check.
              TestConnections.fake(connection).healthy(false);
              sick.incrementAndGet();
            }
            PoolAccess.release(connection, lease);
          }
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get(20, TimeUnit.SECONDS);
      }
    } finally {
      callers.shutdownNow();
      assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(canceled.get()).isPositive();
    assertThat(sick.get()).isPositive();
    AddressCounters counts = pool.statistics(address);
    assertThat(counts.pendingAcquisitions()).isZero();
    assertThat(counts.inUseCount()).isZero();
    assertThat(counts.acquisitionCount()).isEqualTo(acquired.get());
    assertThat(events.stream().filter("acquired"::equals).count()).isEqualTo(acquired.get());
    assertThat(waits.stream().mapToLong(Long::longValue).sum()).isEqualTo(counts.acquisitionWaitNanos());
    assertThat(counts.openedCount() - counts.closedCount()).isEqualTo(counts.connectionCount());
    assertThat(counts.idleCount()).isEqualTo(counts.connectionCount());
    assertThat(pool.statistics((a, c) -> c, (totals, all) -> totals).acquisitionCount()).isEqualTo(acquired.get());
    assertThat(pool.statistics((a, c) -> c, (totals, all) -> totals).pendingAcquisitions()).isZero();
  }
}
