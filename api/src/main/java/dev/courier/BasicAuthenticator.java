package dev.courier;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Answers {@code Basic} challenges (RFC 7617) from a server (401, with {@code Authorization}) or
 * from a proxy (407, with {@code Proxy-Authorization}) with one user and password.
 *
 * <p>It answers only when the response challenges with the {@code Basic} scheme, and never sends
 * the same credentials twice to the same challenge: when the request that was refused already
 * carried them, it gives up and the 401 or 407 response is returned to the caller. So a server
 * that keeps refusing sees the credentials once. The credentials are encoded as UTF-8 when the
 * challenge says {@code charset="UTF-8"}, else with the charset given here (default UTF-8).
 *
 * <p>Basic credentials are only encoded, not encrypted: use it over https. Courier does not send
 * {@code Authorization} on to another origin when it follows a redirect. Instances are immutable
 * and thread-safe.
 */
public final class BasicAuthenticator implements Authenticator {
  private final String user;
  private final String password;
  private final Charset charset;

  /**
   * Creates an authenticator that encodes the credentials as UTF-8.
   *
   * @throws IllegalArgumentException as {@link Credentials#basic(String, String, Charset)} does
   */
  public BasicAuthenticator(String user, String password) {
    this(user, password, StandardCharsets.UTF_8);
  }

  /**
   * Creates an authenticator that encodes the credentials with {@code charset}, unless a challenge
   * asks for UTF-8.
   *
   * @throws IllegalArgumentException as {@link Credentials#basic(String, String, Charset)} does
   */
  public BasicAuthenticator(String user, String password, Charset charset) {
    Credentials.basic(user, password, charset); // Fails now rather than at the first challenge.
    this.user = user;
    this.password = password;
    this.charset = charset;
  }

  /**
   * Returns the request of {@code response} with Basic credentials, or null if the response does
   * not challenge with {@code Basic} or the request already carried these credentials.
   */
  @Override
  public Request authenticate(Route route, Response response) {
    String header = response.code() == 407 ? "Proxy-Authorization" : "Authorization";
    for (Challenge challenge : response.challenges()) {
      if (!challenge.scheme().equalsIgnoreCase("Basic")) {
        continue;
      }
      String charsetName = challenge.authParam("charset");
      Charset encoding = charsetName != null && charsetName.equalsIgnoreCase("UTF-8")
          ? StandardCharsets.UTF_8 : charset;
      String credentials = Credentials.basic(user, password, encoding);
      if (credentials.equals(response.request().header(header))) {
        return null; // Refused already: sending them again would be refused again.
      }
      return response.request().newBuilder().header(header, credentials).build();
    }
    return null;
  }

  @Override
  public String toString() {
    return "BasicAuthenticator{user=" + user + "}";
  }
}
