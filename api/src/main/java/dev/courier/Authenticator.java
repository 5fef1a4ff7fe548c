package dev.courier;

import java.io.IOException;

/**
 * Answers an authentication challenge from a server (401) or proxy (407) with a request that
 * carries credentials. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Authenticator {
  /** Declines every challenge. */
  Authenticator NONE = (route, response) -> null;

  /**
   * Returns a request that answers the challenge in {@code response}, or null to give up (the
   * challenge response is then returned to the caller). Inspect {@link Response#priorResponse()}
   * to avoid retrying the same credentials forever.
   *
   * @param route the route the challenge came over, or null if unknown
   */
  Request authenticate(Route route, Response response) throws IOException;
}
