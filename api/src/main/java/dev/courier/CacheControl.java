package dev.courier;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Holds the directives of {@code Cache-Control} header fields (RFC 9111 §5.2), of a request or of
 * a response, including the {@code stale-while-revalidate} and {@code stale-if-error} extensions
 * (RFC 5861) and {@code immutable} (RFC 8246).
 *
 * <p>Read a request's or a response's with {@link Request#cacheControl()} and {@link
 * Response#cacheControl()}, or parse any headers with {@link #parse(Headers)}; build one for a
 * request with {@link #builder()} and send it with {@link Request.Builder#cacheControl}. It needs
 * no cache: the directives go to the server and to any cache on the way, and the cache module
 * ({@code dev.courier.cache.Cache}) honours them when it is installed. Durations are whole
 * seconds; {@code -1} means the directive is absent. Instances are immutable and thread-safe.
 */
public final class CacheControl {
  /**
   * Asks for a response from the server, validating any stored one ({@code no-cache}). A stored
   * response that is {@code immutable} and fresh is still revalidated.
   */
  public static final CacheControl FORCE_NETWORK = builder().noCache().build();

  /**
   * Asks for a stored response only, however stale ({@code only-if-cached, max-stale}); when none
   * is stored the cache answers {@code 504 Unsatisfiable Request (only-if-cached)}.
   */
  public static final CacheControl FORCE_CACHE =
      builder().onlyIfCached().maxStale(Integer.MAX_VALUE, TimeUnit.SECONDS).build();

  /** The value that stands for a delta-seconds too large to represent (RFC 9111 §1.2.2). */
  private static final int DELTA_SECONDS_CAP = Integer.MAX_VALUE;

  private final boolean noCache;
  private final List<String> noCacheFields;
  private final boolean noStore;
  private final int maxAgeSeconds;
  private final int sMaxAgeSeconds;
  private final boolean isPrivate;
  private final boolean isPublic;
  private final boolean mustRevalidate;
  private final boolean proxyRevalidate;
  private final int maxStaleSeconds;
  private final int minFreshSeconds;
  private final boolean onlyIfCached;
  private final boolean noTransform;
  private final boolean immutable;
  private final int staleWhileRevalidateSeconds;
  private final int staleIfErrorSeconds;
  private String headerValue;

  private CacheControl(Builder builder, String headerValue) {
    this.noCache = builder.noCache;
    this.noCacheFields = List.copyOf(builder.noCacheFields);
    this.noStore = builder.noStore;
    this.maxAgeSeconds = builder.maxAgeSeconds;
    this.sMaxAgeSeconds = builder.sMaxAgeSeconds;
    this.isPrivate = builder.isPrivate;
    this.isPublic = builder.isPublic;
    this.mustRevalidate = builder.mustRevalidate;
    this.proxyRevalidate = builder.proxyRevalidate;
    this.maxStaleSeconds = builder.maxStaleSeconds;
    this.minFreshSeconds = builder.minFreshSeconds;
    this.onlyIfCached = builder.onlyIfCached;
    this.noTransform = builder.noTransform;
    this.immutable = builder.immutable;
    this.staleWhileRevalidateSeconds = builder.staleWhileRevalidateSeconds;
    this.staleIfErrorSeconds = builder.staleIfErrorSeconds;
    this.headerValue = headerValue;
  }

  /**
   * Returns true for {@code no-cache}: in a request, a stored response must not be used without
   * validating it; in a response without field names, the response must be validated before
   * every reuse.
   */
  public boolean noCache() {
    return noCache;
  }

  /**
   * Returns the field names of a qualified response {@code no-cache="Set-Cookie"}; empty if the
   * directive is absent or unqualified. A qualified {@code no-cache} does not make {@link
   * #noCache()} true: the response may be reused without those fields.
   */
  public List<String> noCacheFields() {
    return noCacheFields;
  }

  /** Returns true for {@code no-store}: neither the request nor its response may be stored. */
  public boolean noStore() {
    return noStore;
  }

  /**
   * Returns the {@code max-age} in seconds, or -1. In a response, the freshness lifetime; in a
   * request, the oldest response the client accepts. An invalid value reads as 0.
   */
  public int maxAgeSeconds() {
    return maxAgeSeconds;
  }

  /** Returns the response's {@code s-maxage} in seconds, or -1; shared caches only, so ignored here. */
  public int sMaxAgeSeconds() {
    return sMaxAgeSeconds;
  }

  /** Returns true for a response's {@code private}: only a private cache, such as this one, may store it. */
  public boolean isPrivate() {
    return isPrivate;
  }

  /** Returns true for a response's {@code public}: any cache may store it. */
  public boolean isPublic() {
    return isPublic;
  }

  /** Returns true for a response's {@code must-revalidate}: once stale, it must never be served unvalidated. */
  public boolean mustRevalidate() {
    return mustRevalidate;
  }

  /** Returns true for a response's {@code proxy-revalidate}; shared caches only, so ignored here. */
  public boolean proxyRevalidate() {
    return proxyRevalidate;
  }

  /**
   * Returns the request's {@code max-stale} in seconds, or -1; {@link Integer#MAX_VALUE} when the
   * directive has no value (any staleness is accepted).
   */
  public int maxStaleSeconds() {
    return maxStaleSeconds;
  }

  /** Returns the request's {@code min-fresh} in seconds, or -1. */
  public int minFreshSeconds() {
    return minFreshSeconds;
  }

  /** Returns true for the request's {@code only-if-cached}: the network must not be used. */
  public boolean onlyIfCached() {
    return onlyIfCached;
  }

  /** Returns true for {@code no-transform}. */
  public boolean noTransform() {
    return noTransform;
  }

  /** Returns true for a response's {@code immutable} (RFC 8246): it is not revalidated while fresh. */
  public boolean immutable() {
    return immutable;
  }

  /**
   * Returns the {@code stale-while-revalidate} window in seconds, or -1 (RFC 5861 §3): for that
   * long after the response becomes stale it may be served while it is revalidated in the
   * background.
   */
  public int staleWhileRevalidateSeconds() {
    return staleWhileRevalidateSeconds;
  }

  /**
   * Returns the {@code stale-if-error} window in seconds, or -1 (RFC 5861 §4): for that long after
   * the response becomes stale it may be served when revalidating it fails.
   */
  public int staleIfErrorSeconds() {
    return staleIfErrorSeconds;
  }

  /**
   * Returns the directives of {@code headers}: every {@code Cache-Control} field combined, or, if
   * there is none, {@code Pragma: no-cache} read as {@code no-cache}. Unknown directives are
   * ignored; of a repeated directive the first one counts.
   */
  public static CacheControl parse(Headers headers) {
    Builder builder = new Builder();
    boolean sawCacheControl = false;
    StringBuilder value = null;
    for (int i = 0, size = headers.size(); i < size; i++) {
      String name = headers.name(i);
      if (name.equalsIgnoreCase("Cache-Control")) {
        sawCacheControl = true;
        if (value == null) {
          value = new StringBuilder(headers.value(i));
        } else {
          value.append(", ").append(headers.value(i));
        }
        DirectiveParser.parse(headers.value(i), builder);
      }
    }
    if (!sawCacheControl) {
      for (String pragma : headers.values("Pragma")) {
        if (DirectiveParser.hasNoCache(pragma)) {
          builder.noCache = true;
        }
      }
      return new CacheControl(builder, null);
    }
    return new CacheControl(builder, value.toString());
  }

  /** Returns a builder for request directives. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding these directives, response directives included, so that a request's
   * directives can be changed one at a time.
   */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** Returns the directives as a {@code Cache-Control} field value, such as {@code no-cache, max-age=60}. */
  @Override
  public String toString() {
    String result = headerValue;
    if (result == null) {
      result = format();
      headerValue = result;
    }
    return result;
  }

  private String format() {
    StringBuilder out = new StringBuilder();
    if (noCache) {
      out.append("no-cache, ");
    } else if (!noCacheFields.isEmpty()) {
      out.append("no-cache=\"").append(String.join(", ", noCacheFields)).append("\", ");
    }
    if (noStore) out.append("no-store, ");
    if (maxAgeSeconds != -1) out.append("max-age=").append(maxAgeSeconds).append(", ");
    if (sMaxAgeSeconds != -1) out.append("s-maxage=").append(sMaxAgeSeconds).append(", ");
    if (isPrivate) out.append("private, ");
    if (isPublic) out.append("public, ");
    if (mustRevalidate) out.append("must-revalidate, ");
    if (proxyRevalidate) out.append("proxy-revalidate, ");
    if (maxStaleSeconds == Integer.MAX_VALUE) {
      out.append("max-stale, ");
    } else if (maxStaleSeconds != -1) {
      out.append("max-stale=").append(maxStaleSeconds).append(", ");
    }
    if (minFreshSeconds != -1) out.append("min-fresh=").append(minFreshSeconds).append(", ");
    if (onlyIfCached) out.append("only-if-cached, ");
    if (noTransform) out.append("no-transform, ");
    if (immutable) out.append("immutable, ");
    if (staleWhileRevalidateSeconds != -1) {
      out.append("stale-while-revalidate=").append(staleWhileRevalidateSeconds).append(", ");
    }
    if (staleIfErrorSeconds != -1) {
      out.append("stale-if-error=").append(staleIfErrorSeconds).append(", ");
    }
    if (out.length() == 0) return "";
    out.setLength(out.length() - 2);
    return out.toString();
  }

  /** Builds {@link CacheControl}s, typically for requests; not thread-safe. Default: no directives. */
  public static final class Builder {
    boolean noCache;
    final List<String> noCacheFields = new ArrayList<>(0);
    boolean noStore;
    int maxAgeSeconds = -1;
    int sMaxAgeSeconds = -1;
    boolean isPrivate;
    boolean isPublic;
    boolean mustRevalidate;
    boolean proxyRevalidate;
    int maxStaleSeconds = -1;
    int minFreshSeconds = -1;
    boolean onlyIfCached;
    boolean noTransform;
    boolean immutable;
    int staleWhileRevalidateSeconds = -1;
    int staleIfErrorSeconds = -1;
    // Directives seen while parsing, so that the first of a repeated directive wins.
    int seen;

    Builder() {}

    private Builder(CacheControl control) {
      noCache = control.noCache;
      noCacheFields.addAll(control.noCacheFields);
      noStore = control.noStore;
      maxAgeSeconds = control.maxAgeSeconds;
      sMaxAgeSeconds = control.sMaxAgeSeconds;
      isPrivate = control.isPrivate;
      isPublic = control.isPublic;
      mustRevalidate = control.mustRevalidate;
      proxyRevalidate = control.proxyRevalidate;
      maxStaleSeconds = control.maxStaleSeconds;
      minFreshSeconds = control.minFreshSeconds;
      onlyIfCached = control.onlyIfCached;
      noTransform = control.noTransform;
      immutable = control.immutable;
      staleWhileRevalidateSeconds = control.staleWhileRevalidateSeconds;
      staleIfErrorSeconds = control.staleIfErrorSeconds;
    }

    /** Adds {@code no-cache}: a stored response must be validated with the server before use. */
    public Builder noCache() {
      noCache = true;
      return this;
    }

    /** Adds {@code no-store}: the response to this request is not stored. */
    public Builder noStore() {
      noStore = true;
      return this;
    }

    /**
     * Adds {@code max-age}: accept only responses at most {@code maxAge} old, rounded down to
     * seconds.
     *
     * @throws IllegalArgumentException if {@code maxAge} is negative
     */
    public Builder maxAge(long maxAge, TimeUnit unit) {
      maxAgeSeconds = seconds("maxAge", maxAge, unit);
      return this;
    }

    /**
     * Adds {@code max-stale}: accept stored responses up to {@code maxStale} past their freshness
     * lifetime; {@code Integer.MAX_VALUE} seconds or more writes the directive without a value.
     *
     * @throws IllegalArgumentException if {@code maxStale} is negative
     */
    public Builder maxStale(long maxStale, TimeUnit unit) {
      maxStaleSeconds = seconds("maxStale", maxStale, unit);
      return this;
    }

    /**
     * Adds {@code min-fresh}: accept only responses that stay fresh for at least {@code minFresh}.
     *
     * @throws IllegalArgumentException if {@code minFresh} is negative
     */
    public Builder minFresh(long minFresh, TimeUnit unit) {
      minFreshSeconds = seconds("minFresh", minFresh, unit);
      return this;
    }

    /** Adds {@code only-if-cached}: use only a stored response, never the network. */
    public Builder onlyIfCached() {
      onlyIfCached = true;
      return this;
    }

    /** Adds {@code no-transform}. */
    public Builder noTransform() {
      noTransform = true;
      return this;
    }

    /**
     * Adds {@code stale-if-error} (RFC 5861): accept a stored response up to {@code window} stale
     * when the server cannot be reached or answers with an error.
     *
     * @throws IllegalArgumentException if {@code window} is negative
     */
    public Builder staleIfError(long window, TimeUnit unit) {
      staleIfErrorSeconds = seconds("staleIfError", window, unit);
      return this;
    }

    /** Returns the directives. */
    public CacheControl build() {
      return new CacheControl(this, null);
    }

    private static int seconds(String setting, long amount, TimeUnit unit) {
      if (amount < 0) {
        throw new IllegalArgumentException(setting + " < 0: " + amount);
      }
      long seconds = unit.toSeconds(amount);
      return seconds > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) seconds;
    }
  }

  /** Reads the directive list grammar of RFC 9111 §5.2 into a builder. */
  private static final class DirectiveParser {
    private static final int MAX_AGE = 1;
    private static final int S_MAXAGE = 1 << 1;
    private static final int MAX_STALE = 1 << 2;
    private static final int MIN_FRESH = 1 << 3;
    private static final int STALE_WHILE_REVALIDATE = 1 << 4;
    private static final int STALE_IF_ERROR = 1 << 5;
    private static final int NO_CACHE = 1 << 6;

    private DirectiveParser() {}

    static boolean hasNoCache(String pragma) {
      Builder builder = new Builder();
      parse(pragma, builder);
      return builder.noCache || !builder.noCacheFields.isEmpty();
    }

    static void parse(String value, Builder builder) {
      int pos = 0;
      int length = value.length();
      while (pos < length) {
        pos = skipSeparators(value, pos);
        if (pos >= length) break;
        int nameStart = pos;
        while (pos < length && value.charAt(pos) != '=' && value.charAt(pos) != ','
            && !isWhitespace(value.charAt(pos))) {
          pos++;
        }
        String name = value.substring(nameStart, pos).toLowerCase(Locale.ROOT);
        pos = skipWhitespace(value, pos);
        String argument = null;
        if (pos < length && value.charAt(pos) == '=') {
          pos = skipWhitespace(value, pos + 1);
          if (pos < length && value.charAt(pos) == '"') {
            StringBuilder quoted = new StringBuilder();
            pos++;
            while (pos < length && value.charAt(pos) != '"') {
              char c = value.charAt(pos);
              if (c == '\\' && pos + 1 < length) {
                c = value.charAt(++pos);
              }
              quoted.append(c);
              pos++;
            }
            pos++; // Closing quote; an unterminated string ends at the end of the value.
            argument = quoted.toString();
          } else {
            int argumentStart = pos;
            while (pos < length && value.charAt(pos) != ',' && !isWhitespace(value.charAt(pos))) {
              pos++;
            }
            argument = value.substring(argumentStart, pos);
          }
        }
        // Skip anything up to the next comma, such as junk after a malformed directive.
        while (pos < length && value.charAt(pos) != ',') {
          pos++;
        }
        apply(name, argument, builder);
      }
    }

    private static void apply(String name, String argument, Builder builder) {
      switch (name) {
        case "no-cache":
          if (first(builder, NO_CACHE)) {
            if (argument == null) {
              builder.noCache = true;
            } else {
              addFieldNames(argument, builder.noCacheFields);
              if (builder.noCacheFields.isEmpty()) builder.noCache = true;
            }
          }
          break;
        case "no-store":
          builder.noStore = true;
          break;
        case "max-age":
          if (first(builder, MAX_AGE)) builder.maxAgeSeconds = deltaSeconds(argument, 0);
          break;
        case "s-maxage":
          if (first(builder, S_MAXAGE)) builder.sMaxAgeSeconds = deltaSeconds(argument, 0);
          break;
        case "private":
          builder.isPrivate = true;
          break;
        case "public":
          builder.isPublic = true;
          break;
        case "must-revalidate":
          builder.mustRevalidate = true;
          break;
        case "proxy-revalidate":
          builder.proxyRevalidate = true;
          break;
        case "max-stale":
          if (first(builder, MAX_STALE)) {
            builder.maxStaleSeconds = argument == null
                ? Integer.MAX_VALUE
                : deltaSeconds(argument, 0);
          }
          break;
        case "min-fresh":
          // An invalid min-fresh asks for more freshness than any response has.
          if (first(builder, MIN_FRESH)) {
            builder.minFreshSeconds = deltaSeconds(argument, DELTA_SECONDS_CAP);
          }
          break;
        case "only-if-cached":
          builder.onlyIfCached = true;
          break;
        case "no-transform":
          builder.noTransform = true;
          break;
        case "immutable":
          builder.immutable = true;
          break;
        case "stale-while-revalidate":
          if (first(builder, STALE_WHILE_REVALIDATE)) {
            builder.staleWhileRevalidateSeconds = deltaSeconds(argument, -1);
          }
          break;
        case "stale-if-error":
          if (first(builder, STALE_IF_ERROR)) {
            builder.staleIfErrorSeconds = deltaSeconds(argument, -1);
          }
          break;
        default:
          // Unknown extensions are ignored (RFC 9111 §5.2.3).
          break;
      }
    }

    private static boolean first(Builder builder, int directive) {
      boolean result = (builder.seen & directive) == 0;
      builder.seen |= directive;
      return result;
    }

    /**
     * Returns the delta-seconds in {@code argument}, capped at {@link #DELTA_SECONDS_CAP}, or
     * {@code invalid} if it is missing or not a run of digits.
     */
    private static int deltaSeconds(String argument, int invalid) {
      if (argument == null || argument.isEmpty()) return invalid;
      long result = 0;
      for (int i = 0; i < argument.length(); i++) {
        char c = argument.charAt(i);
        if (c < '0' || c > '9') return invalid;
        result = result * 10 + (c - '0');
        if (result > DELTA_SECONDS_CAP) return DELTA_SECONDS_CAP;
      }
      return (int) result;
    }

    private static void addFieldNames(String argument, List<String> out) {
      int pos = 0;
      while (pos < argument.length()) {
        pos = skipSeparators(argument, pos);
        int start = pos;
        while (pos < argument.length() && argument.charAt(pos) != ','
            && !isWhitespace(argument.charAt(pos))) {
          pos++;
        }
        if (pos > start) out.add(argument.substring(start, pos));
      }
    }

    private static int skipSeparators(String value, int pos) {
      while (pos < value.length() && (value.charAt(pos) == ',' || isWhitespace(value.charAt(pos)))) {
        pos++;
      }
      return pos;
    }

    private static int skipWhitespace(String value, int pos) {
      while (pos < value.length() && isWhitespace(value.charAt(pos))) {
        pos++;
      }
      return pos;
    }

    private static boolean isWhitespace(char c) {
      return c == ' ' || c == '\t';
    }
  }
}
