package dev.courier.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Finds plug-ins with {@link ServiceLoader}; the only class in Courier that does.
 *
 * <p>Results are loaded once per provider type and class loader and cached. A provider that fails
 * to load (a missing class, a throwing constructor) is skipped and logged as a warning, so one
 * broken jar does not take the others down, and so is one whose factory throws when
 * {@link #create} makes its product (unless the user named it). When a choice is made, the precedence is: an
 * explicitly named provider (from the client builder), then a provider named by the system
 * property whose key is the provider interface's name (for example
 * {@code -Ddev.courier.spi.RouteSelectorProvider=round-robin}), then the highest
 * {@link Provider#priority()}, ties broken by name. The providers found and chosen are logged at
 * DEBUG under this class's name. Thread-safe.
 */
public final class ProviderLoader {
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
    Map<ClassLoader, List<?>> byLoader = CACHE.get(type);
    if (byLoader == null) {
      CACHE.putIfAbsent(type, new ConcurrentHashMap<>());
      byLoader = CACHE.get(type);
    }
    @SuppressWarnings("unchecked")
    List<P> result = (List<P>) byLoader.computeIfAbsent(loader, new Discovery(type));
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
        String name;
        int priority;
        try {
          name = provider.name();
          priority = provider.priority();
        } catch (RuntimeException | LinkageError e) {
          logger().log(System.Logger.Level.WARNING, "Skipping " + type.getSimpleName() + " "
              + provider.getClass().getName() + ": its name() or priority() failed: " + e, e);
          continue;
        }
        if (name == null || name.isEmpty()) {
          logger().log(System.Logger.Level.WARNING, "Skipping " + type.getSimpleName() + " "
              + provider.getClass().getName() + ": it has no name");
          continue;
        }
        result.add(provider);
        debug("Found " + type.getSimpleName() + " '" + name + "' (priority "
            + priority + ") in " + provider.getClass().getName());
      } catch (ServiceConfigurationError | LinkageError e) {
        logger().log(System.Logger.Level.WARNING, "Skipping a broken " + type.getSimpleName() + ": " + e, e);
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
      debug("Found " + type.getSimpleName() + "s " + names(candidates)
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

  /**
   * Creates the product of a provider of {@code type} with {@code factory}, choosing as {@link
   * #choose} does. When the user named the provider (on the builder, or by the system property
   * {@code type.getName()}) and its factory throws, fails with an exception naming it. Otherwise
   * tries {@code candidates} in order: one whose factory throws (or returns null) is skipped with
   * a warning naming it, and the next is tried.
   *
   * @param explicitName the name the user gave, or null
   * @return the provider whose product was made and the product, or null if no candidate made one
   * @throws IllegalArgumentException if the named provider is not among {@code candidates}, or its
   *     factory threw (the cause); the message names it
   */
  public static <P extends Provider, T> Created<P, T> create(Class<P> type, List<P> candidates,
      String explicitName, Function<? super P, ? extends T> factory) {
    return create(type, candidates, explicitName, provider -> false, factory);
  }

  /**
   * Creates the product of a provider of {@code type} as {@link #create(Class, List, String,
   * Function)} does, except that a candidate that {@code configured} accepts (for instance, one the
   * user gave settings for) is not skipped when its factory throws: the failure is thrown, naming
   * it, as for a provider chosen by name.
   *
   * @throws IllegalArgumentException as the other method does, or if a configured candidate's
   *     factory threw
   */
  public static <P extends Provider, T> Created<P, T> create(Class<P> type, List<P> candidates,
      String explicitName, Predicate<? super P> configured, Function<? super P, ? extends T> factory) {
    String name = requestedName(type, explicitName);
    if (name != null) {
      P chosen = chooseAmong(type, candidates, name);
      T product;
      try {
        product = factory.apply(chosen);
      } catch (RuntimeException | LinkageError e) {
        throw new IllegalArgumentException(type.getSimpleName() + " '" + chosen.name() + "' ("
            + chosen.getClass().getName() + "), chosen by name, failed to create its product: " + e, e);
      }
      if (product == null) {
        throw new IllegalArgumentException(type.getSimpleName() + " '" + chosen.name() + "' ("
            + chosen.getClass().getName() + "), chosen by name, created nothing");
      }
      return new Created<>(chosen, product);
    }
    for (P candidate : candidates) {
      try {
        T product = factory.apply(candidate);
        if (product != null) {
          if (candidate != candidates.get(0) || candidates.size() > 1) {
            debug("Found " + type.getSimpleName() + "s "
                + names(candidates) + "; using '" + candidate.name() + "'");
          }
          return new Created<>(candidate, product);
        }
        logger().log(System.Logger.Level.WARNING, "Skipping " + type.getSimpleName() + " '" + candidate.name()
            + "' (" + candidate.getClass().getName() + "): it created nothing");
      } catch (RuntimeException | LinkageError e) {
        if (configured.test(candidate)) {
          throw new IllegalArgumentException(type.getSimpleName() + " '" + candidate.name() + "' ("
              + candidate.getClass().getName() + "), configured on the builder, failed to create its product: "
              + e, e);
        }
        logger().log(System.Logger.Level.WARNING, "Skipping " + type.getSimpleName() + " '" + candidate.name()
            + "' (" + candidate.getClass().getName() + "): it failed to create its product: " + e, e);
      }
    }
    return null;
  }

  /**
   * Holds a provider and the product it created.
   *
   * @param provider the provider that won
   * @param product what it created
   */
  public record Created<P extends Provider, T>(P provider, T product) {}

  /** Returns the logger, obtained when the first line is logged rather than when this class loads. */
  private static System.Logger logger() {
    return LoggerHolder.LOGGER;
  }

  private static void debug(String line) {
    System.Logger logger = logger();
    if (logger.isLoggable(System.Logger.Level.DEBUG)) {
      logger.log(System.Logger.Level.DEBUG, line);
    }
  }

  private static final class LoggerHolder {
    static final System.Logger LOGGER = System.getLogger(ProviderLoader.class.getName());
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

  private static final Comparator<Provider> BY_PRIORITY = new ByPriority();

  /**
   * Orders providers highest priority first, ties by name. A class rather than a chain of
   * {@code Comparator} lambdas, which a fresh JVM would link while the first client is built.
   */
  private static final class ByPriority implements Comparator<Provider> {
    @Override
    public int compare(Provider a, Provider b) {
      int byPriority = Integer.compare(b.priority(), a.priority());
      return byPriority != 0 ? byPriority : a.name().compareTo(b.name());
    }
  }

  /** Discovers the providers of one type for a class loader; a class, not a lambda, as above. */
  private static final class Discovery implements Function<ClassLoader, List<?>> {
    private final Class<? extends Provider> type;

    Discovery(Class<? extends Provider> type) {
      this.type = type;
    }

    @Override
    public List<?> apply(ClassLoader loader) {
      return load(type, loader);
    }
  }
}
