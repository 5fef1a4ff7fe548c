package dev.courier.pool.internal;

import dev.courier.internal.SettingsCreation;
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
    Creation creation = new Creation(settings);
    ProviderLoader.Created<EvictionPolicyProvider, EvictionPolicy> created = ProviderLoader.create(
        EvictionPolicyProvider.class, ProviderLoader.load(EvictionPolicyProvider.class), name,
        creation, creation);
    return created != null
        ? created
        : new ProviderLoader.Created<>(null, new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES));
  }

  /** Creates a provider's EvictionPolicy with the settings the builder gave it. */
  private static final class Creation
      extends SettingsCreation<EvictionPolicyProvider, EvictionPolicy> {
    Creation(Map<String, Map<String, String>> settings) {
      super(settings);
    }

    @Override
    protected EvictionPolicy create(EvictionPolicyProvider provider, ProviderSettings settings) {
      return provider.create(settings);
    }
  }
}
