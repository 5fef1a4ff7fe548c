package dev.courier.chain.internal;

import dev.courier.Protocol;
import dev.courier.pool.internal.DefaultRouteSelector;
import dev.courier.pool.internal.ProtocolProviders;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.ProviderLoader;
import dev.courier.spi.RouteSelector;
import dev.courier.spi.RouteSelectorProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves the client settings that depend on the plug-ins found at run time: the protocols to
 * offer and the route selector. Stateless.
 */
public final class ClientDefaults {
  /** Protocols in the order the default offers them: most capable first. */
  private static final List<Protocol> PREFERENCE = List.of(Protocol.HTTP_2, Protocol.HTTP_1_1);

  private ClientDefaults() {}

  /**
   * Returns the protocols to offer: {@code requested} if not null, after checking it, else every
   * protocol the providers speak except {@link Protocol#H2_PRIOR_KNOWLEDGE}, HTTP/2 first.
   *
   * @throws IllegalArgumentException naming the {@code protocols} setting if the list is empty,
   *     holds nulls, duplicates or HTTP/1.0, holds h2_prior_knowledge with other protocols, lacks
   *     HTTP/1.1 while not being exactly [h2_prior_knowledge], or names a protocol no provider speaks (the message lists the
   *     providers found)
   */
  public static List<Protocol> protocols(List<Protocol> requested, ProtocolProviders providers) {
    if (requested == null) {
      List<Protocol> result = new ArrayList<>(2);
      for (Protocol protocol : PREFERENCE) {
        if (providers.supported().contains(protocol)) {
          result.add(protocol);
        }
      }
      if (!result.contains(Protocol.HTTP_1_1)) {
        throw new IllegalArgumentException("protocols: no ProtocolConnectionProvider speaks "
            + "http/1.1, which the default protocols need; found " + describe(providers)
            + ". Put courier-codec-http1 on the class path or pass providers to protocolProviders()");
      }
      return Collections.unmodifiableList(result);
    }
    Set<Protocol> seen = EnumSet.noneOf(Protocol.class);
    for (Protocol protocol : requested) {
      if (protocol == null) {
        throw new IllegalArgumentException("protocols must not contain null: " + requested);
      }
      if (!seen.add(protocol)) {
        throw new IllegalArgumentException("protocols must not contain duplicates: " + requested);
      }
    }
    if (seen.contains(Protocol.HTTP_1_0)) {
      throw new IllegalArgumentException("protocols must not contain http/1.0: " + requested);
    }
    boolean priorKnowledgeAlone = requested.size() == 1 && seen.contains(Protocol.H2_PRIOR_KNOWLEDGE);
    if (seen.contains(Protocol.H2_PRIOR_KNOWLEDGE) && !priorKnowledgeAlone) {
      // A cleartext server cannot say which it speaks, so prior knowledge cannot be one option of several.
      throw new IllegalArgumentException(
          "protocols containing h2_prior_knowledge must not contain other protocols: " + requested);
    }
    if (!priorKnowledgeAlone && !seen.contains(Protocol.HTTP_1_1)) {
      throw new IllegalArgumentException(
          "protocols must contain http/1.1 or be exactly [h2_prior_knowledge]: " + requested);
    }
    for (Protocol protocol : requested) {
      if (providers.forProtocol(protocol) == null) {
        throw new IllegalArgumentException("protocols: no ProtocolConnectionProvider speaks "
            + protocol + "; found " + describe(providers));
      }
    }
    return List.copyOf(requested);
  }

  /** Returns the distinct providers that speak {@code protocols}, in protocol order. */
  public static List<ProtocolConnectionProvider> providersFor(List<Protocol> protocols,
      ProtocolProviders providers) {
    Set<ProtocolConnectionProvider> result = new LinkedHashSet<>();
    for (Protocol protocol : protocols) {
      result.add(providers.forProtocol(protocol));
    }
    return List.copyOf(result);
  }

  /**
   * Returns the route selector: {@code explicit} if set, else the provider named {@code name} (or by
   * system property, or the highest priority one), else a {@link DefaultRouteSelector}.
   *
   * @throws IllegalArgumentException naming the {@code routeSelectorName} setting if no provider has
   *     the name
   */
  public static RouteSelector routeSelector(RouteSelector explicit, String name) {
    if (explicit != null) {
      return explicit;
    }
    RouteSelectorProvider provider;
    try {
      provider = ProviderLoader.choose(RouteSelectorProvider.class,
          ProviderLoader.load(RouteSelectorProvider.class), name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("routeSelectorName: " + e.getMessage(), e);
    }
    return provider != null ? provider.create() : new DefaultRouteSelector();
  }

  private static String describe(ProtocolProviders providers) {
    Set<Protocol> supported = providers.supported();
    if (supported.isEmpty()) {
      return "no providers";
    }
    StringBuilder result = new StringBuilder("[");
    Set<ProtocolConnectionProvider> listed = new LinkedHashSet<>();
    for (Protocol protocol : supported) {
      listed.add(providers.forProtocol(protocol));
    }
    for (ProtocolConnectionProvider provider : listed) {
      if (result.length() > 1) {
        result.append(", ");
      }
      result.append('\'').append(provider.name()).append("' speaking ").append(provider.protocols());
    }
    return result.append(']').toString();
  }
}
