package dev.courier.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
import dev.courier.spi.ProviderLoader;
import dev.courier.testing.contract.EvictionPolicyContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Runs the eviction policy contract against the policy of every provider this module ships. */
class ShippedEvictionPoliciesContractTest {
  private static EvictionPolicy create(String name) {
    for (EvictionPolicyProvider provider : ProviderLoader.load(EvictionPolicyProvider.class)) {
      if (provider.name().equals(name)) {
        return provider.create();
      }
    }
    throw new AssertionError("no eviction policy provider named " + name);
  }

  @Test
  void everyShippedProviderIsDiscovered() {
    List<String> names = new ArrayList<>();
    for (EvictionPolicyProvider provider : ProviderLoader.load(EvictionPolicyProvider.class)) {
      names.add(provider.name());
    }

    assertThat(names).contains("idle-time", "idle-time-fifo", "per-address", "max-lifetime", "max-uses", "bounded");
  }

  @Nested
  class IdleTime extends EvictionPolicyContract {
    @Override
    protected EvictionPolicy newPolicy() {
      return create("idle-time");
    }
  }

  @Nested
  class IdleTimeFifo extends EvictionPolicyContract {
    @Override
    protected EvictionPolicy newPolicy() {
      return create("idle-time-fifo");
    }
  }

  @Nested
  class PerAddress extends EvictionPolicyContract {
    @Override
    protected EvictionPolicy newPolicy() {
      return create("per-address");
    }
  }

  @Nested
  class MaxLifetime extends EvictionPolicyContract {
    @Override
    protected EvictionPolicy newPolicy() {
      return create("max-lifetime");
    }
  }

  @Nested
  class MaxUses extends EvictionPolicyContract {
    @Override
    protected EvictionPolicy newPolicy() {
      return create("max-uses");
    }
  }

  @Nested
  class Bounded extends EvictionPolicyContract {
    @Override
    protected EvictionPolicy newPolicy() {
      return create("bounded");
    }
  }
}
