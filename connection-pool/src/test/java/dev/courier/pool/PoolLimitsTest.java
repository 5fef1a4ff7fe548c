package dev.courier.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PoolLimitsTest {
  @Test
  void limitsBelowOneAreRejectedNamingTheSetting() {
    assertThatThrownBy(() -> new PoolLimits(0, 5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConnectionsPerAddress < 1: 0");
    assertThatThrownBy(() -> PoolLimits.UNLIMITED.withMaxConnections(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxConnections < 1: -1");
  }

  @Test
  void withersChangeOneLimitEach() {
    PoolLimits limits = PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(4).withMaxConnections(10);

    assertThat(limits).isEqualTo(new PoolLimits(4, 10));
    assertThat(limits.isLimited()).isTrue();
    assertThat(PoolLimits.UNLIMITED.isLimited()).isFalse();
  }

  @Test
  void poolIsUnlimitedUnlessGivenLimits() {
    IdleTimeEvictionPolicy policy = new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES);

    assertThat(new ConnectionPool(policy).limits()).isEqualTo(PoolLimits.UNLIMITED);
    assertThat(new ConnectionPool(policy, new PoolLimits(2, 8)).limits()).isEqualTo(new PoolLimits(2, 8));
  }
}
