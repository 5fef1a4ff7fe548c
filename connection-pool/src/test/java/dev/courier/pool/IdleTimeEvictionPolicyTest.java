package dev.courier.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.IdleConnection;
import dev.courier.testing.contract.EvictionPolicyContract;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleTimeEvictionPolicyTest extends EvictionPolicyContract {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private final IdleTimeEvictionPolicy policy = new IdleTimeEvictionPolicy(2, 1, TimeUnit.MINUTES);

  @Override
  protected EvictionPolicy newPolicy() {
    return new IdleTimeEvictionPolicy(2, 1, TimeUnit.MINUTES);
  }

  @Test
  void keepsConnectionsWithinTheLimitsAndReportsWhenTheOldestExpires() {
    List<IdleConnection> idle = List.of(new FakeIdleConnection("a", 0), new FakeIdleConnection("b", 10 * SECOND));
    List<IdleConnection> evict = new ArrayList<>();

    long wait = policy.evict(idle, 30 * SECOND, evict);

    assertThat(evict).isEmpty();
    assertThat(wait).isEqualTo(30 * SECOND);
  }

  @Test
  void evictsConnectionsIdleForTheKeepAliveOrLonger() {
    FakeIdleConnection expired = new FakeIdleConnection("a", 0);
    FakeIdleConnection fresh = new FakeIdleConnection("b", 30 * SECOND);
    List<IdleConnection> evict = new ArrayList<>();

    long wait = policy.evict(List.of(expired, fresh), MINUTE, evict);

    assertThat(evict).containsExactly(expired);
    assertThat(wait).isEqualTo(30 * SECOND);
  }

  @Test
  void evictsTheLeastRecentlyUsedBeyondMaxIdle() {
    FakeIdleConnection oldest = new FakeIdleConnection("a", 0);
    FakeIdleConnection middle = new FakeIdleConnection("b", SECOND);
    FakeIdleConnection newest = new FakeIdleConnection("c", 2 * SECOND);
    List<IdleConnection> evict = new ArrayList<>();

    long wait = policy.evict(List.of(oldest, middle, newest), 2 * SECOND, evict);

    assertThat(evict).containsExactly(oldest);
    assertThat(wait).isEqualTo(MINUTE - SECOND);
  }

  @Test
  void returnsMinusOneWhenNothingIsKept() {
    List<IdleConnection> evict = new ArrayList<>();

    assertThat(policy.evict(List.of(new FakeIdleConnection("a", 0)), 2 * MINUTE, evict)).isEqualTo(-1);
    assertThat(evict).hasSize(1);
    assertThat(policy.evict(List.of(), 0, new ArrayList<>())).isEqualTo(-1);
  }

  @Test
  void zeroMaxIdleEvictsEveryIdleConnection() {
    IdleTimeEvictionPolicy none = new IdleTimeEvictionPolicy(0, 1, TimeUnit.MINUTES);
    List<IdleConnection> evict = new ArrayList<>();

    assertThat(none.evict(List.of(new FakeIdleConnection("a", 0)), 0, evict)).isEqualTo(-1);
    assertThat(evict).hasSize(1);
  }

  @Test
  void handsOutMostRecentlyUsedFirstByDefault() {
    assertThat(policy.idleOrder()).isEqualTo(EvictionPolicy.IdleOrder.LIFO);
    assertThat(new IdleTimeEvictionPolicy(1, 1, TimeUnit.SECONDS, EvictionPolicy.IdleOrder.FIFO).idleOrder())
        .isEqualTo(EvictionPolicy.IdleOrder.FIFO);
  }

  @Test
  void exposesItsSettings() {
    assertThat(policy.maxIdle()).isEqualTo(2);
    assertThat(policy.keepAliveNanos()).isEqualTo(MINUTE);
    assertThat(policy.toString()).contains("maxIdle=2", "60000 ms", "LIFO");
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> new IdleTimeEvictionPolicy(-1, 1, TimeUnit.MINUTES))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxIdle");
    assertThatThrownBy(() -> new IdleTimeEvictionPolicy(1, 0, TimeUnit.MINUTES))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepAlive");
  }
}
