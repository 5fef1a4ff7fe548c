package dev.courier.testing.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.PooledConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Checks what a connection pool relies on from an {@link EvictionPolicy}. Extend it in a test
 * class and implement {@link #newPolicy()}; every test then runs against the policy, driven with
 * {@link TestPooledConnection}s on a fixed clock, idle and busy ones mixed, as the pool passes them
 * (idle ones first, least recently used first, then busy ones).
 *
 * <p>What is checked: an empty pool needs no cleanup; the policy decides only about connections
 * it was given, each at most once, and never closes a busy connection as idle; it keeps a fresh
 * connection; it returns -1 or a positive delay, and that delay is when something next changes;
 * its decisions are stable (survivors stay, the same input gives the same answer, a new instance
 * answers alike); {@link EvictionPolicy#refuseNewExchange} accepts a fresh connection, refuses only
 * what {@link EvictionPolicy#evaluate} would close or retire, and may run while {@code evaluate}
 * runs on another thread; it names an idle order. A policy that keeps idle connections forever
 * overrides {@link #closesConnectionsIdleForADay()}.
 */
public abstract class EvictionPolicyContract {
  /** The instant the tests run at: three days after the clock's origin. */
  protected static final long NOW = TimeUnit.DAYS.toNanos(3);

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long HOUR = TimeUnit.HOURS.toNanos(1);
  private static final long DAY = TimeUnit.DAYS.toNanos(1);

  /** Returns a new instance of the policy under test, configured as it is meant to be used. */
  protected abstract EvictionPolicy newPolicy();

  /**
   * Returns true (the default) if the policy closes a connection that has been idle for a day;
   * false for a policy meant to keep idle connections indefinitely.
   */
  protected boolean closesConnectionsIdleForADay() {
    return true;
  }

  /** One decision of a policy about one connection. */
  public record Decision(PooledConnection connection, EvictionPolicy.Reason reason, boolean retire) {}

  /** Records a policy's decisions, in order, without applying them. */
  public static final class RecordingDecisions implements EvictionPolicy.Decisions {
    private final List<Decision> decisions = new ArrayList<>();

    @Override
    public void closeIdle(PooledConnection connection, EvictionPolicy.Reason reason) {
      assertNotNull(connection, "closeIdle connection");
      assertNotNull(reason, "closeIdle reason");
      decisions.add(new Decision(connection, reason, false));
    }

    @Override
    public void retire(PooledConnection connection, EvictionPolicy.Reason reason) {
      assertNotNull(connection, "retire connection");
      assertNotNull(reason, "retire reason");
      decisions.add(new Decision(connection, reason, true));
    }

    /** Returns the decisions so far, in order. */
    public List<Decision> decisions() {
      return Collections.unmodifiableList(decisions);
    }

    /** Returns the connections decided about, in order. */
    public List<PooledConnection> connections() {
      List<PooledConnection> result = new ArrayList<>();
      for (Decision decision : decisions) {
        result.add(decision.connection());
      }
      return result;
    }
  }

  /** Returns a result of {@code evaluate}: the decisions and the delay it returned. */
  public record Evaluation(List<Decision> decisions, long waitNanos) {
    /** Returns the connections the decisions name, in order. */
    public List<PooledConnection> connections() {
      List<PooledConnection> result = new ArrayList<>();
      for (Decision decision : decisions) {
        result.add(decision.connection());
      }
      return result;
    }
  }

  /** Runs {@code policy.evaluate} on an unmodifiable copy of {@code connections}. */
  protected static Evaluation evaluate(EvictionPolicy policy, List<? extends PooledConnection> connections,
      long nowNanos) {
    RecordingDecisions decisions = new RecordingDecisions();
    long wait = policy.evaluate(Collections.unmodifiableList(new ArrayList<>(connections)), nowNanos, decisions);
    return new Evaluation(decisions.decisions(), wait);
  }

  /**
   * Returns a pool of 16 connections as the pool would show them: 12 idle ones over three hosts,
   * least recently used first, idle from an hour to a second, opened up to two hours ago and used
   * up to 60 times; then 4 busy ones, one of which is two days old and used 100,000 times.
   */
  protected static List<TestPooledConnection> mixedPool() {
    List<TestPooledConnection> result = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      long idleFor = SECOND * (3600 / (i + 1));
      result.add(new TestPooledConnection("host" + (i % 3), NOW - idleFor - HOUR * (i % 2))
          .idleSince(NOW - idleFor).uses(1 + 5L * i));
    }
    result.add(new TestPooledConnection("host0", NOW - 10 * SECOND).uses(1).busy(1));
    result.add(new TestPooledConnection("host1", NOW - HOUR).uses(40).busy(1));
    result.add(new TestPooledConnection("host2", NOW - 90 * SECOND).uses(7).busy(3));
    result.add(new TestPooledConnection("host2", NOW - 2 * DAY).uses(100_000).busy(1));
    return result;
  }

  @Test
  public void emptyPoolNeedsNoCleanup() {
    Evaluation result = evaluate(newPolicy(), List.of(), NOW);

    assertEquals(List.of(), result.decisions());
    assertEquals(-1, result.waitNanos());
  }

  @Test
  public void decidesOnlyAboutConnectionsItWasGivenAndEachOnce() {
    List<TestPooledConnection> pool = mixedPool();

    Evaluation result = evaluate(newPolicy(), pool, NOW);

    Map<PooledConnection, Boolean> seen = new IdentityHashMap<>();
    for (PooledConnection connection : result.connections()) {
      assertTrue(containsSame(pool, connection), "decided about a connection it was not given: " + connection);
      assertNull(seen.put(connection, true), "decided twice about " + connection);
    }
  }

  @Test
  public void neverClosesABusyConnectionAsIdle() {
    Evaluation result = evaluate(newPolicy(), mixedPool(), NOW);

    for (Decision decision : result.decisions()) {
      if (!decision.retire()) {
        assertTrue(decision.connection().isIdle(), "closeIdle on busy " + decision.connection());
      }
    }
  }

  @Test
  public void keepsAFreshConnection() {
    TestPooledConnection idle = new TestPooledConnection("fresh", NOW);
    TestPooledConnection busy = new TestPooledConnection("fresh", NOW).busy(1);

    Evaluation result = evaluate(newPolicy(), List.of(idle, busy), NOW);

    assertEquals(List.of(), result.decisions());
    assertSaneDelay(result.waitNanos(), "delay");
  }

  @Test
  public void closesAConnectionIdleForADay() {
    if (!closesConnectionsIdleForADay()) {
      return;
    }
    TestPooledConnection stale = new TestPooledConnection("stale", NOW - DAY);

    Evaluation result = evaluate(newPolicy(), List.of(stale), NOW);

    assertEquals(List.of(stale), result.connections());
  }

  @Test
  public void returnsMinusOneOrAPositiveDelay() {
    EvictionPolicy policy = newPolicy();
    for (long at : new long[] {NOW - HOUR, NOW, NOW + SECOND, NOW + HOUR, NOW + 3 * DAY}) {
      long wait = evaluate(policy, mixedPool(), at).waitNanos();
      assertSaneDelay(wait, "delay at " + at);
    }
  }

  @Test
  public void delayItReturnsIsWhenSomethingNextChanges() {
    EvictionPolicy policy = newPolicy();
    List<TestPooledConnection> pool = mixedPool();
    Evaluation first = evaluate(policy, pool, NOW);
    List<TestPooledConnection> survivors = survivors(pool, first);
    if (first.waitNanos() < 0) {
      assertEquals(List.of(), evaluate(policy, survivors, NOW + 7 * DAY).decisions(),
          "returned -1, yet decides later");
      return;
    }

    Evaluation before = evaluate(policy, survivors, NOW + first.waitNanos() - 1);
    Evaluation at = evaluate(policy, survivors, NOW + first.waitNanos());

    assertEquals(List.of(), before.decisions(), "decisions before the delay ends");
    assertFalse(at.decisions().isEmpty(), "no decision when the delay ends");
  }

  @Test
  public void survivorsAreStableAtTheSameInstant() {
    EvictionPolicy policy = newPolicy();
    List<TestPooledConnection> pool = mixedPool();
    List<TestPooledConnection> survivors = survivors(pool, evaluate(policy, pool, NOW));

    assertEquals(List.of(), evaluate(policy, survivors, NOW).decisions());
  }

  @Test
  public void keepsNoStateAcrossCalls() {
    EvictionPolicy policy = newPolicy();
    List<TestPooledConnection> pool = mixedPool();

    Evaluation first = evaluate(policy, pool, NOW);
    evaluate(policy, pool.subList(0, 5), NOW + HOUR); // Something else in between.
    Evaluation again = evaluate(policy, pool, NOW);
    Evaluation fresh = evaluate(newPolicy(), pool, NOW);

    assertEquals(first, again, "the same policy, asked again");
    assertEquals(first, fresh, "a new instance");
  }

  @Test
  public void acceptsAFreshConnection() {
    assertNull(newPolicy().refuseNewExchange(new TestPooledConnection("fresh", NOW), NOW));
  }

  @Test
  public void refusesOnlyConnectionsItWouldCloseOrRetire() {
    EvictionPolicy policy = newPolicy();
    List<TestPooledConnection> pool = mixedPool();
    List<PooledConnection> decided = evaluate(policy, pool, NOW).connections();

    for (TestPooledConnection connection : pool) {
      if (policy.refuseNewExchange(connection, NOW) != null) {
        assertTrue(containsSame(decided, connection), "refused but neither closed nor retired: " + connection);
      }
    }
  }

  @Test
  public void answersAcquisitionsWhileEvaluating() throws Exception {
    EvictionPolicy policy = newPolicy();
    List<TestPooledConnection> pool = mixedPool();
    Map<TestPooledConnection, EvictionPolicy.Reason> expected = new LinkedHashMap<>();
    for (TestPooledConnection connection : pool) {
      expected.put(connection, policy.refuseNewExchange(connection, NOW));
    }
    Evaluation expectedEvaluation = evaluate(policy, pool, NOW);

    ExecutorService executor = Executors.newFixedThreadPool(3);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      results.add(executor.submit(() -> {
        for (int i = 0; i < 200; i++) {
          if (!evaluate(policy, pool, NOW).equals(expectedEvaluation)) {
            return false;
          }
        }
        return true;
      }));
      for (int t = 0; t < 2; t++) {
        results.add(executor.submit(() -> {
          for (int i = 0; i < 200; i++) {
            for (Map.Entry<TestPooledConnection, EvictionPolicy.Reason> entry : expected.entrySet()) {
              if (policy.refuseNewExchange(entry.getKey(), NOW) != entry.getValue()) {
                return false;
              }
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> result : results) {
        assertTrue(result.get(1, TimeUnit.MINUTES), "same answers as when called alone");
      }
    } finally {
      executor.shutdownNow();
      assertTrue(executor.awaitTermination(1, TimeUnit.MINUTES));
    }
  }

  @Test
  public void namesAnIdleOrder() {
    assertNotNull(newPolicy().idleOrder());
  }

  private static void assertSaneDelay(long waitNanos, String what) {
    assertTrue(waitNanos == -1 || waitNanos > 0, what + " must be -1 or positive, was " + waitNanos);
  }

  private static boolean containsSame(List<? extends PooledConnection> list, PooledConnection connection) {
    for (PooledConnection candidate : list) {
      if (candidate == connection) {
        return true;
      }
    }
    return false;
  }

  /** Returns the connections of {@code pool} that {@code evaluation} neither closed nor retired. */
  protected static List<TestPooledConnection> survivors(List<TestPooledConnection> pool, Evaluation evaluation) {
    List<TestPooledConnection> result = new ArrayList<>();
    for (TestPooledConnection connection : pool) {
      if (!containsSame(evaluation.connections(), connection)) {
        result.add(connection);
      }
    }
    return result;
  }
}
