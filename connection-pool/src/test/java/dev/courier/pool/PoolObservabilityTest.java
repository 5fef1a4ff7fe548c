package dev.courier.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Address;
import dev.courier.Protocol;
import dev.courier.pool.internal.AddressBuilder;
import dev.courier.pool.internal.CallLease;
import dev.courier.pool.internal.FakeCall;
import dev.courier.pool.internal.PoolAccess;
import dev.courier.pool.internal.RealConnection;
import dev.courier.pool.internal.RealConnectionPool;
import dev.courier.pool.internal.TestConnections;
import dev.courier.testing.ThreadLeakExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Statistics and listener events of {@link ConnectionPool}, driven with fake connections and a fake clock. */
@Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class PoolObservabilityTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
  private final long start = clock.get();
  private final Address addressA = new AddressBuilder("a.example.com", 80).build();
  private final Address addressB = new AddressBuilder("b.example.com", 80).build();
  private final ConnectionPool pool =
      new ConnectionPool(new IdleTimeEvictionPolicy(2, 60, TimeUnit.SECONDS), clock::get);
  private final RealConnectionPool engine = PoolAccess.realPool(pool);
  private final RecordingPoolListener events = new RecordingPoolListener();

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private static CallLease lease(Address address) {
    return new CallLease(new FakeCall("http://" + address.host() + "/"));
  }

  private RealConnection open(Address address, Protocol protocol, CallLease lease) {
    RealConnection connection = TestConnections.connection(engine, address, protocol);
    assertThat(engine.put(connection, lease)).isSameAs(connection);
    return connection;
  }

  @Test
  void statisticsFollowConnectionsFromOpenedToIdleToInUse() {
    CallLease first = lease(addressA);
    RealConnection connection = open(addressA, Protocol.HTTP_1_1, first);

    PoolStatistics opened = pool.statistics();
    assertThat(opened.connectionCount()).isEqualTo(1);
    assertThat(opened.inUseCount()).isEqualTo(1);
    assertThat(opened.idleCount()).isZero();
    assertThat(opened.openedCount()).isEqualTo(1);

    PoolAccess.release(connection, first);
    assertThat(pool.statistics(addressA).idleCount()).isEqualTo(1);
    assertThat(pool.statistics(addressA).inUseCount()).isZero();

    assertThat(engine.acquire(addressA, null, lease(addressA))).isSameAs(connection);
    AddressStatistics reused = pool.statistics(addressA);
    assertThat(reused.inUseCount()).isEqualTo(1);
    assertThat(reused.idleCount()).isZero();
    assertThat(reused.openedCount()).isEqualTo(1);
    // The snapshot taken before did not move.
    assertThat(opened.inUseCount()).isEqualTo(1);
    assertThat(opened.byAddress()).containsOnlyKeys(addressA);
  }

  @Test
  void multiplexedConnectionCountsOnceHoweverManyCallsShareIt() {
    RealConnection connection = open(addressA, Protocol.H2_PRIOR_KNOWLEDGE, lease(addressA));
    CallLease second = lease(addressA);
    assertThat(engine.acquire(addressA, null, second)).isSameAs(connection);

    PoolStatistics statistics = pool.statistics();
    assertThat(statistics.connectionCount()).isEqualTo(1);
    assertThat(statistics.inUseCount()).isEqualTo(1);
  }

  @Test
  void statisticsAreKeptPerAddressAndSummed() {
    open(addressA, Protocol.HTTP_1_1, lease(addressA));
    CallLease leaseB = lease(addressB);
    RealConnection b = open(addressB, Protocol.HTTP_1_1, leaseB);
    PoolAccess.release(b, leaseB);

    PoolStatistics statistics = pool.statistics();
    assertThat(statistics.connectionCount()).isEqualTo(2);
    assertThat(statistics.byAddress().get(addressA).inUseCount()).isEqualTo(1);
    assertThat(statistics.byAddress().get(addressB).idleCount()).isEqualTo(1);
    assertThat(statistics.byAddress().get(addressB).address()).isEqualTo(addressB);
    assertThat(statistics.inUseCount()).isEqualTo(1);
    assertThat(statistics.idleCount()).isEqualTo(1);
  }

  @Test
  void addressIsForgottenOnceItHoldsNothingButTotalsAreKept() {
    CallLease lease = lease(addressA);
    RealConnection connection = open(addressA, Protocol.HTTP_1_1, lease);
    connection.noNewExchanges(CloseReason.ERROR);
    PoolAccess.release(connection, lease);

    PoolStatistics statistics = pool.statistics();
    assertThat(statistics.byAddress()).isEmpty();
    assertThat(statistics.openedCount()).isEqualTo(1);
    assertThat(statistics.closedCount()).isEqualTo(1);
    assertThat(statistics.closedCount(CloseReason.ERROR)).isEqualTo(1);
    assertThat(statistics.connectionCount()).isZero();
    assertThat(pool.statistics(addressA).connectionCount()).isZero();
    assertThat(pool.statistics(addressA).openedCount()).isZero();
  }

  @Test
  void policyEvictionsAreReportedAsIdleTimeoutOrIdleLimit() {
    pool.addListener(events);
    for (int i = 0; i < 3; i++) {
      CallLease lease = lease(addressA);
      RealConnection connection = open(addressA, Protocol.HTTP_1_1, lease);
      clock.set(start + i * SECOND);
      PoolAccess.release(connection, lease);
    }

    // Three idle, two allowed: the least recently used goes for the limit.
    pool.cleanup(start + 10 * SECOND);
    assertThat(events.closeReasons()).containsExactly(CloseReason.IDLE_LIMIT);

    // Past the 60 s keep-alive: both others time out.
    pool.cleanup(start + 100 * SECOND);
    assertThat(events.closeReasons()).containsExactly(
        CloseReason.IDLE_LIMIT, CloseReason.IDLE_TIMEOUT, CloseReason.IDLE_TIMEOUT);
    PoolStatistics statistics = pool.statistics();
    assertThat(statistics.closedCount(CloseReason.IDLE_TIMEOUT)).isEqualTo(2);
    assertThat(statistics.closedCount(CloseReason.IDLE_LIMIT)).isEqualTo(1);
    assertThat(statistics.connectionCount()).isZero();
  }

  @Test
  void evictAllClosesIdleConnectionsNowAndBusyOnesWhenReleased() {
    pool.addListener(events);
    CallLease idleLease = lease(addressA);
    RealConnection idle = open(addressA, Protocol.HTTP_1_1, idleLease);
    PoolAccess.release(idle, idleLease);
    CallLease busyLease = lease(addressA);
    RealConnection busy = open(addressA, Protocol.HTTP_1_1, busyLease);

    pool.evictAll();
    assertThat(events.closed).containsExactly(idle);
    assertThat(pool.statistics().inUseCount()).isEqualTo(1);

    PoolAccess.release(busy, busyLease);
    assertThat(events.closed).containsExactly(idle, busy);
    assertThat(events.closeReasons()).containsOnly(CloseReason.EVICTED_BY_USER);
    assertThat(pool.statistics().connectionCount()).isZero();
  }

  @Test
  void firstReasonGivenWins() {
    pool.addListener(events);
    CallLease lease = lease(addressA);
    RealConnection connection = open(addressA, Protocol.HTTP_1_1, lease);
    connection.noNewExchanges(CloseReason.CLOSED_BY_PEER);
    connection.noNewExchanges(CloseReason.ERROR);
    pool.evictAll();
    PoolAccess.release(connection, lease);

    assertThat(events.closeReasons()).containsExactly(CloseReason.CLOSED_BY_PEER);
  }

  @Test
  void multiplexedConnectionShutDownByItsPeerIsClosedByPeer() {
    pool.addListener(events);
    CallLease lease = lease(addressA);
    RealConnection connection = open(addressA, Protocol.H2_PRIOR_KNOWLEDGE, lease);
    PoolAccess.release(connection, lease);

    TestConnections.fake(connection).capacity(0); // As after a GOAWAY.

    assertThat(events.closeReasons()).containsExactly(CloseReason.CLOSED_BY_PEER);
    assertThat(TestConnections.fake(connection).isClosed()).isTrue();
  }

  @Test
  void closingThePoolReportsEachConnectionOnce() {
    pool.addListener(events);
    CallLease busyLease = lease(addressA);
    RealConnection busy = open(addressA, Protocol.HTTP_1_1, busyLease);
    CallLease idleLease = lease(addressB);
    RealConnection idle = open(addressB, Protocol.HTTP_1_1, idleLease);
    PoolAccess.release(idle, idleLease);

    engine.close();
    PoolAccess.release(busy, busyLease); // The call ends after the pool closed its connection.

    assertThat(events.closed).containsExactlyInAnyOrder(busy, idle);
    assertThat(events.closeReasons()).containsOnly(CloseReason.POOL_CLOSED);
    assertThat(pool.statistics().closedCount(CloseReason.POOL_CLOSED)).isEqualTo(2);
    assertThat(pool.statistics().connectionCount()).isZero();
  }

  @Test
  void listenerHearsOpenedReleasedAndClosedInOrder() {
    pool.addListener(events);
    CallLease lease = lease(addressA);
    RealConnection connection = open(addressA, Protocol.HTTP_1_1, lease);
    PoolAccess.release(connection, lease);
    pool.evictAll();

    assertThat(events.log).containsExactly("opened a.example.com", "released a.example.com",
        "closed a.example.com EVICTED_BY_USER");
  }

  @Test
  void removedListenerHearsNothingMore() {
    pool.addListener(events);
    assertThat(pool.removeListener(events)).isTrue();
    assertThat(pool.removeListener(events)).isFalse();

    open(addressA, Protocol.HTTP_1_1, lease(addressA));

    assertThat(events.log).isEmpty();
  }

  @Test
  void listenerIsCalledWithoutThePoolLock() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    List<Integer> countsSeen = new CopyOnWriteArrayList<>();
    try {
      pool.addListener(new PoolListener() {
        @Override
        public void connectionOpened(PoolEvent event) {
          try {
            // Another thread would block here if this thread held the pool lock.
            countsSeen.add(other.submit(pool::connectionCount).get(5, TimeUnit.SECONDS));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }
      });
      open(addressA, Protocol.HTTP_1_1, lease(addressA));
    } finally {
      other.shutdownNow();
      assertThat(other.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(countsSeen).containsExactly(1);
  }

  @Test
  void throwingListenerIsLoggedAndOthersStillHear() {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger("dev.courier.pool.ConnectionPool");
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(handler);
    boolean useParentHandlers = logger.getUseParentHandlers();
    logger.setUseParentHandlers(false); // The warning is expected: keep it out of the build log.
    try {
      pool.addListener(new PoolListener() {
        @Override
        public void connectionOpened(PoolEvent event) {
          throw new IllegalStateException("listener broke");
        }
      });
      pool.addListener(events);

      CallLease lease = lease(addressA);
      RealConnection connection = open(addressA, Protocol.HTTP_1_1, lease);
      PoolAccess.release(connection, lease);
    } finally {
      logger.removeHandler(handler);
      logger.setUseParentHandlers(useParentHandlers);
    }

    assertThat(events.log).containsExactly("opened a.example.com", "released a.example.com");
    assertThat(pool.statistics().idleCount()).isEqualTo(1);
    assertThat(records).anySatisfy(record -> {
      assertThat(record.getMessage()).contains("connectionOpened");
      assertThat(record.getThrown()).hasMessage("listener broke");
    });
  }

  /** Records the events it hears. */
  static final class RecordingPoolListener implements PoolListener {
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<Object> closed = new CopyOnWriteArrayList<>();
    private final List<CloseReason> reasons = new CopyOnWriteArrayList<>();

    List<CloseReason> closeReasons() {
      return new ArrayList<>(reasons);
    }

    @Override
    public void connectionOpened(PoolEvent event) {
      log.add("opened " + event.address().host());
    }

    @Override
    public void connectionAcquired(PoolEvent event, long waitNanos) {
      log.add("acquired " + event.address().host());
    }

    @Override
    public void connectionReleased(PoolEvent event) {
      log.add("released " + event.address().host());
    }

    @Override
    public void connectionClosed(PoolEvent event, CloseReason reason) {
      log.add("closed " + event.address().host() + " " + reason);
      closed.add(event.connection());
      reasons.add(reason);
    }
  }
}
