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
import dev.courier.spi.EvictionPolicy;
import dev.courier.testing.ThreadLeakExtension;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Timeout(30)
@ExtendWith(ThreadLeakExtension.class)
class ConnectionPoolTest {
  private final Address address = new AddressBuilder("a.example.com", 80).build();

  private static RealConnection pooledAndReleased(ConnectionPool pool, Address address) {
    RealConnectionPool engine = PoolAccess.realPool(pool);
    RealConnection connection = TestConnections.connection(engine, address, Protocol.HTTP_1_1);
    CallLease lease = new CallLease(new FakeCall("http://" + address.host() + "/"));
    engine.put(connection, lease);
    PoolAccess.release(connection, lease);
    return connection;
  }

  @Test
  void defaultPolicyKeepsFiveIdleConnectionsForFiveMinutes() {
    EvictionPolicy policy = new ConnectionPool().policy();

    assertThat(policy).isInstanceOf(IdleTimeEvictionPolicy.class);
    assertThat(((IdleTimeEvictionPolicy) policy).maxIdle()).isEqualTo(5);
    assertThat(((IdleTimeEvictionPolicy) policy).keepAliveNanos()).isEqualTo(TimeUnit.MINUTES.toNanos(5));
    assertThat(policy.idleOrder()).isEqualTo(EvictionPolicy.IdleOrder.LIFO);
  }

  @Test
  void limitsConstructorUsesIdleTimePolicy() {
    EvictionPolicy policy = new ConnectionPool(2, 30, TimeUnit.SECONDS).policy();

    assertThat(((IdleTimeEvictionPolicy) policy).maxIdle()).isEqualTo(2);
    assertThat(((IdleTimeEvictionPolicy) policy).keepAliveNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(30));
  }

  @Test
  void explicitPolicyIsUsed() {
    PerAddressIdleEvictionPolicy policy = new PerAddressIdleEvictionPolicy(1, 1, TimeUnit.MINUTES);

    assertThat(new ConnectionPool(policy).policy()).isSameAs(policy);
  }

  @Test
  void countsIdleAndTotalConnections() {
    AtomicLong clock = new AtomicLong();
    ConnectionPool pool = new ConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES), clock::get);
    RealConnectionPool engine = PoolAccess.realPool(pool);
    pooledAndReleased(pool, address);
    RealConnection inUse = TestConnections.connection(engine, address, Protocol.HTTP_1_1);
    engine.put(inUse, new CallLease(new FakeCall("http://a.example.com/")));

    assertThat(pool.connectionCount()).isEqualTo(2);
    assertThat(pool.idleConnectionCount()).isEqualTo(1);
  }

  @Test
  void cleanupWithAnInjectedClockExpiresIdleConnections() {
    AtomicLong clock = new AtomicLong();
    ConnectionPool pool = new ConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES), clock::get);
    RealConnection connection = pooledAndReleased(pool, address);

    assertThat(pool.cleanup(TimeUnit.MINUTES.toNanos(2))).isEqualTo(TimeUnit.MINUTES.toNanos(3));
    assertThat(pool.cleanup(TimeUnit.MINUTES.toNanos(5))).isEqualTo(-1);
    assertThat(pool.connectionCount()).isZero();
    assertThat(TestConnections.fake(connection).isClosed()).isTrue();
  }

  @Test
  void evictAllClosesIdleConnections() {
    AtomicLong clock = new AtomicLong();
    ConnectionPool pool = new ConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES), clock::get);
    RealConnection connection = pooledAndReleased(pool, address);

    pool.evictAll();

    assertThat(pool.connectionCount()).isZero();
    assertThat(TestConnections.fake(connection).isClosed()).isTrue();
  }

  @Test
  void cleanupThreadClosesExpiredConnectionsAndEndsWhenThePoolIsEmpty() throws InterruptedException {
    ConnectionPool pool = new ConnectionPool(new IdleTimeEvictionPolicy(5, 20, TimeUnit.MILLISECONDS));

    // Nothing but the cleanup thread closes connections here.
    RealConnection first = pooledAndReleased(pool, address);
    assertThat(TestConnections.fake(first).awaitClosed()).isTrue();
    awaitCleanupThreadEnd();
    assertThat(pool.connectionCount()).isZero();

    // The next connection starts the thread again.
    RealConnection second = pooledAndReleased(pool, address);
    assertThat(TestConnections.fake(second).awaitClosed()).isTrue();
    awaitCleanupThreadEnd();
    assertThat(pool.connectionCount()).isZero();
  }

  @Test
  void evictAllLetsTheCleanupThreadEnd() throws InterruptedException {
    ConnectionPool pool = new ConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES));
    pooledAndReleased(pool, address);
    Thread thread = cleanupThread();
    assertThat(thread).isNotNull();
    assertThat(thread.isDaemon()).isTrue();

    pool.evictAll();

    thread.join(10_000);
    assertThat(thread.isAlive()).isFalse();
  }

  private static Thread cleanupThread() {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals(RealConnectionPool.THREAD_NAME) && thread.isAlive()) {
        return thread;
      }
    }
    return null;
  }

  private static void awaitCleanupThreadEnd() throws InterruptedException {
    Thread thread = cleanupThread();
    if (thread != null) {
      thread.join(10_000);
    }
    assertThat(cleanupThread()).isNull();
  }
}
