package dev.courier.chain.internal;

import dev.courier.Protocol;
import dev.courier.internal.SettingsCreation;
import dev.courier.pool.ConnectionPool;
import dev.courier.pool.internal.DefaultRouteSelector;
import dev.courier.pool.internal.EvictionPolicies;
import dev.courier.pool.internal.ProtocolProviders;
import dev.courier.spi.EvictionPolicy;
import dev.courier.spi.EvictionPolicyProvider;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.ProviderLoader;
import dev.courier.spi.ProviderSettings;
import dev.courier.spi.RouteSelector;
import dev.courier.spi.RouteSelectorProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
   * Returns the protocols to offer: {@code requested} if not null, after checking it, else HTTP/2,
   * then the protocols Courier does not know that providers announce and that run over the pool's
   * socket, then HTTP/1.1, each if some provider speaks it.
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
        if (protocol.equals(Protocol.HTTP_1_1)) {
          // Protocols Courier does not know, announced by providers that take the pool's socket,
          // are offered in ALPN after HTTP/2. Those on a provider's own transport only when listed.
          for (Protocol announced : providers.supported()) {
            if (!announced.isKnown() && !providers.forProtocol(announced).opensOwnTransport()) {
              result.add(announced);
            }
          }
        }
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
    Set<Protocol> seen = new HashSet<>();
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
   * Returns the route selector and the provider that made it: {@code explicit} (with a null
   * provider) if set, else the product of the provider named {@code name} (or by system property,
   * or the highest priority one whose {@code create} succeeds), created with its settings, else a
   * {@link DefaultRouteSelector}.
   *
   * @param settings settings given on the builder, by provider name then key
   * @throws IllegalArgumentException naming the {@code routeSelectorName} setting if no provider has
   *     the name, or the named provider failed to create its selector
   */
  public static ProviderLoader.Created<RouteSelectorProvider, RouteSelector> routeSelector(
      RouteSelector explicit, String name, Map<String, Map<String, String>> settings) {
    if (explicit != null) {
      return new ProviderLoader.Created<>(null, explicit);
    }
    ProviderLoader.Created<RouteSelectorProvider, RouteSelector> created;
    try {
      RouteSelectorCreation creation = new RouteSelectorCreation(settings);
      created = ProviderLoader.create(RouteSelectorProvider.class,
          ProviderLoader.load(RouteSelectorProvider.class), name, creation, creation);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("routeSelectorName: " + e.getMessage(), e);
    }
    return created != null ? created : new ProviderLoader.Created<>(null, new DefaultRouteSelector());
  }

  /**
   * Returns the pool and the eviction policy provider that made its policy: {@code explicit} (with
   * a null provider) if set, else a new pool whose policy the provider named {@code name} (or by
   * system property, or the highest priority one) creates with its settings.
   *
   * @throws IllegalArgumentException naming the {@code evictionPolicyName} setting if no provider
   *     has the name, or the named provider failed to create its policy
   */
  public static ProviderLoader.Created<EvictionPolicyProvider, ConnectionPool> connectionPool(
      ConnectionPool explicit, String name, Map<String, Map<String, String>> settings) {
    if (explicit != null) {
      return new ProviderLoader.Created<>(null, explicit);
    }
    ProviderLoader.Created<EvictionPolicyProvider, EvictionPolicy> created;
    try {
      created = EvictionPolicies.choose(name, settings);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("evictionPolicyName: " + e.getMessage(), e);
    }
    return new ProviderLoader.Created<>(created.provider(), new ConnectionPool(created.product()));
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

  /** Creates a provider's RouteSelector with the settings the builder gave it. */
  private static final class RouteSelectorCreation
      extends SettingsCreation<RouteSelectorProvider, RouteSelector> {
    RouteSelectorCreation(Map<String, Map<String, String>> settings) {
      super(settings);
    }

    @Override
    protected RouteSelector create(RouteSelectorProvider provider, ProviderSettings settings) {
      return provider.create(settings);
    }
  }
}
