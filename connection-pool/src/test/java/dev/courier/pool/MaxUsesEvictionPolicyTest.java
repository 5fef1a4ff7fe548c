package dev.courier.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.spi.EvictionPolicy;
import dev.courier.testing.contract.EvictionPolicyContract;
import dev.courier.testing.contract.TestPooledConnection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MaxUsesEvictionPolicyTest extends EvictionPolicyContract {
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private final MaxUsesEvictionPolicy policy = new MaxUsesEvictionPolicy(3);

  @Override
  protected EvictionPolicy newPolicy() {
    return new MaxUsesEvictionPolicy(1_000);
  }

  @Test
  void retiresConnectionsThatCarriedTheirLastExchangeBusyOrIdle() {
    TestPooledConnection usedUpIdle = new TestPooledConnection("a", 0).uses(3);
    TestPooledConnection usedUpBusy = new TestPooledConnection("a", 0).uses(4).busy(2);
    TestPooledConnection fresh = new TestPooledConnection("a", 0).uses(2).busy(1);

    Evaluation result = evaluate(policy, List.of(usedUpIdle, usedUpBusy, fresh), MINUTE);

    assertThat(result.decisions()).containsExactly(
        new Decision(usedUpIdle, EvictionPolicy.Reason.MAX_USES, true),
        new Decision(usedUpBusy, EvictionPolicy.Reason.MAX_USES, true));
    assertThat(result.waitNanos()).isEqualTo(-1); // Nothing idle is kept, and time retires nothing.
  }

  @Test
  void refusesTheExchangeBeyondTheLimit() {
    assertThat(policy.refuseNewExchange(new TestPooledConnection("a", 0).uses(2), 0)).isNull();
    assertThat(policy.refuseNewExchange(new TestPooledConnection("a", 0).uses(3), 0))
        .isEqualTo(EvictionPolicy.Reason.MAX_USES);
  }

  @Test
  void leavesOtherConnectionsToTheIdlePolicy() {
    TestPooledConnection idle = new TestPooledConnection("a", 0).uses(1).idleSince(0);

    Evaluation result = evaluate(policy, List.of(idle), MINUTE);

    assertThat(result.decisions()).isEmpty();
    assertThat(result.waitNanos()).isEqualTo(4 * MINUTE); // The default idle policy's 5 minutes.
  }

  @Test
  void exposesItsSettingsAndRejectsBadOnes() {
    assertThat(policy.maxUses()).isEqualTo(3);
    assertThat(policy.idleOrder()).isEqualTo(EvictionPolicy.IdleOrder.LIFO);
    assertThat(policy.toString()).contains("maxUses=3");
    assertThatThrownBy(() -> new MaxUsesEvictionPolicy(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxUses");
  }
}
