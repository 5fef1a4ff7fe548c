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

class PerAddressIdleEvictionPolicyTest extends EvictionPolicyContract {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private final PerAddressIdleEvictionPolicy policy = new PerAddressIdleEvictionPolicy(2, 1, TimeUnit.MINUTES);

  @Override
  protected EvictionPolicy newPolicy() {
    return new PerAddressIdleEvictionPolicy(1, 1, TimeUnit.MINUTES);
  }

  @Test
  void limitsEachAddressSeparately() {
    FakeIdleConnection a1 = new FakeIdleConnection("a", 0);
    FakeIdleConnection b1 = new FakeIdleConnection("b", SECOND);
    FakeIdleConnection a2 = new FakeIdleConnection("a", 2 * SECOND);
    FakeIdleConnection a3 = new FakeIdleConnection("a", 3 * SECOND);
    FakeIdleConnection b2 = new FakeIdleConnection("b", 4 * SECOND);
    List<IdleConnection> evict = new ArrayList<>();

    long wait = policy.evict(List.of(a1, b1, a2, a3, b2), 5 * SECOND, evict);

    assertThat(evict).containsExactly(a1);
    // b1 is now the oldest kept: idle since 1 s.
    assertThat(wait).isEqualTo(MINUTE - 4 * SECOND);
  }

  @Test
  void hasNoLimitAcrossAddresses() {
    List<IdleConnection> idle = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      idle.add(new FakeIdleConnection("host" + i, i));
    }
    List<IdleConnection> evict = new ArrayList<>();

    policy.evict(idle, 20, evict);

    assertThat(evict).isEmpty();
  }

  @Test
  void evictsExpiredConnections() {
    FakeIdleConnection expired = new FakeIdleConnection("a", 0);
    List<IdleConnection> evict = new ArrayList<>();

    assertThat(policy.evict(List.of(expired), MINUTE, evict)).isEqualTo(-1);
    assertThat(evict).containsExactly(expired);
  }

  @Test
  void exposesItsSettingsAndOrder() {
    assertThat(policy.maxIdlePerAddress()).isEqualTo(2);
    assertThat(policy.keepAliveNanos()).isEqualTo(MINUTE);
    assertThat(policy.idleOrder()).isEqualTo(EvictionPolicy.IdleOrder.LIFO);
    assertThat(new PerAddressIdleEvictionPolicy(1, 1, TimeUnit.SECONDS, EvictionPolicy.IdleOrder.FIFO).idleOrder())
        .isEqualTo(EvictionPolicy.IdleOrder.FIFO);
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> new PerAddressIdleEvictionPolicy(-1, 1, TimeUnit.MINUTES))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxIdlePerAddress");
    assertThatThrownBy(() -> new PerAddressIdleEvictionPolicy(1, -5, TimeUnit.MINUTES))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepAlive");
  }
}
