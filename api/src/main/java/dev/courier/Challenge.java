package dev.courier;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Holds one authentication challenge of a {@code WWW-Authenticate} or {@code Proxy-Authenticate}
 * field (RFC 9110 §11.2): an auth scheme such as {@code Basic} with either auth parameters such as
 * {@code realm="example"} or a single token68 such as {@code Y2hhbGxlbmdl}.
 *
 * <p>Read the challenges of a response with {@link Response#challenges()}. Instances are immutable
 * and thread-safe.
 */
public final class Challenge {
  private final String scheme;
  private final Map<String, String> authParams;
  private final String token68;

  /**
   * Creates a challenge with auth parameters. Parameter names are case-insensitive and kept in
   * lowercase; their values are kept as given.
   *
   * @throws IllegalArgumentException if the scheme is empty or two names differ only in case
   */
  public Challenge(String scheme, Map<String, String> authParams) {
    this.scheme = checkScheme(scheme);
    Map<String, String> params = new LinkedHashMap<>();
    for (Map.Entry<String, String> param : authParams.entrySet()) {
      String name = param.getKey().toLowerCase(Locale.ROOT);
      if (params.put(name, Objects.requireNonNull(param.getValue(), name)) != null) {
        throw new IllegalArgumentException("Auth parameter " + name + " is given twice");
      }
    }
    this.authParams = Collections.unmodifiableMap(params);
    this.token68 = null;
  }

  /**
   * Creates a challenge with a token68 instead of parameters.
   *
   * @throws IllegalArgumentException if the scheme or the token is empty
   */
  public Challenge(String scheme, String token68) {
    this.scheme = checkScheme(scheme);
    if (token68.isEmpty()) {
      throw new IllegalArgumentException("token68 is empty");
    }
    this.authParams = Map.of();
    this.token68 = token68;
  }

  private static String checkScheme(String scheme) {
    if (scheme.isEmpty()) {
      throw new IllegalArgumentException("scheme is empty");
    }
    return scheme;
  }

  /**
   * Returns the auth scheme as the server sent it, such as {@code Basic}. Schemes are
   * case-insensitive: compare them with {@link String#equalsIgnoreCase}.
   */
  public String scheme() {
    return scheme;
  }

  /**
   * Returns the auth parameters by lowercase name, in the order sent; empty when the challenge
   * has none or carries a token68.
   */
  public Map<String, String> authParams() {
    return authParams;
  }

  /** Returns the value of auth parameter {@code name}, compared case-insensitively, or null. */
  public String authParam(String name) {
    return authParams.get(name.toLowerCase(Locale.ROOT));
  }

  /** Returns the {@code realm} parameter, or null if there is none. */
  public String realm() {
    return authParams.get("realm");
  }

  /** Returns the token68 the challenge carries instead of parameters, or null. */
  public String token68() {
    return token68;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Challenge)) {
      return false;
    }
    Challenge that = (Challenge) other;
    return scheme.equalsIgnoreCase(that.scheme) && authParams.equals(that.authParams)
        && Objects.equals(token68, that.token68);
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheme.toLowerCase(Locale.ROOT), authParams, token68);
  }

  /** Returns the challenge as a field value would carry it, such as {@code Basic realm="x"}. */
  @Override
  public String toString() {
    if (token68 != null) {
      return scheme + " " + token68;
    }
    StringBuilder result = new StringBuilder(scheme);
    String separator = " ";
    for (Map.Entry<String, String> param : authParams.entrySet()) {
      result.append(separator).append(param.getKey()).append("=\"");
      String value = param.getValue();
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '"' || c == '\\') {
          result.append('\\');
        }
        result.append(c);
      }
      result.append('"');
      separator = ", ";
    }
    return result.toString();
  }
}
