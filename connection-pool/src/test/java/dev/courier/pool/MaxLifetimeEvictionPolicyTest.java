package dev.courier.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.spi.EvictionPolicy;
import dev.courier.testing.contract.EvictionPolicyContract;
import dev.courier.testing.contract.TestPooledConnection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MaxLifetimeEvictionPolicyTest extends EvictionPolicyContract {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private final MaxLifetimeEvictionPolicy policy = new MaxLifetimeEvictionPolicy(10, TimeUnit.MINUTES);

  @Override
  protected EvictionPolicy newPolicy() {
    return new MaxLifetimeEvictionPolicy(30, TimeUnit.MINUTES);
  }

  @Test
  void retiresConnectionsAtTheirLifetimeBusyOrIdle() {
    TestPooledConnection oldIdle = new TestPooledConnection("a", 0).idleSince(9 * MINUTE);
    TestPooledConnection oldBusy = new TestPooledConnection("a", SECOND).busy(2);
    TestPooledConnection young = new TestPooledConnection("a", 5 * MINUTE).busy(1);

    Evaluation result = evaluate(policy, List.of(oldIdle, oldBusy, young), 10 * MINUTE + SECOND);

    assertThat(result.decisions()).containsExactly(
        new Decision(oldIdle, EvictionPolicy.Reason.LIFETIME, true),
        new Decision(oldBusy, EvictionPolicy.Reason.LIFETIME, true));
    assertThat(result.waitNanos()).isEqualTo(5 * MINUTE - SECOND);
  }

  @Test
  void leavesConnectionsWithinTheirLifetimeToTheIdlePolicy() {
    MaxLifetimeEvictionPolicy withIdlePolicy = new MaxLifetimeEvictionPolicy(1, TimeUnit.HOURS,
        new IdleTimeEvictionPolicy(5, 1, TimeUnit.MINUTES, EvictionPolicy.IdleOrder.FIFO));
    TestPooledConnection idleTooLong = new TestPooledConnection("a", 0).idleSince(SECOND);

    Evaluation result = evaluate(withIdlePolicy, List.of(idleTooLong), 2 * MINUTE);

    assertThat(result.decisions()).containsExactly(new Decision(idleTooLong, EvictionPolicy.Reason.IDLE_TIMEOUT, false));
    assertThat(result.waitNanos()).isEqualTo(-1);
    assertThat(withIdlePolicy.idleOrder()).isEqualTo(EvictionPolicy.IdleOrder.FIFO);
  }

  @Test
  void refusesANewExchangeFromItsLifetimeOn() {
    TestPooledConnection connection = new TestPooledConnection("a", 0);

    assertThat(policy.refuseNewExchange(connection, 10 * MINUTE - 1)).isNull();
    assertThat(policy.refuseNewExchange(connection, 10 * MINUTE)).isEqualTo(EvictionPolicy.Reason.LIFETIME);
  }

  @Test
  void exposesItsSettingsAndRejectsBadOnes() {
    assertThat(policy.maxLifetimeNanos()).isEqualTo(10 * MINUTE);
    assertThat(policy.idlePolicy()).isInstanceOf(IdleTimeEvictionPolicy.class);
    assertThat(policy.toString()).contains("maxLifetime=600000 ms", "IdleTimeEvictionPolicy");
    assertThatThrownBy(() -> new MaxLifetimeEvictionPolicy(0, TimeUnit.MINUTES))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLifetime");
    assertThatThrownBy(() -> new MaxLifetimeEvictionPolicy(1, TimeUnit.MINUTES, null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("idlePolicy");
  }
}
