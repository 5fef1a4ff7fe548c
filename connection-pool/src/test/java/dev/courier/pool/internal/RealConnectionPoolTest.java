package dev.courier.pool.internal;

import static dev.courier.pool.internal.TestConnections.connection;
import static dev.courier.pool.internal.TestConnections.fake;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Protocol;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.pool.PerAddressIdleEvictionPolicy;
import dev.courier.spi.EvictionPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RealConnectionPoolTest {
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final AtomicLong clock = new AtomicLong(1_000 * MINUTE);
  private final long start = clock.get();
  private final Address addressA = new AddressBuilder("a.example.com", 80).build();
  private final Address addressB = new AddressBuilder("b.example.com", 80).build();

  private RealConnectionPool pool(EvictionPolicy policy) {
    return new RealConnectionPool(policy, clock::get, false);
  }

  private RealConnectionPool defaultPool() {
    return pool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES));
  }

  private static CallLease lease(String url) {
    return new CallLease(new FakeCall(url));
  }

  /** Pools a new connection to {@code address} and releases it at {@code idleAt}, so it is idle. */
  private RealConnection idleConnection(RealConnectionPool pool, Address address, long idleAt) {
    RealConnection connection = connection(pool, address, Protocol.HTTP_1_1);
    CallLease lease = lease("http://" + address.host() + "/");
    assertThat(pool.put(connection, lease)).isSameAs(connection);
    clock.set(idleAt);
    pool.release(connection, lease);
    return connection;
  }

  @Test
  void pooledConnectionIsReusedForSameAddress() {
    RealConnectionPool pool = defaultPool();
    RealConnection connection = idleConnection(pool, addressA, start);

    assertThat(pool.acquire(addressA, null, lease("http://a.example.com/"))).isSameAs(connection);
    assertThat(pool.idleConnectionCount()).isZero();
    assertThat(pool.connectionCount()).isEqualTo(1);
  }

  @Test
  void connectionToAnotherAddressIsNotReused() {
    RealConnectionPool pool = defaultPool();
    idleConnection(pool, addressA, start);

    assertThat(pool.acquire(addressB, null, lease("http://b.example.com/"))).isNull();
  }

  @Test
  void http1ConnectionInUseIsNotHandedOutTwice() {
    RealConnectionPool pool = defaultPool();
    CallLease first = lease("http://a.example.com/");
    pool.put(connection(pool, addressA, Protocol.HTTP_1_1), first);

    assertThat(pool.acquire(addressA, null, lease("http://a.example.com/"))).isNull();
    assertThat(pool.idleConnectionCount()).isZero();
  }

  @Test
  void multiplexedConnectionCarriesLeasesUpToItsCapacity() {
    RealConnectionPool pool = defaultPool();
    RealConnection connection = connection(pool, addressA, Protocol.H2_PRIOR_KNOWLEDGE);
    fake(connection).capacity(2);
    pool.put(connection, lease("http://a.example.com/1"));

    assertThat(pool.acquire(addressA, null, lease("http://a.example.com/2"))).isSameAs(connection);
    assertThat(pool.acquire(addressA, null, lease("http://a.example.com/3"))).isNull();
    assertThat(pool.leaseCount(connection)).isEqualTo(2);
  }

  @Test
  void lifoHandsOutTheMostRecentlyReleasedConnection() {
    RealConnectionPool pool = defaultPool();
    idleConnection(pool, addressA, start + SECOND);
    idleConnection(pool, addressA, start + 2 * SECOND);
    RealConnection newest = idleConnection(pool, addressA, start + 3 * SECOND);

    assertThat(pool.acquire(addressA, null, lease("http://a.example.com/"))).isSameAs(newest);
  }

  @Test
  void fifoHandsOutTheLeastRecentlyReleasedConnection() {
    RealConnectionPool pool = pool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES, EvictionPolicy.IdleOrder.FIFO));
    RealConnection oldest = idleConnection(pool, addressA, start + SECOND);
    idleConnection(pool, addressA, start + 2 * SECOND);
    idleConnection(pool, addressA, start + 3 * SECOND);

    assertThat(pool.acquire(addressA, null, lease("http://a.example.com/"))).isSameAs(oldest);
  }

  @Test
  void releasedConnectionMovesBehindOlderIdleOnes() {
    RealConnectionPool pool = pool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES, EvictionPolicy.IdleOrder.FIFO));
    RealConnection first = idleConnection(pool, addressA, start + SECOND);
    RealConnection second = idleConnection(pool, addressA, start + 2 * SECOND);
    CallLease lease = lease("http://a.example.com/");
    assertThat(pool.acquire(addressA, null, lease)).isSameAs(first);
    clock.set(start + 3 * SECOND);
    pool.release(first, lease);

    assertThat(pool.acquire(addressA, null, lease("http://a.example.com/"))).isSameAs(second);
  }

  @Test
  void connectionsReleasedOutOfOrderAreHandedOutLastReleasedFirst() {
    RealConnectionPool pool = defaultPool();
    List<RealConnection> connections = new ArrayList<>();
    List<CallLease> leases = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      connections.add(connection(pool, addressA, Protocol.HTTP_1_1));
      leases.add(lease("http://a.example.com/" + i));
      pool.put(connections.get(i), leases.get(i));
    }
    // Released from the middle, the start and the end of the address's list, in that order.
    for (int i : new int[] {2, 0, 4, 1}) {
      clock.addAndGet(SECOND);
      pool.release(connections.get(i), leases.get(i));
    }

    assertThat(pool.idleConnectionCount()).isEqualTo(4);
    for (int i : new int[] {1, 4, 0, 2}) {
      assertThat(pool.acquire(addressA, null, lease("http://a.example.com/"))).isSameAs(connections.get(i));
    }
    assertThat(pool.acquire(addressA, null, lease("http://a.example.com/"))).isNull();
    assertThat(pool.connectionCount()).isEqualTo(5);
  }

  @Test
  void cleanupKeepsFiveIdleConnectionsAndClosesTheOldest() {
    RealConnectionPool pool = defaultPool();
    List<RealConnection> connections = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      connections.add(idleConnection(pool, i % 2 == 0 ? addressA : addressB, start + i * SECOND));
    }

    long wait = pool.cleanup(start + 5 * SECOND);

    assertThat(pool.connectionCount()).isEqualTo(5);
    assertThat(pool.idleConnectionCount()).isEqualTo(5);
    assertThat(fake(connections.get(0)).isClosed()).isTrue();
    for (RealConnection kept : connections.subList(1, 6)) {
      assertThat(fake(kept).isClosed()).isFalse();
    }
    // The oldest kept connection went idle at 1 s and expires 5 min later.
    assertThat(wait).isEqualTo(5 * MINUTE - 4 * SECOND);
  }

  @Test
  void idleConnectionExpiresAfterKeepAlive() {
    RealConnectionPool pool = defaultPool();
    RealConnection connection = idleConnection(pool, addressA, start);

    assertThat(pool.cleanup(start + 4 * MINUTE)).isEqualTo(MINUTE);
    assertThat(pool.connectionCount()).isEqualTo(1);
    assertThat(fake(connection).isClosed()).isFalse();

    assertThat(pool.cleanup(start + 5 * MINUTE)).isEqualTo(-1);
    assertThat(pool.connectionCount()).isZero();
    assertThat(fake(connection).isClosed()).isTrue();
  }

  @Test
  void cleanupReturnsTheNextDeadline() {
    RealConnectionPool pool = defaultPool();
    idleConnection(pool, addressA, start);
    idleConnection(pool, addressB, start + MINUTE);

    assertThat(pool.cleanup(start + 2 * MINUTE)).isEqualTo(3 * MINUTE);
    assertThat(pool.cleanup(start + 5 * MINUTE)).isEqualTo(MINUTE);
    assertThat(pool.connectionCount()).isEqualTo(1);
  }

  @Test
  void emptyPoolCleanupReturnsMinusOne() {
    assertThat(defaultPool().cleanup(start)).isEqualTo(-1);
  }

  @Test
  void connectionInUseIsNeverEvictedAndCleanupReturnsToCheckForLeaks() {
    RealConnectionPool pool = defaultPool();
    CallLease lease = lease("http://a.example.com/");
    RealConnection connection = connection(pool, addressA, Protocol.HTTP_1_1);
    pool.put(connection, lease);

    assertThat(pool.cleanup(start + 60 * MINUTE)).isEqualTo(RealConnectionPool.LEAK_CHECK_INTERVAL_NANOS);
    assertThat(pool.connectionCount()).isEqualTo(1);
    assertThat(fake(connection).isClosed()).isFalse();
  }

  @Test
  void perAddressPolicyLimitsEachAddressSeparately() {
    RealConnectionPool pool = pool(new PerAddressIdleEvictionPolicy(1, 5, TimeUnit.MINUTES));
    RealConnection oldA = idleConnection(pool, addressA, start);
    RealConnection newA = idleConnection(pool, addressA, start + SECOND);
    RealConnection onlyB = idleConnection(pool, addressB, start);

    pool.cleanup(start + 2 * SECOND);

    assertThat(fake(oldA).isClosed()).isTrue();
    assertThat(fake(newA).isClosed()).isFalse();
    assertThat(fake(onlyB).isClosed()).isFalse();
    assertThat(pool.connectionCount()).isEqualTo(2);
  }

  @Test
  void releasingAConnectionWithNoCapacityClosesIt() {
    RealConnectionPool pool = defaultPool();
    CallLease lease = lease("http://a.example.com/");
    RealConnection connection = connection(pool, addressA, Protocol.HTTP_1_1);
    pool.put(connection, lease);
    fake(connection).capacity(0);
    assertThat(fake(connection).isClosed()).isFalse();

    pool.release(connection, lease);

    assertThat(fake(connection).isClosed()).isTrue();
    assertThat(pool.connectionCount()).isZero();
  }

  @Test
  void capacityDroppingToZeroClosesAnIdleConnection() {
    RealConnectionPool pool = defaultPool();
    RealConnection connection = idleConnection(pool, addressA, start);

    fake(connection).capacity(0);

    assertThat(fake(connection).isClosed()).isTrue();
    assertThat(pool.connectionCount()).isZero();
  }

  @Test
  void capacityGrowingLetsMoreCallsShareAConnection() {
    RealConnectionPool pool = defaultPool();
    RealConnection connection = connection(pool, addressA, Protocol.H2_PRIOR_KNOWLEDGE);
    fake(connection).capacity(1);
    pool.put(connection, lease("http://a.example.com/1"));
    assertThat(pool.acquire(addressA, null, lease("http://a.example.com/2"))).isNull();

    fake(connection).capacity(2);

    assertThat(pool.acquire(addressA, null, lease("http://a.example.com/3"))).isSameAs(connection);
  }

  @Test
  void noNewExchangesClosesAnIdleConnection() {
    RealConnectionPool pool = defaultPool();
    RealConnection connection = idleConnection(pool, addressA, start);

    connection.noNewExchanges();

    assertThat(fake(connection).isClosed()).isTrue();
    assertThat(fake(connection).noNewExchangesCalled()).isTrue();
    assertThat(pool.connectionCount()).isZero();
  }

  @Test
  void noNewExchangesOnAConnectionInUseClosesItWhenReleased() {
    RealConnectionPool pool = defaultPool();
    CallLease lease = lease("http://a.example.com/");
    RealConnection connection = connection(pool, addressA, Protocol.HTTP_1_1);
    pool.put(connection, lease);

    connection.noNewExchanges();
    assertThat(fake(connection).isClosed()).isFalse();
    pool.release(connection, lease);

    assertThat(fake(connection).isClosed()).isTrue();
    assertThat(pool.connectionCount()).isZero();
  }

  @Test
  void evictAllClosesIdleConnectionsAndRetiresOnesInUse() {
    RealConnectionPool pool = defaultPool();
    RealConnection idle = idleConnection(pool, addressA, start);
    CallLease lease = lease("http://a.example.com/");
    RealConnection inUse = connection(pool, addressA, Protocol.HTTP_1_1);
    pool.put(inUse, lease);

    pool.evictAll();

    assertThat(fake(idle).isClosed()).isTrue();
    assertThat(fake(inUse).isClosed()).isFalse();
    assertThat(fake(inUse).noNewExchangesCalled()).isTrue();
    assertThat(pool.connectionCount()).isEqualTo(1);
    assertThat(pool.idleConnectionCount()).isZero();

    pool.release(inUse, lease);
    assertThat(fake(inUse).isClosed()).isTrue();
    assertThat(pool.connectionCount()).isZero();
  }

  @Test
  void concurrentMultiplexedConnectionLosesToTheOnePooledFirst() {
    RealConnectionPool pool = defaultPool();
    RealConnection winner = connection(pool, addressA, Protocol.H2_PRIOR_KNOWLEDGE);
    RealConnection loser = connection(pool, addressA, Protocol.H2_PRIOR_KNOWLEDGE);
    pool.put(winner, lease("http://a.example.com/1"));

    assertThat(pool.put(loser, lease("http://a.example.com/2"))).isSameAs(winner);
    assertThat(pool.connectionCount()).isEqualTo(1);
    assertThat(pool.leaseCount(winner)).isEqualTo(2);
  }

  @Test
  void concurrentMultiplexedConnectionIsKeptWhenThePooledOneIsFull() {
    RealConnectionPool pool = defaultPool();
    RealConnection full = connection(pool, addressA, Protocol.H2_PRIOR_KNOWLEDGE);
    fake(full).capacity(1);
    RealConnection fresh = connection(pool, addressA, Protocol.H2_PRIOR_KNOWLEDGE);
    pool.put(full, lease("http://a.example.com/1"));

    assertThat(pool.put(fresh, lease("http://a.example.com/2"))).isSameAs(fresh);
    assertThat(pool.connectionCount()).isEqualTo(2);
  }

  @Test
  void http1ConnectionsToTheSameAddressAreAllKept() {
    RealConnectionPool pool = defaultPool();
    RealConnection first = connection(pool, addressA, Protocol.HTTP_1_1);
    RealConnection second = connection(pool, addressA, Protocol.HTTP_1_1);
    pool.put(first, lease("http://a.example.com/1"));

    assertThat(pool.put(second, lease("http://a.example.com/2"))).isSameAs(second);
    assertThat(pool.connectionCount()).isEqualTo(2);
  }

  @Test
  void leakedLeaseIsReportedAndTheConnectionReclaimed() throws InterruptedException {
    RealConnectionPool pool = defaultPool();
    RealConnection connection = connection(pool, addressA, Protocol.HTTP_1_1);
    putWithForgottenLease(pool, connection, "http://a.example.com/secret/path?q=1");
    List<LogRecord> records = new ArrayList<>();
    Logger logger = Logger.getLogger("dev.courier.pool.ConnectionPool");
    Handler handler = recordingHandler(records);
    logger.addHandler(handler);
    try {
      awaitLeakDetected(pool, connection);
    } finally {
      logger.removeHandler(handler);
    }

    assertThat(records).extracting(LogRecord::getMessage).contains(
        "A connection to http://a.example.com/... was leaked. Did you forget to close a response body?");
    assertThat(fake(connection).isClosed()).isTrue();
    assertThat(pool.connectionCount()).isZero();
    assertThat(pool.statistics(addressA)).isNull();
    assertThat(pool.statistics((address, counts) -> counts, (totals, byAddress) -> totals)
        .closedCount(dev.courier.pool.CloseReason.ERROR)).isEqualTo(1);
  }

  @Test
  void leakOfOneOfSeveralLeasesKeepsTheConnection() throws InterruptedException {
    RealConnectionPool pool = defaultPool();
    RealConnection connection = connection(pool, addressA, Protocol.H2_PRIOR_KNOWLEDGE);
    CallLease kept = lease("http://a.example.com/kept");
    pool.put(connection, kept);
    acquireWithForgottenLease(pool, addressA);
    assertThat(pool.leaseCount(connection)).isEqualTo(2);

    awaitLeaseCount(pool, connection, 1);

    assertThat(fake(connection).isClosed()).isFalse();
    assertThat(pool.connectionCount()).isEqualTo(1);
    pool.release(connection, kept);
    assertThat(pool.idleConnectionCount()).isEqualTo(1);
  }

  @Test
  void closeClosesEveryConnectionAndRefusesNewOnes() {
    RealConnectionPool pool = defaultPool();
    RealConnection idle = idleConnection(pool, addressA, start);
    CallLease lease = lease("http://b.example.com/");
    RealConnection inUse = connection(pool, addressB, Protocol.HTTP_1_1);
    pool.put(inUse, lease);

    pool.close();

    assertThat(fake(idle).isClosed()).isTrue();
    assertThat(fake(inUse).isClosed()).isTrue();
    assertThat(pool.connectionCount()).isZero();
    assertThat(pool.isClosed()).isTrue();
    assertThatThrownBy(() -> pool.acquire(addressA, null, lease("http://a.example.com/")))
        .isInstanceOf(IllegalStateException.class).hasMessage("ConnectionPool is closed");
    RealConnection late = connection(pool, addressA, Protocol.HTTP_1_1);
    assertThatThrownBy(() -> pool.put(late, lease("http://a.example.com/")))
        .isInstanceOf(IllegalStateException.class).hasMessage("ConnectionPool is closed");
    assertThat(fake(late).isClosed()).isTrue();
    // The call that held a connection gives it back as usual; closing again changes nothing.
    pool.release(inUse, lease);
    pool.close();
    assertThat(pool.connectionCount()).isZero();
    assertThat(pool.idleConnectionCount()).isZero();
  }

  @Test
  void closeEndsTheCleanupThreadBeforeReturning() {
    RealConnectionPool pool = new RealConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES));
    List<Thread> before = cleanupThreads();
    RealConnection connection = connection(pool, addressA, Protocol.HTTP_1_1);
    pool.put(connection, lease("http://a.example.com/"));
    List<Thread> started = cleanupThreads();
    started.removeAll(before);
    assertThat(started).hasSize(1);

    pool.close();

    assertThat(started.get(0).isAlive()).isFalse();
    assertThat(fake(connection).isClosed()).isTrue();
  }

  private static List<Thread> cleanupThreads() {
    List<Thread> result = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals(RealConnectionPool.THREAD_NAME) && thread.isAlive()) {
        result.add(thread);
      }
    }
    return result;
  }

  private static void putWithForgottenLease(RealConnectionPool pool, RealConnection connection, String url) {
    pool.put(connection, lease(url));
  }

  private static void acquireWithForgottenLease(RealConnectionPool pool, Address address) {
    assertThat(pool.acquire(address, null, lease("http://a.example.com/forgotten"))).isNotNull();
  }

  private void awaitLeakDetected(RealConnectionPool pool, RealConnection connection) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pool.connectionCount() != 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("leak not detected within 10 s; leases: " + pool.leaseCount(connection));
      }
      System.gc();
      pool.cleanup(clock.get());
      Thread.onSpinWait();
    }
  }

  private void awaitLeaseCount(RealConnectionPool pool, RealConnection connection, int expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pool.leaseCount(connection) != expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("lease count stayed " + pool.leaseCount(connection));
      }
      System.gc();
      pool.cleanup(clock.get());
    }
  }

  private static Handler recordingHandler(List<LogRecord> records) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        synchronized (records) {
          records.add(record);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }
}
