package dev.courier;

/**
 * Fills the client's cache slot, which sits between the bridge and the connect step: the cache
 * sees each request with its final headers and may answer it or pass it to the network.
 *
 * <p>Implementations (such as the {@code cache} module's {@code Cache}) must be thread-safe.
 */
public interface HttpCache {
  /** Returns the interceptor that runs in the cache slot of every call. */
  Interceptor interceptor();
}
