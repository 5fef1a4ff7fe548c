package dev.courier.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
import dev.courier.spi.IdleConnection;
import dev.courier.spi.ProviderLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks what the pool relies on from every eviction policy Courier ships. */
class EvictionPolicyContractTest {
  private static final long NOW = TimeUnit.DAYS.toNanos(3);
  private static final long DAY = TimeUnit.DAYS.toNanos(1);

  static Stream<Named<EvictionPolicy>> policies() {
    List<Named<EvictionPolicy>> result = new ArrayList<>();
    for (EvictionPolicyProvider provider : ProviderLoader.load(EvictionPolicyProvider.class)) {
      result.add(Named.of("provider " + provider.name(), provider.create()));
    }
    result.add(Named.of("IdleTimeEvictionPolicy(1, 10 s, FIFO)",
        new IdleTimeEvictionPolicy(1, 10, TimeUnit.SECONDS, EvictionPolicy.IdleOrder.FIFO)));
    result.add(Named.of("PerAddressIdleEvictionPolicy(1, 10 s)",
        new PerAddressIdleEvictionPolicy(1, 10, TimeUnit.SECONDS)));
    return result.stream();
  }

  private static List<IdleConnection> mixedIdle() {
    List<IdleConnection> idle = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      // Least recently used first, as the pool passes them; three hosts, idle from 1 h to 1 s.
      idle.add(new FakeIdleConnection("host" + (i % 3), NOW - TimeUnit.SECONDS.toNanos(3600 / (i + 1))));
    }
    return Collections.unmodifiableList(idle);
  }

  @ParameterizedTest
  @MethodSource("policies")
  void emptyPoolNeedsNoCleanup(EvictionPolicy policy) {
    List<IdleConnection> evict = new ArrayList<>();

    assertThat(policy.evict(List.of(), NOW, evict)).isEqualTo(-1);
    assertThat(evict).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("policies")
  void evictsOnlyConnectionsItWasGivenAndEachOnce(EvictionPolicy policy) {
    List<IdleConnection> idle = mixedIdle();
    List<IdleConnection> evict = new ArrayList<>();

    policy.evict(idle, NOW, evict);

    assertThat(idle).containsAll(evict);
    assertThat(new HashSet<>(evict)).hasSameSizeAs(evict);
  }

  @ParameterizedTest
  @MethodSource("policies")
  void keepsAConnectionThatJustBecameIdle(EvictionPolicy policy) {
    List<IdleConnection> evict = new ArrayList<>();

    long wait = policy.evict(List.of(new FakeIdleConnection("fresh", NOW)), NOW, evict);

    assertThat(evict).isEmpty();
    assertThat(wait).isPositive();
  }

  @ParameterizedTest
  @MethodSource("policies")
  void evictsAConnectionIdleForADay(EvictionPolicy policy) {
    FakeIdleConnection stale = new FakeIdleConnection("stale", NOW - DAY);
    List<IdleConnection> evict = new ArrayList<>();

    policy.evict(List.of(stale), NOW, evict);

    assertThat(evict).containsExactly(stale);
  }

  @ParameterizedTest
  @MethodSource("policies")
  void deadlineItReturnsIsWhenSomethingExpires(EvictionPolicy policy) {
    List<IdleConnection> idle = mixedIdle();
    List<IdleConnection> evict = new ArrayList<>();
    long wait = policy.evict(idle, NOW, evict);
    List<IdleConnection> survivors = new ArrayList<>(idle);
    survivors.removeAll(evict);
    if (survivors.isEmpty()) {
      assertThat(wait).isEqualTo(-1);
      return;
    }
    assertThat(wait).isPositive();

    List<IdleConnection> evictBefore = new ArrayList<>();
    policy.evict(Collections.unmodifiableList(survivors), NOW + wait - 1, evictBefore);
    List<IdleConnection> evictAt = new ArrayList<>();
    policy.evict(Collections.unmodifiableList(survivors), NOW + wait, evictAt);

    assertThat(evictBefore).isEmpty();
    assertThat(evictAt).isNotEmpty();
  }

  @ParameterizedTest
  @MethodSource("policies")
  void survivorsAreStableAtTheSameInstant(EvictionPolicy policy) {
    List<IdleConnection> idle = mixedIdle();
    List<IdleConnection> evict = new ArrayList<>();
    policy.evict(idle, NOW, evict);
    List<IdleConnection> survivors = new ArrayList<>(idle);
    survivors.removeAll(evict);

    List<IdleConnection> again = new ArrayList<>();
    policy.evict(Collections.unmodifiableList(survivors), NOW, again);

    assertThat(again).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("policies")
  void namesAnIdleOrder(EvictionPolicy policy) {
    assertThat(policy.idleOrder()).isNotNull();
  }
}
