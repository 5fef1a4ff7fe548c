package dev.courier.pool.internal;

import dev.courier.Protocol;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.ProviderLoader;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Holds the {@link ProtocolConnectionProvider}s in use, one per protocol: for each protocol, the
 * highest-priority provider that speaks it (among equals, the first given). Immutable and
 * thread-safe.
 */
public final class ProtocolProviders {
  private final Map<Protocol, ProtocolConnectionProvider> byProtocol;

  private ProtocolProviders(Map<Protocol, ProtocolConnectionProvider> byProtocol) {
    this.byProtocol = byProtocol;
  }

  /**
   * Returns the providers to use: exactly {@code explicit} if it is non-empty, else every provider
   * {@link ProviderLoader#load ProviderLoader} discovers.
   *
   * @param explicit the providers the user gave, or null or empty to discover them
   */
  public static ProtocolProviders discover(List<ProtocolConnectionProvider> explicit) {
    List<ProtocolConnectionProvider> candidates = explicit != null && !explicit.isEmpty()
        ? explicit
        : ProviderLoader.load(ProtocolConnectionProvider.class);
    return of(candidates);
  }

  /** Returns the providers chosen among {@code candidates}, without discovery. */
  public static ProtocolProviders of(List<? extends ProtocolConnectionProvider> candidates) {
    Map<Protocol, ProtocolConnectionProvider> byProtocol = new EnumMap<>(Protocol.class);
    for (ProtocolConnectionProvider candidate : candidates) {
      for (Protocol protocol : candidate.protocols()) {
        ProtocolConnectionProvider current = byProtocol.get(protocol);
        if (current == null || candidate.priority() > current.priority()) {
          byProtocol.put(protocol, candidate);
        }
      }
    }
    return new ProtocolProviders(Collections.unmodifiableMap(byProtocol));
  }

  /** Returns the protocols some provider speaks. */
  public Set<Protocol> supported() {
    return byProtocol.keySet();
  }

  /** Returns the provider for {@code protocol}, or null if none speaks it. */
  public ProtocolConnectionProvider forProtocol(Protocol protocol) {
    return byProtocol.get(protocol);
  }

  @Override
  public String toString() {
    StringBuilder result = new StringBuilder("ProtocolProviders{");
    for (Map.Entry<Protocol, ProtocolConnectionProvider> entry : byProtocol.entrySet()) {
      if (result.charAt(result.length() - 1) != '{') {
        result.append(", ");
      }
      result.append(entry.getKey()).append('=').append(entry.getValue().name());
    }
    return result.append('}').toString();
  }
}
