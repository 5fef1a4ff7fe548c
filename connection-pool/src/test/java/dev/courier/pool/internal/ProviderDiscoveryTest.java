package dev.courier.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.pool.PerAddressIdleEvictionPolicy;
import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
import dev.courier.spi.Provider;
import dev.courier.spi.ProviderLoader;
import dev.courier.spi.RouteSelectorProvider;
import org.junit.jupiter.api.Test;

/** Checks that ServiceLoader finds the providers this module registers, and that each can be named. */
class ProviderDiscoveryTest {
  @Test
  void routeSelectorProvidersAreDiscoveredDefaultFirst() {
    assertThat(ProviderLoader.load(RouteSelectorProvider.class))
        .extracting(Provider::name)
        .containsSubsequence("courier-default", "round-robin");
    RouteSelectorProvider chosen = ProviderLoader.choose(RouteSelectorProvider.class,
        ProviderLoader.load(RouteSelectorProvider.class), null);
    assertThat(chosen.name()).isEqualTo("courier-default");
    assertThat(chosen.create()).isInstanceOf(DefaultRouteSelector.class);
  }

  @Test
  void roundRobinIsChosenByName() {
    RouteSelectorProvider chosen = ProviderLoader.choose(RouteSelectorProvider.class,
        ProviderLoader.load(RouteSelectorProvider.class), "round-robin");

    assertThat(chosen.priority()).isEqualTo(-1);
    assertThat(chosen.create()).isInstanceOf(RoundRobinRouteSelector.class);
  }

  @Test
  void evictionPolicyProvidersAreDiscoveredIdleTimeFirst() {
    assertThat(ProviderLoader.load(EvictionPolicyProvider.class))
        .extracting(Provider::name)
        .contains("idle-time", "idle-time-fifo", "per-address");
    EvictionPolicyProvider chosen = ProviderLoader.choose(EvictionPolicyProvider.class,
        ProviderLoader.load(EvictionPolicyProvider.class), null);
    assertThat(chosen.name()).isEqualTo("idle-time");
  }

  @Test
  void evictionPoliciesAreChosenByName() {
    EvictionPolicy perAddress = ProviderLoader.choose(EvictionPolicyProvider.class,
        ProviderLoader.load(EvictionPolicyProvider.class), "per-address").create();
    EvictionPolicy fifo = ProviderLoader.choose(EvictionPolicyProvider.class,
        ProviderLoader.load(EvictionPolicyProvider.class), "idle-time-fifo").create();

    assertThat(perAddress).isInstanceOf(PerAddressIdleEvictionPolicy.class);
    assertThat(fifo).isInstanceOf(IdleTimeEvictionPolicy.class);
    assertThat(fifo.idleOrder()).isEqualTo(EvictionPolicy.IdleOrder.FIFO);
  }

  @Test
  void unknownNameListsWhatWasFound() {
    assertThatThrownBy(() -> ProviderLoader.choose(RouteSelectorProvider.class,
        ProviderLoader.load(RouteSelectorProvider.class), "happy-eyeballs"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("courier-default")
        .hasMessageContaining("round-robin");
  }
}
