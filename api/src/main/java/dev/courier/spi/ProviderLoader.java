package dev.courier.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Finds plug-ins with {@link ServiceLoader}; the only class in Courier that does.
 *
 * <p>Results are loaded once per provider type and class loader and cached. A provider that fails
 * to load (a missing class, a throwing constructor) is skipped and logged as a warning, so one
 * broken jar does not take the others down. When a choice is made, the precedence is: an
 * explicitly named provider (from the client builder), then a provider named by the system
 * property whose key is the provider interface's name (for example
 * {@code -Ddev.courier.spi.RouteSelectorProvider=round-robin}), then the highest
 * {@link Provider#priority()}, ties broken by name. Thread-safe.
 */
public final class ProviderLoader {
  private static final System.Logger LOG = System.getLogger(ProviderLoader.class.getName());
  private static final Map<Class<?>, Map<ClassLoader, List<?>>> CACHE = new ConcurrentHashMap<>();

  private ProviderLoader() {}

  /**
   * Returns every provider of {@code type} visible to the thread's context class loader (or, if
   * none, to the loader of {@code type}), highest priority first. Cached.
   */
  public static <P extends Provider> List<P> load(Class<P> type) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = type.getClassLoader();
    }
    ClassLoader key = loader;
    @SuppressWarnings("unchecked")
    List<P> result = (List<P>) CACHE.computeIfAbsent(type, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(key, l -> load(type, l));
    return result;
  }

  /**
   * Returns every provider of {@code type} that {@code loader} can see, highest priority first,
   * without caching. Broken providers are skipped and logged.
   */
  public static <P extends Provider> List<P> load(Class<P> type, ClassLoader loader) {
    List<P> result = new ArrayList<>();
    Iterator<P> iterator = ServiceLoader.load(type, loader).iterator();
    while (true) {
      try {
        if (!iterator.hasNext()) {
          break;
        }
        P provider = iterator.next();
        result.add(provider);
        LOG.log(System.Logger.Level.DEBUG, () -> "Found " + type.getSimpleName() + " '"
            + provider.name() + "' (priority " + provider.priority() + ") in " + provider.getClass().getName());
      } catch (ServiceConfigurationError | LinkageError e) {
        LOG.log(System.Logger.Level.WARNING, "Skipping a broken " + type.getSimpleName() + ": " + e, e);
      }
    }
    result.sort(BY_PRIORITY);
    return List.copyOf(result);
  }

  /**
   * Chooses among {@code candidates} (as returned by {@link #load}): the provider named
   * {@code explicitName} if given, else the one named by the system property {@code type.getName()},
   * else the highest priority.
   *
   * @param explicitName the name the user gave, or null
   * @return the chosen provider, or null if there are no candidates and no name was given
   * @throws IllegalArgumentException if a name was given (explicitly or by system property) that no
   *     candidate has; the message lists the names found
   */
  public static <P extends Provider> P choose(Class<P> type, List<P> candidates, String explicitName) {
    return chooseAmong(type, candidates, requestedName(type, explicitName));
  }

  /**
   * Returns the name of the provider of {@code type} the user asked for: {@code explicitName} if
   * not null, else the value of the system property {@code type.getName()}, else null.
   */
  public static String requestedName(Class<? extends Provider> type, String explicitName) {
    return explicitName != null ? explicitName : System.getProperty(type.getName());
  }

  /**
   * Chooses among {@code candidates}, highest priority first: the one named {@code name}, or if
   * {@code name} is null the first. Unlike {@link #choose}, reads no system property.
   *
   * @return the chosen provider, or null if there are no candidates and no name was given
   * @throws IllegalArgumentException if no candidate is named {@code name}; the message lists the
   *     names found
   */
  public static <P extends Provider> P chooseAmong(Class<P> type, List<P> candidates, String name) {
    if (name != null) {
      for (P candidate : candidates) {
        if (candidate.name().equals(name)) {
          return candidate;
        }
      }
      throw new IllegalArgumentException("No " + type.getSimpleName() + " named '" + name
          + "' (from the builder or the system property " + type.getName() + "); found " + names(candidates));
    }
    if (candidates.isEmpty()) {
      return null;
    }
    P winner = candidates.get(0);
    if (candidates.size() > 1) {
      LOG.log(System.Logger.Level.DEBUG, () -> "Found " + type.getSimpleName() + "s " + names(candidates)
          + "; using '" + winner.name() + "'");
    }
    return winner;
  }

  /** Chooses as {@link #choose} does, among the candidates that {@code filter} accepts. */
  public static <P extends Provider> P choose(Class<P> type, List<P> candidates, String explicitName,
      Predicate<? super P> filter) {
    List<P> accepted = new ArrayList<>(candidates.size());
    for (P candidate : candidates) {
      if (filter.test(candidate)) {
        accepted.add(candidate);
      }
    }
    return choose(type, accepted, explicitName);
  }

  private static String names(List<? extends Provider> providers) {
    StringBuilder result = new StringBuilder("[");
    for (Provider provider : providers) {
      if (result.length() > 1) {
        result.append(", ");
      }
      result.append('\'').append(provider.name()).append("' (priority ").append(provider.priority()).append(')');
    }
    return result.append(']').toString();
  }

  private static final Comparator<Provider> BY_PRIORITY =
      Comparator.comparingInt(Provider::priority).reversed().thenComparing(Provider::name);
}
