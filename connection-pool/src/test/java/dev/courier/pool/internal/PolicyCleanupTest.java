package dev.courier.pool.internal;

import static dev.courier.pool.internal.TestConnections.connection;
import static dev.courier.pool.internal.TestConnections.fake;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Address;
import dev.courier.Protocol;
import dev.courier.pool.CloseReason;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.pool.MaxLifetimeEvictionPolicy;
import dev.courier.pool.MaxUsesEvictionPolicy;
import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.IdleConnection;
import dev.courier.spi.PooledConnection;
import dev.courier.testing.contract.TestPooledConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the pool shows connections to its eviction policy and applies what the policy decides. */
@Timeout(30)
class PolicyCleanupTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private final AtomicLong clock = new AtomicLong(1_000 * MINUTE);
  private final long start = clock.get();
  private final Address addressA = new AddressBuilder("a.example.com", 80).build();
  private final Address addressB = new AddressBuilder("b.example.com", 80).build();

  private RealConnectionPool pool(EvictionPolicy policy) {
    return new RealConnectionPool(policy, clock::get, false);
  }

  private static CallLease lease(Address address) {
    return new CallLease(new FakeCall("http://" + address.host() + "/"));
  }

  private RealConnection idleConnection(RealConnectionPool pool, Address address, long idleAt) {
    RealConnection connection = connection(pool, address, Protocol.HTTP_1_1);
    CallLease lease = lease(address);
    pool.put(connection, lease);
    clock.set(idleAt);
    pool.release(connection, lease);
    return connection;
  }

  /** Shows every connection it is given, as plain values, and decides as told. */
  private static final class RecordingPolicy implements EvictionPolicy {
    final List<String> seen = new ArrayList<>();
    BiConsumer<List<? extends PooledConnection>, Decisions> decide = (connections, decisions) -> {};

    @Override
    public long evaluate(List<? extends PooledConnection> connections, long nowNanos, Decisions decisions) {
      for (PooledConnection connection : connections) {
        seen.add(connection.address().host() + " idle=" + connection.isIdle() + " inFlight="
            + connection.exchangesInFlight() + " uses=" + connection.useCount()
            + (connection.isIdle() ? " idleAt=" + connection.idleAtNanos() : ""));
      }
      decide.accept(connections, decisions);
      return -1;
    }
  }

  @Test
  void policySeesEveryConnectionIdleOnesFirstLeastRecentlyUsedFirstThenBusyOnes() {
    RecordingPolicy policy = new RecordingPolicy();
    RealConnectionPool pool = pool(policy);
    RealConnection newerIdle = idleConnection(pool, addressA, start + 2 * SECOND);
    idleConnection(pool, addressB, start + 3 * SECOND);
    RealConnection busy = connection(pool, addressB, Protocol.HTTP_1_1);
    pool.put(busy, lease(addressB));
    // Used again and released later: it moves behind the one idle since 3 s, with no sorting.
    CallLease again = lease(addressA);
    assertThat(pool.acquire(addressA, null, again)).isSameAs(newerIdle);
    clock.set(start + 4 * SECOND);
    pool.release(newerIdle, again);

    pool.cleanup(clock.get());

    assertThat(policy.seen).containsExactly(
        "b.example.com idle=true inFlight=0 uses=1 idleAt=" + (start + 3 * SECOND),
        "a.example.com idle=true inFlight=0 uses=2 idleAt=" + (start + 4 * SECOND),
        "b.example.com idle=false inFlight=1 uses=1");
    assertThat(busy.createdAtNanos()).isEqualTo(start + 3 * SECOND);
  }

  @Test
  void retiredBusyConnectionTakesNoNewExchangesAndClosesWhenItsLastExchangeEnds() {
    RecordingPolicy policy = new RecordingPolicy();
    policy.decide = (connections, decisions) -> {
      for (PooledConnection connection : connections) {
        if (!connection.isIdle()) {
          decisions.retire(connection, EvictionPolicy.Reason.POLICY);
        }
      }
    };
    RealConnectionPool pool = pool(policy);
    RealConnection connection = connection(pool, addressA, Protocol.H2_PRIOR_KNOWLEDGE);
    fake(connection).capacity(10);
    CallLease first = lease(addressA);
    pool.put(connection, first);

    pool.cleanup(clock.get());

    assertThat(pool.acquire(addressA, null, lease(addressA))).isNull();
    assertThat(fake(connection).isClosed()).isFalse();
    assertThat(connection.retireReason()).isEqualTo(CloseReason.POLICY);
    pool.release(connection, first);
    assertThat(fake(connection).isClosed()).isTrue();
    assertThat(pool.connectionCount()).isZero();
  }

  @Test
  void closeIdleIsIgnoredForAConnectionLeasedWhileThePolicyRan() {
    RecordingPolicy policy = new RecordingPolicy();
    RealConnectionPool pool = pool(policy);
    RealConnection connection = idleConnection(pool, addressA, start);
    List<RealConnection> leasedMeanwhile = new ArrayList<>();
    policy.decide = (connections, decisions) -> {
      // The policy runs outside the pool's lock, so a call may take the connection meanwhile.
      leasedMeanwhile.add(pool.acquire(addressA, null, lease(addressA)));
      decisions.closeIdle(connections.get(0), EvictionPolicy.Reason.IDLE_TIMEOUT);
    };

    pool.cleanup(clock.get());

    assertThat(leasedMeanwhile).containsExactly(connection);
    assertThat(fake(connection).isClosed()).isFalse();
    assertThat(connection.retireReason()).isNull();
    assertThat(pool.connectionCount()).isEqualTo(1);
  }

  @Test
  void decisionsAboutConnectionsThePoolDidNotShowAreIgnored() {
    RecordingPolicy policy = new RecordingPolicy();
    RealConnectionPool pool = pool(policy);
    RealConnection connection = idleConnection(pool, addressA, start);
    policy.decide = (connections, decisions) -> {
      decisions.closeIdle(new TestPooledConnection("a.example.com", start), EvictionPolicy.Reason.POLICY);
      decisions.retire(connection, EvictionPolicy.Reason.POLICY); // The live object, not what was shown.
    };

    pool.cleanup(clock.get());

    assertThat(fake(connection).isClosed()).isFalse();
    assertThat(pool.idleConnectionCount()).isEqualTo(1);
  }

  @Test
  void closedConnectionsCarryTheReasonThePolicyGave() {
    RealConnectionPool pool = pool(new IdleTimeEvictionPolicy(1, 1, TimeUnit.MINUTES));
    RealConnection expired = idleConnection(pool, addressA, start);
    RealConnection overLimit = idleConnection(pool, addressA, start + 30 * SECOND);
    RealConnection kept = idleConnection(pool, addressB, start + 40 * SECOND);

    long wait = pool.cleanup(start + MINUTE);

    assertThat(expired.retireReason()).isEqualTo(CloseReason.IDLE_TIMEOUT);
    assertThat(overLimit.retireReason()).isEqualTo(CloseReason.IDLE_LIMIT);
    assertThat(fake(expired).isClosed()).isTrue();
    assertThat(fake(overLimit).isClosed()).isTrue();
    assertThat(fake(kept).isClosed()).isFalse();
    assertThat(wait).isEqualTo(40 * SECOND);
    assertThat(pool.idleConnectionCount()).isEqualTo(1);
  }

  @Test
  void maxUsesHoldsExactlyAtAcquisition() {
    RealConnectionPool pool = pool(new MaxUsesEvictionPolicy(2));
    RealConnection connection = idleConnection(pool, addressA, start); // Use 1.
    CallLease second = lease(addressA);
    assertThat(pool.acquire(addressA, null, second)).isSameAs(connection); // Use 2.
    pool.release(connection, second);

    assertThat(pool.acquire(addressA, null, lease(addressA))).isNull();
    assertThat(fake(connection).isClosed()).isTrue();
    assertThat(connection.retireReason()).isEqualTo(CloseReason.MAX_USES);
    assertThat(pool.connectionCount()).isZero();
    assertThat(pool.idleConnectionCount()).isZero();
  }

  @Test
  void maxLifetimeRetiresABusyConnectionAndClosesItWhenReleased() {
    RealConnectionPool pool = pool(new MaxLifetimeEvictionPolicy(1, TimeUnit.MINUTES));
    RealConnection connection = connection(pool, addressA, Protocol.HTTP_1_1);
    CallLease lease = lease(addressA);
    pool.put(connection, lease);

    assertThat(pool.cleanup(start + 20 * SECOND)).isEqualTo(40 * SECOND);
    pool.cleanup(start + MINUTE);
    clock.set(start + MINUTE);
    pool.release(connection, lease);

    assertThat(connection.retireReason()).isEqualTo(CloseReason.LIFETIME);
    assertThat(fake(connection).isClosed()).isTrue();
    assertThat(pool.connectionCount()).isZero();
  }

  @Test
  void maxLifetimeRefusesAnIdleConnectionPastItsLifetimeBeforeCleanupRuns() {
    RealConnectionPool pool = pool(new MaxLifetimeEvictionPolicy(1, TimeUnit.MINUTES));
    RealConnection connection = idleConnection(pool, addressA, start + SECOND);

    clock.set(start + MINUTE);

    assertThat(pool.acquire(addressA, null, lease(addressA))).isNull();
    assertThat(fake(connection).isClosed()).isTrue();
  }

  @Test
  void policyOfTheFirstVersionSeesIdleConnectionsLeastRecentlyUsedFirst() {
    List<IdleConnection> seen = new ArrayList<>();
    EvictionPolicy firstVersion = new EvictionPolicy() {
      @Override
      public long evict(List<? extends IdleConnection> idle, long nowNanos, List<? super IdleConnection> evict) {
        seen.addAll(idle);
        evict.add(idle.get(0));
        return 5 * SECOND;
      }
    };
    RealConnectionPool pool = pool(firstVersion);
    RealConnection oldest = idleConnection(pool, addressB, start + SECOND);
    RealConnection newest = idleConnection(pool, addressA, start + 2 * SECOND);
    pool.put(connection(pool, addressA, Protocol.HTTP_1_1), lease(addressA)); // Busy: not shown.

    long wait = pool.cleanup(start + 3 * SECOND);

    assertThat(seen).extracting(IdleConnection::idleAtNanos).containsExactly(start + SECOND, start + 2 * SECOND);
    assertThat(fake(oldest).isClosed()).isTrue();
    assertThat(oldest.retireReason()).isEqualTo(CloseReason.POLICY);
    assertThat(fake(newest).isClosed()).isFalse();
    assertThat(wait).isEqualTo(5 * SECOND);
  }

  @Test
  void idleCountFollowsLeasesReleasesAndEvictions() {
    RealConnectionPool pool = pool(new IdleTimeEvictionPolicy(10, 5, TimeUnit.MINUTES));
    RealConnection a = idleConnection(pool, addressA, start);
    idleConnection(pool, addressB, start);
    assertThat(pool.idleConnectionCount()).isEqualTo(2);

    CallLease lease = lease(addressA);
    assertThat(pool.acquire(addressA, null, lease)).isSameAs(a);
    assertThat(pool.idleConnectionCount()).isEqualTo(1);
    pool.release(a, lease);
    assertThat(pool.idleConnectionCount()).isEqualTo(2);

    pool.evictAll();
    assertThat(pool.idleConnectionCount()).isZero();
    assertThat(pool.connectionCount()).isZero();
  }

  @Test
  void aPolicyThatThrowsWhileEvaluatingLeavesThePoolUsable() {
    RecordingPolicy policy = new RecordingPolicy();
    policy.decide = (connections, decisions) -> {
      throw new IllegalStateException("broken policy");
    };
    RealConnectionPool pool = pool(policy);
    RealConnection connection = idleConnection(pool, addressA, start);

    assertThatThrownBy(() -> pool.cleanup(clock.get())).hasMessage("broken policy");

    assertThat(pool.acquire(addressA, null, lease(addressA))).isSameAs(connection);
    assertThat(fake(connection).isClosed()).isFalse();
  }

  @Test
  void aPolicyThatThrowsAtAcquisitionDoesNotFailTheCall() {
    EvictionPolicy policy = new EvictionPolicy() {
      @Override
      public Reason refuseNewExchange(PooledConnection connection, long nowNanos) {
        throw new IllegalStateException("broken policy");
      }
    };
    RealConnectionPool pool = pool(policy);
    RealConnection connection = idleConnection(pool, addressA, start);

    assertThat(pool.acquire(addressA, null, lease(addressA))).isSameAs(connection);
    assertThat(fake(connection).isClosed()).isFalse();
  }
}
