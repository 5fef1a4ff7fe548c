package dev.courier.examples.poolpolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.spi.EvictionPolicy;
import dev.courier.testing.contract.EvictionPolicyContract;
import dev.courier.testing.contract.TestPooledConnection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs Courier's eviction policy contract on the example, plus what is particular to it. */
class RotatingEvictionPolicyTest extends EvictionPolicyContract {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  // snippet: policy-contract
  @Override
  protected EvictionPolicy newPolicy() {
    return new RotatingEvictionPolicyProvider().create();
  }
  // end snippet

  @Test
  void retiresABusyConnectionAtItsLifetimeAndClosesAnIdleOneAfterItsTimeout() {
    EvictionPolicy policy = new RotatingEvictionPolicy(60, 10, TimeUnit.SECONDS);
    TestPooledConnection old = new TestPooledConnection("a", 0).busy(1);
    TestPooledConnection idle = new TestPooledConnection("a", 30 * SECOND).idleSince(50 * SECOND);
    TestPooledConnection young = new TestPooledConnection("a", 55 * SECOND).busy(1);

    Evaluation result = evaluate(policy, List.of(idle, old, young), 60 * SECOND);

    assertThat(result.decisions()).containsExactly(
        new Decision(idle, EvictionPolicy.Reason.IDLE_TIMEOUT, false),
        new Decision(old, EvictionPolicy.Reason.LIFETIME, true));
    assertThat(result.waitNanos()).isEqualTo(55 * SECOND);
    assertThat(policy.refuseNewExchange(old, 60 * SECOND)).isEqualTo(EvictionPolicy.Reason.LIFETIME);
    assertThat(policy.refuseNewExchange(young, 60 * SECOND)).isNull();
  }

  @Test
  void rejectsDurationsThatAreNotPositive() {
    assertThatThrownBy(() -> new RotatingEvictionPolicy(0, 1, TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLifetime=0");
  }
}
