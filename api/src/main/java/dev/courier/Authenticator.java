package dev.courier;

import java.io.IOException;

/**
 * Answers an authentication challenge from a server (401) or proxy (407) with a request that
 * carries credentials. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Authenticator {
  /** Declines every challenge. */
  Authenticator NONE = new Authenticator() {
    @Override
    public Request authenticate(Route route, Response response) {
      return null;
    }
  };

  /**
   * Returns a request that answers the challenge in {@code response}, or null to give up (the
   * challenge response is then returned to the caller). Read the challenges with {@link
   * Response#challenges()}, and check what {@code response.request()} already carried to avoid
   * retrying the same credentials forever.
   *
   * @param route the route the challenge came over, or null if unknown
   */
  Request authenticate(Route route, Response response) throws IOException;

  /**
   * Returns an authenticator that answers {@code Basic} challenges with {@code user} and {@code
   * password}, once per challenge, as {@link BasicAuthenticator} describes.
   *
   * @throws IllegalArgumentException if the user holds a colon or either holds a control character
   */
  static BasicAuthenticator basic(String user, String password) {
    return new BasicAuthenticator(user, password);
  }
}
