package dev.courier.pool.internal;

import dev.courier.Protocol;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.ProviderLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Holds the {@link ProtocolConnectionProvider}s in use, one per protocol: for each protocol, the
 * provider named by the system property {@code dev.courier.spi.ProtocolConnectionProvider} if it
 * speaks that protocol, else the highest-priority provider that does (among equals, the first
 * given). Immutable and thread-safe.
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

  /**
   * Returns the providers chosen among {@code candidates}, without discovery.
   *
   * @throws IllegalArgumentException if the system property names a provider that is not among
   *     {@code candidates}
   */
  public static ProtocolProviders of(List<? extends ProtocolConnectionProvider> candidates) {
    String requested = ProviderLoader.requestedName(ProtocolConnectionProvider.class, null);
    List<ProtocolConnectionProvider> all = byPriority(candidates, null);
    if (requested != null) {
      ProviderLoader.chooseAmong(ProtocolConnectionProvider.class, all, requested); // Fails if unknown.
    }
    Map<Protocol, ProtocolConnectionProvider> byProtocol = new EnumMap<>(Protocol.class);
    for (Protocol protocol : Protocol.values()) {
      List<ProtocolConnectionProvider> speaking = byPriority(candidates, protocol);
      String name = null;
      for (ProtocolConnectionProvider provider : speaking) {
        if (provider.name().equals(requested)) {
          name = requested;
        }
      }
      ProtocolConnectionProvider chosen =
          ProviderLoader.chooseAmong(ProtocolConnectionProvider.class, speaking, name);
      if (chosen != null) {
        byProtocol.put(protocol, chosen);
      }
    }
    return new ProtocolProviders(Collections.unmodifiableMap(byProtocol));
  }

  /** Returns the candidates that speak {@code protocol} (all if null), highest priority first, stably. */
  private static List<ProtocolConnectionProvider> byPriority(
      List<? extends ProtocolConnectionProvider> candidates, Protocol protocol) {
    List<ProtocolConnectionProvider> result = new ArrayList<>(candidates.size());
    for (ProtocolConnectionProvider candidate : candidates) {
      if (protocol == null || candidate.protocols().contains(protocol)) {
        result.add(candidate);
      }
    }
    result.sort(Comparator.comparingInt(ProtocolConnectionProvider::priority).reversed());
    return result;
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
