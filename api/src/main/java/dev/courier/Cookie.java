package dev.courier;

import dev.courier.internal.CookieDates;
import dev.courier.internal.HttpDates;
import dev.courier.internal.PublicSuffixList;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Holds one HTTP cookie as a user agent stores it (RFC 6265 §5.3): a name and value, the scope
 * (domain and path) it is sent to, when it expires, and its {@code Secure}, {@code HttpOnly} and
 * {@code SameSite} attributes.
 *
 * <p>Create cookies from response headers with {@link #parse(HttpUrl, String)} or {@link
 * #parseAll(HttpUrl, Headers)}, or directly with a {@link Builder}. A Set-Cookie header that is
 * malformed, or that tries to set a cookie for a domain the response's host does not belong to, is
 * ignored, and so is one whose {@code Domain} is a public suffix such as {@code com}, {@code co.uk}
 * or {@code github.io}, checked against the Public Suffix List (https://publicsuffix.org) that
 * Courier ships; a host that is itself a public suffix may still set a host-only cookie. Parsing
 * follows RFC 6265 §5.2 with RFC 6265bis's treatment of non-ASCII text: names and values may hold
 * any character but controls other than tab. {@code Expires} is read with the date algorithm of
 * RFC 6265 §5.1.1, so forms such as {@code 6 Nov 94 08:49:37} work; an invalid date is ignored.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Cookie {
  /**
   * The latest expiry a cookie can have: 9999-12-31T23:59:59Z, the last HTTP date. A whole second,
   * so that it survives a trip through {@link #toString()} and back.
   */
  private static final long MAX_DATE = 253_402_300_799_000L;

  private final String name;
  private final String value;
  private final long expiresAt;
  private final String domain;
  private final String path;
  private final boolean secure;
  private final boolean httpOnly;
  private final boolean persistent;
  private final boolean hostOnly;
  private final String sameSite;

  private Cookie(
      String name,
      String value,
      long expiresAt,
      String domain,
      String path,
      boolean secure,
      boolean httpOnly,
      boolean persistent,
      boolean hostOnly,
      String sameSite) {
    this.name = name;
    this.value = value;
    this.expiresAt = expiresAt;
    this.domain = domain;
    this.path = path;
    this.secure = secure;
    this.httpOnly = httpOnly;
    this.persistent = persistent;
    this.hostOnly = hostOnly;
    this.sameSite = sameSite;
  }

  /** Returns the cookie's name, such as {@code SID}. Never empty. */
  public String name() {
    return name;
  }

  /** Returns the cookie's value, exactly as sent (quotes included, if any). May be empty. */
  public String value() {
    return value;
  }

  /**
   * Returns when this cookie expires, in milliseconds since the epoch. A session cookie returns
   * 253402300799000 (the last second of year 9999); a cookie that was expired on arrival, such as one with
   * {@code Max-Age=0}, returns {@link Long#MIN_VALUE}. A cookie is expired once the current time
   * reaches this value.
   */
  public long expiresAt() {
    return expiresAt;
  }

  /**
   * Returns the lowercase domain this cookie is sent to. If {@link #hostOnly()}, only that exact
   * host receives it; otherwise the domain and its subdomains do.
   */
  public String domain() {
    return domain;
  }

  /** Returns the path this cookie is sent to, along with the paths below it. Starts with '/'. */
  public String path() {
    return path;
  }

  /** Returns true if this cookie is sent only over HTTPS. */
  public boolean secure() {
    return secure;
  }

  /** Returns true if this cookie is hidden from scripts; Courier sends it like any other cookie. */
  public boolean httpOnly() {
    return httpOnly;
  }

  /**
   * Returns true if this cookie has an explicit expiry ({@code Expires} or {@code Max-Age}), false
   * if it is a session cookie that lasts until the cookie jar is discarded.
   */
  public boolean persistent() {
    return persistent;
  }

  /**
   * Returns true if this cookie is sent only to exactly {@link #domain()}, which happens when the
   * Set-Cookie header had no {@code Domain} attribute.
   */
  public boolean hostOnly() {
    return hostOnly;
  }

  /**
   * Returns the {@code SameSite} attribute ({@code Strict}, {@code Lax} or {@code None} when
   * parsed), or null if the cookie has none. Courier does not act on it; it is kept for jars that
   * forward cookies to a browser-like context.
   */
  public String sameSite() {
    return sameSite;
  }

  /**
   * Returns true if this cookie should be sent with a request to {@code url}: the url's host
   * domain-matches the cookie (or equals it, for a host-only cookie), its path path-matches the
   * cookie's path (RFC 6265 §5.1.4), and the url is HTTPS if the cookie is secure. Expiry is not
   * checked here; that is the cookie jar's job.
   */
  public boolean matches(HttpUrl url) {
    String host = url.host();
    boolean domainMatches = hostOnly ? host.equalsIgnoreCase(domain) : domainMatch(host, domain);
    if (!domainMatches) return false;
    if (!pathMatch(url.encodedPath(), path)) return false;
    return !secure || url.isHttps();
  }

  /** Returns a builder initialized with this cookie's fields. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /**
   * Parses a {@code Set-Cookie} header value received in the response to {@code url}, using the
   * current time to resolve {@code Max-Age}. Returns null if the header is not a valid cookie or
   * sets a domain that {@code url}'s host may not set cookies for: one the host is not within, or
   * a public suffix other than the host itself (which yields a host-only cookie). The first
   * {@code Domain} attribute seen loads the shipped Public Suffix List. A cookie that is already
   * expired is returned, so that a jar can delete the cookie it replaces.
   */
  public static Cookie parse(HttpUrl url, String setCookie) {
    return parse(System.currentTimeMillis(), url, setCookie);
  }

  /**
   * Parses every {@code Set-Cookie} header in {@code headers}, received in the response to {@code
   * url}, skipping those that {@link #parse(HttpUrl, String)} rejects. Returns an immutable list,
   * empty if there are none.
   */
  public static List<Cookie> parseAll(HttpUrl url, Headers headers) {
    return parseAll(System.currentTimeMillis(), url, headers);
  }

  static List<Cookie> parseAll(long currentTimeMillis, HttpUrl url, Headers headers) {
    List<String> setCookies = headers.values("Set-Cookie");
    List<Cookie> result = null;
    for (int i = 0, size = setCookies.size(); i < size; i++) {
      Cookie cookie = parse(currentTimeMillis, url, setCookies.get(i));
      if (cookie == null) continue;
      if (result == null) result = new ArrayList<>(size);
      result.add(cookie);
    }
    return result == null ? List.of() : Collections.unmodifiableList(result);
  }

  /**
   * Parses {@code setCookie} as {@link #parse(HttpUrl, String)} does, resolving {@code Max-Age}
   * against {@code currentTimeMillis}.
   */
  static Cookie parse(long currentTimeMillis, HttpUrl url, String setCookie) {
    // RFC 6265bis §5.6 step 1: a control character other than HTAB voids the whole header, so that
    // none reaches an attribute such as Path, which is kept as received.
    if (hasControlCharacter(setCookie)) return null;
    // RFC 6265 §5.2: the name-value pair runs to the first ';' and must contain '='.
    int limit = setCookie.length();
    int pairEnd = delimiterOffset(setCookie, 0, limit, ';');
    int equals = delimiterOffset(setCookie, 0, pairEnd, '=');
    if (equals == pairEnd) return null;

    // Control characters were refused above; any other text, non-ASCII included, is kept as is.
    String name = trimmed(setCookie, 0, equals);
    if (name.isEmpty()) return null;
    String value = trimmed(setCookie, equals + 1, pairEnd);

    long expiresAt = MAX_DATE;
    boolean hasExpires = false;
    long deltaSeconds = 0L;
    boolean hasMaxAge = false;
    String domainAttribute = null;
    String path = null;
    boolean secure = false;
    boolean httpOnly = false;
    String sameSite = null;

    for (int pos = pairEnd + 1; pos < limit; ) {
      int attributeEnd = delimiterOffset(setCookie, pos, limit, ';');
      int attributeEquals = delimiterOffset(setCookie, pos, attributeEnd, '=');
      String attributeName = trimmed(setCookie, pos, attributeEquals);
      String attributeValue =
          attributeEquals < attributeEnd
              ? trimmed(setCookie, attributeEquals + 1, attributeEnd)
              : "";
      pos = attributeEnd + 1;

      // Unrecognized or malformed attributes are ignored; when one repeats, the last one wins.
      if (attributeName.equalsIgnoreCase("expires")) {
        Instant instant = CookieDates.parse(attributeValue);
        if (instant != null) {
          expiresAt = instant.toEpochMilli();
          hasExpires = true;
        }
      } else if (attributeName.equalsIgnoreCase("max-age")) {
        long parsed = parseMaxAge(attributeValue);
        if (parsed != Long.MIN_VALUE) {
          deltaSeconds = parsed;
          hasMaxAge = true;
        }
      } else if (attributeName.equalsIgnoreCase("domain")) {
        // A leading dot is obsolete syntax and means the same as none (RFC 6265 §5.2.3).
        String domain =
            attributeValue.startsWith(".") ? attributeValue.substring(1) : attributeValue;
        if (!domain.isEmpty()) domainAttribute = domain.toLowerCase(Locale.ROOT);
      } else if (attributeName.equalsIgnoreCase("path")) {
        // An empty value or one not starting with '/' means the default path (RFC 6265 §5.2.4),
        // and it still overrides an earlier Path attribute: the last one wins.
        path = attributeValue.startsWith("/") ? attributeValue : null;
      } else if (attributeName.equalsIgnoreCase("secure")) {
        secure = true;
      } else if (attributeName.equalsIgnoreCase("httponly")) {
        httpOnly = true;
      } else if (attributeName.equalsIgnoreCase("samesite")) {
        sameSite = canonicalSameSite(attributeValue);
      }
    }

    if (hasMaxAge) {
      // Max-Age takes precedence over Expires (RFC 6265 §5.3 step 3).
      if (deltaSeconds <= 0) {
        expiresAt = Long.MIN_VALUE;
      } else {
        long deltaMillis =
            deltaSeconds <= Long.MAX_VALUE / 1000 ? deltaSeconds * 1000 : Long.MAX_VALUE;
        expiresAt = currentTimeMillis + deltaMillis;
        if (expiresAt < currentTimeMillis) expiresAt = MAX_DATE; // Overflow.
      }
    }
    boolean persistent = hasMaxAge || hasExpires;
    expiresAt = clampExpiresAt(expiresAt);

    String host = url.host();
    String domain;
    boolean hostOnly;
    if (domainAttribute == null) {
      domain = host.toLowerCase(Locale.ROOT);
      hostOnly = true;
    } else {
      if (!domainMatch(host, domainAttribute)) return null;
      if (!isIpAddress(domainAttribute)
          && PublicSuffixList.get().isPublicSuffix(domainAttribute)) {
        // RFC 6265 §5.3 step 5: a public suffix such as "co.uk" or "github.io" may not be a
        // cookie's domain. A host that is itself a public suffix still gets a host-only cookie.
        if (!host.equalsIgnoreCase(domainAttribute)) return null;
        domain = host.toLowerCase(Locale.ROOT);
        hostOnly = true;
      } else {
        domain = domainAttribute;
        hostOnly = false;
      }
    }

    if (path == null) path = defaultPath(url.encodedPath());

    return new Cookie(
        name, value, expiresAt, domain, path, secure, httpOnly, persistent, hostOnly, sameSite);
  }

  /**
   * Returns this cookie in {@code Set-Cookie} form, such as {@code SID=31d4; Expires=Wed, 09 Jun
   * 2021 10:18:14 GMT; Domain=example.com; Path=/; Secure; HttpOnly}. {@code Domain} is written
   * only for cookies that are not host-only, and an expired-on-arrival cookie is written with
   * {@code Max-Age=0}. Parsing the result for a url on the cookie's domain yields an equal cookie,
   * except that an expiry is truncated to whole seconds.
   */
  @Override
  public String toString() {
    StringBuilder result = new StringBuilder(64);
    result.append(name).append('=').append(value);
    if (persistent) {
      if (expiresAt == Long.MIN_VALUE) {
        result.append("; Max-Age=0");
      } else {
        result.append("; Expires=").append(HttpDates.format(Instant.ofEpochMilli(expiresAt)));
      }
    }
    if (!hostOnly) result.append("; Domain=").append(domain);
    result.append("; Path=").append(path);
    if (secure) result.append("; Secure");
    if (httpOnly) result.append("; HttpOnly");
    if (sameSite != null) result.append("; SameSite=").append(sameSite);
    return result.toString();
  }

  /** Returns true if {@code other} is a cookie with the same name, value, scope and attributes. */
  @Override
  public boolean equals(Object other) {
    if (this == other) return true;
    if (!(other instanceof Cookie)) return false;
    Cookie that = (Cookie) other;
    return name.equals(that.name)
        && value.equals(that.value)
        && expiresAt == that.expiresAt
        && domain.equals(that.domain)
        && path.equals(that.path)
        && secure == that.secure
        && httpOnly == that.httpOnly
        && persistent == that.persistent
        && hostOnly == that.hostOnly
        && Objects.equals(sameSite, that.sameSite);
  }

  /** Returns a hash code consistent with {@link #equals}. */
  @Override
  public int hashCode() {
    int result = 17;
    result = 31 * result + name.hashCode();
    result = 31 * result + value.hashCode();
    result = 31 * result + Long.hashCode(expiresAt);
    result = 31 * result + domain.hashCode();
    result = 31 * result + path.hashCode();
    result = 31 * result + (secure ? 1 : 0);
    result = 31 * result + (httpOnly ? 1 : 0);
    result = 31 * result + (persistent ? 1 : 0);
    result = 31 * result + (hostOnly ? 1 : 0);
    result = 31 * result + Objects.hashCode(sameSite);
    return result;
  }

  /**
   * Returns true if {@code host} domain-matches {@code domain} (RFC 6265 §5.1.3): they are equal,
   * or {@code host} is a name (not an IP address) that ends with {@code "." + domain}.
   */
  private static boolean domainMatch(String host, String domain) {
    if (host.equalsIgnoreCase(domain)) return true;
    int prefixLength = host.length() - domain.length();
    return prefixLength > 0
        && host.charAt(prefixLength - 1) == '.'
        && host.regionMatches(true, prefixLength, domain, 0, domain.length())
        && !isIpAddress(host);
  }

  /** Returns true if {@code host} is an IPv6 address or a dotted IPv4 address. */
  private static boolean isIpAddress(String host) {
    if (host.indexOf(':') != -1) return true;
    for (int i = 0, length = host.length(); i < length; i++) {
      char c = host.charAt(i);
      if ((c < '0' || c > '9') && c != '.') return false;
    }
    return true;
  }

  /**
   * Returns true if {@code requestPath} path-matches {@code cookiePath} (RFC 6265 §5.1.4): they are
   * equal, or the cookie path is a prefix that ends with '/' or is followed by '/'.
   */
  private static boolean pathMatch(String requestPath, String cookiePath) {
    if (!requestPath.startsWith(cookiePath)) return false;
    return requestPath.length() == cookiePath.length()
        || cookiePath.endsWith("/")
        || requestPath.charAt(cookiePath.length()) == '/';
  }

  /** Returns the default cookie path for a request to {@code requestPath} (RFC 6265 §5.1.4). */
  private static String defaultPath(String requestPath) {
    if (!requestPath.startsWith("/")) return "/";
    int lastSlash = requestPath.lastIndexOf('/');
    return lastSlash == 0 ? "/" : requestPath.substring(0, lastSlash);
  }

  /**
   * Returns the seconds in a {@code Max-Age} value, saturating on overflow, or {@link
   * Long#MIN_VALUE} if it is not an optionally negative run of digits.
   */
  private static long parseMaxAge(String s) {
    boolean negative = s.startsWith("-");
    int start = negative ? 1 : 0;
    if (start == s.length()) return Long.MIN_VALUE;
    long result = 0;
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return Long.MIN_VALUE;
      if (result <= (Long.MAX_VALUE - 9) / 10) result = result * 10 + (c - '0');
      else result = Long.MAX_VALUE;
    }
    // -Long.MAX_VALUE is still below zero, so the sentinel Long.MIN_VALUE is never returned here.
    return negative ? -result : result;
  }

  /** Returns the canonical spelling of a SameSite value, or null if RFC 6265bis does not define it. */
  private static String canonicalSameSite(String value) {
    if (value.equalsIgnoreCase("Strict")) return "Strict";
    if (value.equalsIgnoreCase("Lax")) return "Lax";
    if (value.equalsIgnoreCase("None")) return "None";
    return null;
  }

  /** Maps expiries at or before the epoch to "already expired" and caps the rest at MAX_DATE. */
  private static long clampExpiresAt(long expiresAt) {
    if (expiresAt <= 0L) return Long.MIN_VALUE;
    return Math.min(expiresAt, MAX_DATE);
  }

  /** Returns the offset of the first {@code delimiter} in {@code s[start..limit)}, or limit. */
  private static int delimiterOffset(String s, int start, int limit, char delimiter) {
    for (int i = start; i < limit; i++) {
      if (s.charAt(i) == delimiter) return i;
    }
    return limit;
  }

  /** Returns {@code s[start..end)} without leading and trailing spaces and tabs. */
  private static String trimmed(String s, int start, int end) {
    while (start < end && isSpaceOrTab(s.charAt(start))) start++;
    while (end > start && isSpaceOrTab(s.charAt(end - 1))) end--;
    return s.substring(start, end);
  }

  private static boolean isSpaceOrTab(char c) {
    return c == ' ' || c == '\t';
  }

  /** Returns true if {@code s} holds %x00-08, %x0A-1F or %x7F. */
  private static boolean hasControlCharacter(String s) {
    for (int i = 0, length = s.length(); i < length; i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
    }
    return false;
  }

  /**
   * Returns true if {@code s} holds no control character other than tab (RFC 6265bis §5.6: the
   * octets %x00-08, %x0A-1F and %x7F). Non-ASCII text is allowed and kept as it is.
   */
  private static boolean isCookieText(String s) {
    return !hasControlCharacter(s);
  }

  /** Returns true if {@code s} is printable ASCII: no control characters, no other characters. */
  private static boolean isPrintableAscii(String s) {
    for (int i = 0, length = s.length(); i < length; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) return false;
    }
    return true;
  }

  /**
   * Builds a {@link Cookie}. Name, value and domain are required; the path defaults to {@code /},
   * and the cookie is a session cookie, not secure, not HTTP-only and without SameSite unless set.
   *
   * <p>Not thread-safe; the built cookies are.
   */
  public static final class Builder {
    private String name;
    private String value;
    private long expiresAt = MAX_DATE;
    private String domain;
    private String path = "/";
    private boolean secure;
    private boolean httpOnly;
    private boolean persistent;
    private boolean hostOnly;
    private String sameSite;

    /** Creates a builder with no name, value or domain. */
    public Builder() {}

    private Builder(Cookie cookie) {
      this.name = cookie.name;
      this.value = cookie.value;
      this.expiresAt = cookie.expiresAt;
      this.domain = cookie.domain;
      this.path = cookie.path;
      this.secure = cookie.secure;
      this.httpOnly = cookie.httpOnly;
      this.persistent = cookie.persistent;
      this.hostOnly = cookie.hostOnly;
      this.sameSite = cookie.sameSite;
    }

    /**
     * Sets the cookie's name. Non-ASCII characters are allowed (RFC 6265bis).
     *
     * @throws IllegalArgumentException if {@code name} is empty, has leading or trailing
     *     whitespace, or contains '=', ';' or a control character other than tab
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name == null");
      if (name.isEmpty()) throw new IllegalArgumentException("cookie name is empty");
      requireTrimmedCookieText("name", name, false);
      if (name.indexOf('=') != -1) {
        throw new IllegalArgumentException("cookie name contains '=': " + name);
      }
      this.name = name;
      return this;
    }

    /**
     * Sets the cookie's value, which may be empty. Non-ASCII characters are allowed (RFC 6265bis).
     *
     * @throws IllegalArgumentException if {@code value} has leading or trailing whitespace or
     *     contains ';' or a control character other than tab
     */
    public Builder value(String value) {
      Objects.requireNonNull(value, "value == null");
      requireTrimmedCookieText("value", value, false);
      this.value = value;
      return this;
    }

    /**
     * Makes the cookie persistent, expiring at {@code expiresAt} milliseconds since the epoch.
     * Values at or before the epoch mean already expired and become {@link Long#MIN_VALUE}; values
     * after the last second of year 9999 are capped there. By default the cookie is a session cookie.
     */
    public Builder expiresAt(long expiresAt) {
      this.expiresAt = clampExpiresAt(expiresAt);
      this.persistent = true;
      return this;
    }

    /**
     * Sets the domain the cookie is sent to, including its subdomains, as a {@code Domain}
     * attribute would. A leading dot is dropped and the domain is lowercased. Unlike {@link
     * Cookie#parse}, the builder does not check the domain against the Public Suffix List: the
     * caller decides which domains to trust.
     *
     * @throws IllegalArgumentException if {@code domain} is not a host name or IP address
     */
    public Builder domain(String domain) {
      this.domain = canonicalDomain(domain);
      this.hostOnly = false;
      return this;
    }

    /**
     * Sets the only host the cookie is sent to, as when a Set-Cookie header has no {@code Domain}
     * attribute. The host is lowercased.
     *
     * @throws IllegalArgumentException if {@code domain} is not a host name or IP address
     */
    public Builder hostOnlyDomain(String domain) {
      this.domain = canonicalDomain(domain);
      this.hostOnly = true;
      return this;
    }

    /**
     * Sets the path the cookie is sent to, together with the paths below it. Defaults to {@code /}.
     *
     * @throws IllegalArgumentException if {@code path} does not start with '/' or contains ';', a
     *     control character or a non-ASCII character
     */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path == null");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("cookie path must start with '/': " + path);
      }
      requireTrimmedCookieText("path", path, true);
      this.path = path;
      return this;
    }

    /** Sets whether the cookie is sent only over HTTPS. Defaults to false. */
    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    /** Sets whether the cookie is hidden from scripts. Defaults to false. */
    public Builder httpOnly(boolean httpOnly) {
      this.httpOnly = httpOnly;
      return this;
    }

    /**
     * Sets the {@code SameSite} attribute, such as {@code Lax}, or clears it with null. Defaults to
     * null.
     *
     * @throws IllegalArgumentException if {@code sameSite} is empty, has leading or trailing
     *     whitespace, or contains ';', a control character or a non-ASCII character
     */
    public Builder sameSite(String sameSite) {
      if (sameSite != null) {
        if (sameSite.isEmpty()) throw new IllegalArgumentException("cookie sameSite is empty");
        requireTrimmedCookieText("sameSite", sameSite, true);
      }
      this.sameSite = sameSite;
      return this;
    }

    /**
     * Returns the cookie.
     *
     * @throws IllegalArgumentException if the name, value or domain has not been set
     */
    public Cookie build() {
      if (name == null) throw new IllegalArgumentException("cookie name is required");
      if (value == null) throw new IllegalArgumentException("cookie value is required for " + name);
      if (domain == null) {
        throw new IllegalArgumentException("cookie domain is required for " + name);
      }
      return new Cookie(
          name, value, expiresAt, domain, path, secure, httpOnly, persistent, hostOnly, sameSite);
    }

    private static void requireTrimmedCookieText(String setting, String s, boolean asciiOnly) {
      if (asciiOnly ? !isPrintableAscii(s) : !isCookieText(s)) {
        throw new IllegalArgumentException("cookie " + setting + " contains a control character"
            + (asciiOnly ? " or a non-ASCII character: " : ": ") + s);
      }
      if (s.indexOf(';') != -1) {
        throw new IllegalArgumentException("cookie " + setting + " contains ';': " + s);
      }
      if (!s.isEmpty() && (isSpaceOrTab(s.charAt(0)) || isSpaceOrTab(s.charAt(s.length() - 1)))) {
        throw new IllegalArgumentException(
            "cookie " + setting + " has leading or trailing whitespace: \"" + s + "\"");
      }
    }

    private static String canonicalDomain(String domain) {
      Objects.requireNonNull(domain, "domain == null");
      String result = domain.startsWith(".") ? domain.substring(1) : domain;
      if (result.isEmpty() || result.startsWith(".") || result.endsWith(".")) {
        throw new IllegalArgumentException("invalid cookie domain: \"" + domain + "\"");
      }
      for (int i = 0, length = result.length(); i < length; i++) {
        char c = result.charAt(i);
        boolean allowed =
            (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '.'
                || c == '_'
                || c == ':'
                || c == '['
                || c == ']';
        if (!allowed) {
          throw new IllegalArgumentException("invalid cookie domain: \"" + domain + "\"");
        }
      }
      return result.toLowerCase(Locale.ROOT);
    }
  }
}
