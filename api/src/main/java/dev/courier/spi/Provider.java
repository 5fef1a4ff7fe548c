package dev.courier.spi;

/**
 * Names a plug-in that {@link ProviderLoader} discovers with {@link java.util.ServiceLoader}.
 *
 * <p>Each plug-in point has one sub-interface (such as {@link ProtocolConnectionProvider}). When
 * several providers qualify, the one with the highest {@link #priority()} wins unless the user
 * names one. Implementations need a public no-argument constructor and must be thread-safe.
 */
public interface Provider {
  /** Returns the stable name users select this provider by, such as {@code "courier-http1"}. */
  String name();

  /** Returns this provider's rank; the highest wins. Built-in providers use 0. */
  default int priority() {
    return 0;
  }
}
