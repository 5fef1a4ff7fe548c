package dev.courier.pool.internal;

import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
import dev.courier.spi.ProviderLoader;
import dev.courier.spi.ProviderSettings;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Chooses a pool's {@link EvictionPolicy} among the discovered {@link EvictionPolicyProvider}s and
 * creates it with the provider's settings. Stateless.
 */
public final class EvictionPolicies {
  private EvictionPolicies() {}

  /**
   * Returns the policy of the provider named {@code name} (else named by the system property
   * {@code dev.courier.spi.EvictionPolicyProvider}, else the highest priority one whose
   * {@code create} succeeds; failing ones are skipped with a warning naming them, unless the
   * builder gave them settings), created with its settings; or, with no provider, {@code new IdleTimeEvictionPolicy(5, 5, MINUTES)} and a
   * null provider.
   *
   * @param settings settings given on the builder, by provider name then key
   * @throws IllegalArgumentException if the named provider is not found, or it or a provider given
   *     settings fails to create its policy; the message names it
   */
  public static ProviderLoader.Created<EvictionPolicyProvider, EvictionPolicy> choose(String name,
      Map<String, Map<String, String>> settings) {
    ProviderLoader.Created<EvictionPolicyProvider, EvictionPolicy> created = ProviderLoader.create(
        EvictionPolicyProvider.class, ProviderLoader.load(EvictionPolicyProvider.class), name,
        provider -> settings.containsKey(provider.name()),
        provider -> provider.create(
            ProviderSettings.of(provider.name(), settings.getOrDefault(provider.name(), Map.of()))));
    return created != null
        ? created
        : new ProviderLoader.Created<>(null, new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES));
  }
}
