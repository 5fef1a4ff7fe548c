package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.pool.BoundedEvictionPolicy;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.pool.MaxLifetimeEvictionPolicy;
import dev.courier.pool.MaxUsesEvictionPolicy;
import dev.courier.spi.ProviderSettings;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Checks that the max-lifetime, max-uses and bounded providers read their settings. */
class RetiringAndBoundedProviderSettingsTest {
  @Test
  void maxLifetimeProviderKeepsItsDefaultsWithoutSettings() {
    MaxLifetimeEvictionPolicy policy = new MaxLifetimeEvictionPolicyProvider()
        .create(ProviderSettings.of("max-lifetime", Map.of()));

    assertThat(policy.maxLifetimeNanos()).isEqualTo(TimeUnit.MINUTES.toNanos(30));
    IdleTimeEvictionPolicy idle = (IdleTimeEvictionPolicy) policy.idlePolicy();
    assertThat(idle.maxIdle()).isEqualTo(5);
    assertThat(idle.keepAliveNanos()).isEqualTo(TimeUnit.MINUTES.toNanos(5));
  }

  @Test
  void maxLifetimeProviderReadsLifetimeAndIdleSettings() {
    MaxLifetimeEvictionPolicy policy = new MaxLifetimeEvictionPolicyProvider().create(ProviderSettings.of(
        "max-lifetime", Map.of("maxLifetime", "10m", "maxIdleConnections", "2", "keepAlive", "30s")));

    assertThat(policy.maxLifetimeNanos()).isEqualTo(TimeUnit.MINUTES.toNanos(10));
    IdleTimeEvictionPolicy idle = (IdleTimeEvictionPolicy) policy.idlePolicy();
    assertThat(idle.maxIdle()).isEqualTo(2);
    assertThat(idle.keepAliveNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(30));
  }

  @Test
  void maxLifetimeProviderRefusesANonPositiveLifetimeNamingItself() {
    assertThatThrownBy(() -> new MaxLifetimeEvictionPolicyProvider()
        .create(ProviderSettings.of("max-lifetime", Map.of("maxLifetime", "0s"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max-lifetime")
        .hasMessageContaining("maxLifetime");
  }

  @Test
  void maxUsesProviderKeepsItsDefaultsWithoutSettings() {
    MaxUsesEvictionPolicy policy = new MaxUsesEvictionPolicyProvider()
        .create(ProviderSettings.of("max-uses", Map.of()));

    assertThat(policy.maxUses()).isEqualTo(1_000L);
    assertThat(((IdleTimeEvictionPolicy) policy.idlePolicy()).maxIdle()).isEqualTo(5);
  }

  @Test
  void maxUsesProviderReadsUsesAndIdleSettings() {
    MaxUsesEvictionPolicy policy = new MaxUsesEvictionPolicyProvider().create(ProviderSettings.of(
        "max-uses", Map.of("maxUses", "100", "maxIdleConnections", "0", "keepAlive", "1h")));

    assertThat(policy.maxUses()).isEqualTo(100L);
    IdleTimeEvictionPolicy idle = (IdleTimeEvictionPolicy) policy.idlePolicy();
    assertThat(idle.maxIdle()).isZero();
    assertThat(idle.keepAliveNanos()).isEqualTo(TimeUnit.HOURS.toNanos(1));
  }

  @Test
  void maxUsesProviderRefusesMalformedAndOutOfRangeValuesNamingThem() {
    assertThatThrownBy(() -> new MaxUsesEvictionPolicyProvider()
        .create(ProviderSettings.of("max-uses", Map.of("maxUses", "lots"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max-uses")
        .hasMessageContaining("maxUses");
    assertThatThrownBy(() -> new MaxUsesEvictionPolicyProvider()
        .create(ProviderSettings.of("max-uses", Map.of("maxUses", "-1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max-uses")
        .hasMessageContaining("maxUses=-1");
  }

  @Test
  void boundedProviderKeepsItsDefaultsWithoutSettings() {
    BoundedEvictionPolicy policy = new BoundedEvictionPolicyProvider()
        .create(ProviderSettings.of("bounded", Map.of()));

    assertThat(policy.maxIdle()).isEqualTo(50);
    assertThat(policy.maxIdlePerAddress()).isEqualTo(5);
    assertThat(policy.keepAliveNanos()).isEqualTo(TimeUnit.MINUTES.toNanos(5));
  }

  @Test
  void boundedProviderReadsBuilderSettingsOverSystemProperties() {
    String property = ProviderSettings.SYSTEM_PROPERTY_PREFIX + "bounded.maxIdlePerAddress";
    System.setProperty(property, "3");
    try {
      BoundedEvictionPolicy fromProperty = new BoundedEvictionPolicyProvider().create(
          ProviderSettings.of("bounded", Map.of("maxIdleConnections", "20", "keepAlive", "90s")));
      BoundedEvictionPolicy fromBuilder = new BoundedEvictionPolicyProvider().create(
          ProviderSettings.of("bounded", Map.of("maxIdlePerAddress", "7")));

      assertThat(fromProperty.maxIdle()).isEqualTo(20);
      assertThat(fromProperty.maxIdlePerAddress()).isEqualTo(3);
      assertThat(fromProperty.keepAliveNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(90));
      assertThat(fromBuilder.maxIdlePerAddress()).isEqualTo(7);
    } finally {
      System.clearProperty(property);
    }
  }

  @Test
  void boundedProviderRefusesANegativeLimitNamingIt() {
    assertThatThrownBy(() -> new BoundedEvictionPolicyProvider()
        .create(ProviderSettings.of("bounded", Map.of("maxIdlePerAddress", "-2"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bounded")
        .hasMessageContaining("maxIdlePerAddress");
  }
}
