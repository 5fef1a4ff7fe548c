package dev.courier.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.spi.EvictionPolicy;
import dev.courier.testing.contract.EvictionPolicyContract;
import dev.courier.testing.contract.TestPooledConnection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedEvictionPolicyTest extends EvictionPolicyContract {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  @Override
  protected EvictionPolicy newPolicy() {
    return new BoundedEvictionPolicy(3, 2, 1, TimeUnit.MINUTES);
  }

  private static TestPooledConnection idle(String host, long idleAt) {
    return new TestPooledConnection(host, 0).idleSince(idleAt);
  }

  @Test
  void closesTheLeastRecentlyUsedOfAnAddressOverItsLimit() {
    TestPooledConnection a1 = idle("a", SECOND);
    TestPooledConnection a2 = idle("a", 2 * SECOND);
    TestPooledConnection a3 = idle("a", 3 * SECOND);
    TestPooledConnection b1 = idle("b", 4 * SECOND);

    Evaluation result = evaluate(newPolicy(), List.of(a1, a2, a3, b1), 5 * SECOND);

    assertThat(result.decisions()).containsExactly(new Decision(a1, EvictionPolicy.Reason.IDLE_LIMIT, false));
    assertThat(result.waitNanos()).isEqualTo(MINUTE - 3 * SECOND);
  }

  @Test
  void appliesPerAddressLimitsBeforeTheTotalSoTheTotalClosesNoMoreThanNeeded() {
    // Total 3, per address 2: b's oldest goes for its own limit, and then the total fits, so the
    // older a stays.
    TestPooledConnection a1 = idle("a", SECOND);
    TestPooledConnection b1 = idle("b", 2 * SECOND);
    TestPooledConnection b2 = idle("b", 3 * SECOND);
    TestPooledConnection b3 = idle("b", 4 * SECOND);

    Evaluation result = evaluate(newPolicy(), List.of(a1, b1, b2, b3), 5 * SECOND);

    assertThat(result.connections()).containsExactly(b1);
  }

  @Test
  void closesTheLeastRecentlyUsedBeyondTheTotal() {
    TestPooledConnection a = idle("a", SECOND);
    TestPooledConnection b = idle("b", 2 * SECOND);
    TestPooledConnection c = idle("c", 3 * SECOND);
    TestPooledConnection d = idle("d", 4 * SECOND);

    Evaluation result = evaluate(newPolicy(), List.of(a, b, c, d), 5 * SECOND);

    assertThat(result.decisions()).containsExactly(new Decision(a, EvictionPolicy.Reason.IDLE_LIMIT, false));
  }

  @Test
  void closesExpiredConnectionsForTheirIdleTimeAndLeavesBusyOnesAlone() {
    TestPooledConnection expired = idle("a", 0);
    TestPooledConnection busy = new TestPooledConnection("a", 0).busy(1);

    Evaluation result = evaluate(newPolicy(), List.of(expired, busy), 2 * MINUTE);

    assertThat(result.decisions()).containsExactly(new Decision(expired, EvictionPolicy.Reason.IDLE_TIMEOUT, false));
    assertThat(result.waitNanos()).isEqualTo(-1);
  }

  @Test
  void exposesItsSettingsAndRejectsBadOnes() {
    BoundedEvictionPolicy policy = new BoundedEvictionPolicy(3, 2, 1, TimeUnit.MINUTES, EvictionPolicy.IdleOrder.FIFO);
    assertThat(policy.maxIdle()).isEqualTo(3);
    assertThat(policy.maxIdlePerAddress()).isEqualTo(2);
    assertThat(policy.keepAliveNanos()).isEqualTo(MINUTE);
    assertThat(policy.idleOrder()).isEqualTo(EvictionPolicy.IdleOrder.FIFO);
    assertThat(policy.toString()).contains("maxIdle=3", "maxIdlePerAddress=2", "60000 ms", "FIFO");
    assertThatThrownBy(() -> new BoundedEvictionPolicy(-1, 1, 1, TimeUnit.MINUTES))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxIdle < 0");
    assertThatThrownBy(() -> new BoundedEvictionPolicy(1, -1, 1, TimeUnit.MINUTES))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxIdlePerAddress");
    assertThatThrownBy(() -> new BoundedEvictionPolicy(1, 1, 0, TimeUnit.MINUTES))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepAlive");
  }
}
