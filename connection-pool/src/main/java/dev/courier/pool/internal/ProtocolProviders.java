package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.Protocol;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.ProviderLoader;
import dev.courier.spi.ProviderSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Holds the {@link ProtocolConnectionProvider}s in use, one per protocol, and their settings.
 *
 * <p>For each protocol some candidate speaks, the provider is: the one the user chose for that
 * protocol by name; else the one named by the system property
 * {@code dev.courier.spi.ProtocolConnectionProvider} if it speaks the protocol; else the
 * highest-priority one that does (among equals, the first given). A provider speaking HTTP/1.0
 * but not HTTP/1.1 can be chosen for HTTP/1.1 connections, which it then serves as HTTP/1.0; it
 * is never chosen for them unless named. Immutable and thread-safe.
 */
public final class ProtocolProviders {
  /**
   * Orders providers highest priority first. A class rather than {@code Comparator} lambdas, which
   * a fresh JVM would link while the first client is built.
   */
  private static final Comparator<ProtocolConnectionProvider> BY_PRIORITY = new Comparator<>() {
    @Override
    public int compare(ProtocolConnectionProvider a, ProtocolConnectionProvider b) {
      return Integer.compare(b.priority(), a.priority());
    }
  };

  private final Map<Protocol, ProtocolConnectionProvider> byProtocol;
  private final Map<String, ProviderSettings> settingsByName;

  private ProtocolProviders(Map<Protocol, ProtocolConnectionProvider> byProtocol,
      Map<String, ProviderSettings> settingsByName) {
    this.byProtocol = byProtocol;
    this.settingsByName = settingsByName;
  }

  /**
   * Returns the providers to use: exactly {@code explicit} if it is non-empty, else every provider
   * {@link ProviderLoader#load ProviderLoader} discovers.
   *
   * @param explicit the providers the user gave, or null or empty to discover them
   */
  public static ProtocolProviders discover(List<ProtocolConnectionProvider> explicit) {
    return discover(explicit, Map.of(), Map.of());
  }

  /**
   * Returns the providers to use among {@code explicit} (or, if it is null or empty, those
   * discovered), with the user's choices by name and settings by provider name.
   *
   * @param chosenNames the provider name the user chose for each protocol
   * @param settings settings given on the builder, by provider name then key
   * @throws IllegalArgumentException if a chosen name (or the system property) names no
   *     candidate that speaks the protocol; the message names the protocol and lists the candidates
   */
  public static ProtocolProviders discover(List<ProtocolConnectionProvider> explicit,
      Map<Protocol, String> chosenNames, Map<String, Map<String, String>> settings) {
    List<ProtocolConnectionProvider> candidates = explicit != null && !explicit.isEmpty()
        ? explicit
        : ProviderLoader.load(ProtocolConnectionProvider.class);
    return of(candidates, chosenNames, settings);
  }

  /**
   * Returns the providers chosen among {@code candidates}, without discovery.
   *
   * @throws IllegalArgumentException if the system property names a provider that is not among
   *     {@code candidates}
   */
  public static ProtocolProviders of(List<? extends ProtocolConnectionProvider> candidates) {
    return of(candidates, Map.of(), Map.of());
  }

  /**
   * Returns the providers chosen among {@code candidates} as {@link #discover(List, Map, Map)}
   * does, without discovery.
   */
  public static ProtocolProviders of(List<? extends ProtocolConnectionProvider> candidates,
      Map<Protocol, String> chosenNames, Map<String, Map<String, String>> settings) {
    Map<ProtocolConnectionProvider, Set<Protocol>> spoken = spokenProtocols(candidates);
    List<ProtocolConnectionProvider> all = byPriority(spoken, null);
    String requested = ProviderLoader.requestedName(ProtocolConnectionProvider.class, null);
    if (requested != null) {
      ProviderLoader.chooseAmong(ProtocolConnectionProvider.class, all, requested); // Fails if unknown.
    }
    Set<Protocol> protocols = new LinkedHashSet<>(List.of(Protocol.values()));
    for (Set<Protocol> set : spoken.values()) {
      protocols.addAll(set);
    }
    protocols.addAll(chosenNames.keySet());
    Map<Protocol, ProtocolConnectionProvider> byProtocol = new LinkedHashMap<>();
    for (Protocol protocol : protocols) {
      ProtocolConnectionProvider chosen = choose(protocol, spoken, chosenNames, requested);
      if (chosen != null) {
        byProtocol.put(protocol, chosen);
      }
    }
    Map<String, ProviderSettings> settingsByName = new LinkedHashMap<>();
    for (ProtocolConnectionProvider provider : byProtocol.values()) {
      String name = provider.name();
      if (!settingsByName.containsKey(name)) {
        settingsByName.put(name, ProviderSettings.of(name, settings.getOrDefault(name, Map.of())));
      }
    }
    return new ProtocolProviders(Collections.unmodifiableMap(byProtocol),
        Collections.unmodifiableMap(settingsByName));
  }

  private static ProtocolConnectionProvider choose(Protocol protocol,
      Map<ProtocolConnectionProvider, Set<Protocol>> spoken, Map<Protocol, String> chosenNames,
      String requested) {
    List<ProtocolConnectionProvider> speaking = byPriority(spoken, protocol);
    String name = chosenNames.get(protocol);
    if (protocol.equals(Protocol.HTTP_1_1)) {
      // An HTTP/1.0 provider serves HTTP/1.1 connections only when named, for either protocol.
      List<ProtocolConnectionProvider> http10 = byPriority(spoken, Protocol.HTTP_1_0);
      String http10Name = name != null ? name : chosenNames.get(Protocol.HTTP_1_0);
      if (http10Name == null) {
        http10Name = requested;
      }
      for (ProtocolConnectionProvider provider : http10) {
        if (provider.name().equals(http10Name) && !speaking.contains(provider)) {
          return provider;
        }
      }
    }
    if (name != null) {
      try {
        return ProviderLoader.chooseAmong(ProtocolConnectionProvider.class, speaking, name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("protocolProvider(" + protocol + "): no provider named '"
            + name + "' speaks " + protocol + "; found " + describe(spoken), e);
      }
    }
    String byProperty = null;
    for (ProtocolConnectionProvider provider : speaking) {
      if (provider.name().equals(requested)) {
        byProperty = requested;
      }
    }
    return ProviderLoader.chooseAmong(ProtocolConnectionProvider.class, speaking, byProperty);
  }

  /** Asks each candidate once for its protocols; one that fails to say is skipped with a warning. */
  private static Map<ProtocolConnectionProvider, Set<Protocol>> spokenProtocols(
      List<? extends ProtocolConnectionProvider> candidates) {
    Map<ProtocolConnectionProvider, Set<Protocol>> result = new LinkedHashMap<>();
    for (ProtocolConnectionProvider candidate : candidates) {
      try {
        Set<Protocol> protocols = candidate.protocols();
        result.put(candidate, Set.copyOf(protocols));
      } catch (RuntimeException e) {
        System.getLogger(ProtocolProviders.class.getName()).log(System.Logger.Level.WARNING,
            "Skipping ProtocolConnectionProvider '" + candidate.name() + "' ("
                + candidate.getClass().getName() + "): protocols() failed: " + e, e);
      }
    }
    return result;
  }

  /** Returns the candidates that speak {@code protocol} (all if null), highest priority first, stably. */
  private static List<ProtocolConnectionProvider> byPriority(
      Map<ProtocolConnectionProvider, Set<Protocol>> spoken, Protocol protocol) {
    List<ProtocolConnectionProvider> result = new ArrayList<>(spoken.size());
    for (Map.Entry<ProtocolConnectionProvider, Set<Protocol>> entry : spoken.entrySet()) {
      if (protocol == null || entry.getValue().contains(protocol)) {
        result.add(entry.getKey());
      }
    }
    result.sort(BY_PRIORITY);
    return result;
  }

  private static String describe(Map<ProtocolConnectionProvider, Set<Protocol>> spoken) {
    StringBuilder result = new StringBuilder("[");
    for (Map.Entry<ProtocolConnectionProvider, Set<Protocol>> entry : spoken.entrySet()) {
      if (result.length() > 1) {
        result.append(", ");
      }
      result.append('\'').append(entry.getKey().name()).append("' speaking ").append(entry.getValue());
    }
    return result.append(']').toString();
  }

  /** Returns the protocols some provider serves: Courier's known ones first, then others. */
  public Set<Protocol> supported() {
    return byProtocol.keySet();
  }

  /** Returns the provider for {@code protocol}, or null if none serves it. */
  public ProtocolConnectionProvider forProtocol(Protocol protocol) {
    return byProtocol.get(protocol);
  }

  /**
   * Returns the protocol the provider for {@code protocol} speaks on such a connection:
   * {@code protocol}, or {@link Protocol#HTTP_1_0} when an HTTP/1.0 provider serves HTTP/1.1.
   */
  public Protocol spokenFor(Protocol protocol) {
    ProtocolConnectionProvider provider = byProtocol.get(protocol);
    if (provider != null && protocol.equals(Protocol.HTTP_1_1)
        && !provider.protocols().contains(Protocol.HTTP_1_1)) {
      return Protocol.HTTP_1_0;
    }
    return protocol;
  }

  /**
   * Returns the protocol a connection to {@code address} tries first: for cleartext,
   * prior-knowledge HTTP/2 if it is the only one listed, else HTTP/1.1; for https, the first
   * listed (other than those two and HTTP/1.0) that a provider serves. Null if no provider serves
   * it.
   */
  public Protocol firstProtocol(Address address) {
    if (!address.isHttps()) {
      Protocol protocol = address.protocols().equals(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
          ? Protocol.H2_PRIOR_KNOWLEDGE
          : Protocol.HTTP_1_1;
      return byProtocol.containsKey(protocol) ? protocol : null;
    }
    for (Protocol protocol : address.protocols()) {
      if (!protocol.equals(Protocol.H2_PRIOR_KNOWLEDGE) && !protocol.equals(Protocol.HTTP_1_0)
          && byProtocol.containsKey(protocol)) {
        return protocol;
      }
    }
    return null;
  }

  /**
   * Returns the provider that opens its own transport for connections to {@code address}: the
   * provider of the {@link #firstProtocol first protocol}, if it {@link
   * ProtocolConnectionProvider#opensOwnTransport() opens its own}. Null if the pool connects them.
   */
  public ProtocolConnectionProvider ownTransportProvider(Address address) {
    Protocol first = firstProtocol(address);
    ProtocolConnectionProvider provider = first != null ? byProtocol.get(first) : null;
    return provider != null && provider.opensOwnTransport() ? provider : null;
  }

  /** Returns the settings for the provider named {@code name}, or empty ones if none were given. */
  public ProviderSettings settings(String name) {
    ProviderSettings result = settingsByName.get(name);
    return result != null ? result : ProviderSettings.of(name, Map.of());
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
