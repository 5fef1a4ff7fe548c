package dev.courier.internal;

import dev.courier.spi.Provider;
import dev.courier.spi.ProviderSettings;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Tells whether the client's builder gave a provider settings, and creates the provider's product
 * with them: the test and the factory {@link dev.courier.spi.ProviderLoader#create} takes. A class
 * rather than two lambdas, which a fresh JVM would link while the first client is built. A
 * subclass says how a provider of its type creates its product from settings. Thread-safe if the
 * settings map is not changed.
 *
 * @param <P> the provider type
 * @param <T> what the provider creates
 */
public abstract class SettingsCreation<P extends Provider, T>
    implements Predicate<P>, Function<P, T> {
  private final Map<String, Map<String, String>> settings;

  /** Creates a creation reading {@code settings}, keyed by provider name. */
  protected SettingsCreation(Map<String, Map<String, String>> settings) {
    this.settings = Objects.requireNonNull(settings, "settings == null");
  }

  /** Returns true if the builder gave settings for {@code provider}. */
  @Override
  public final boolean test(P provider) {
    return settings.containsKey(provider.name());
  }

  /** Creates {@code provider}'s product with the settings given for it, or none. */
  @Override
  public final T apply(P provider) {
    return create(provider,
        ProviderSettings.of(provider.name(), settings.getOrDefault(provider.name(), Map.of())));
  }

  /** Creates {@code provider}'s product from {@code settings}. */
  protected abstract T create(P provider, ProviderSettings settings);
}
