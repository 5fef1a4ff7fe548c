package dev.courier.cache;

import dev.courier.CacheControl;
import dev.courier.Headers;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.internal.HttpDates;
import java.time.Instant;
import java.util.List;

/**
 * Decides how to answer a request given the stored response for its URL, following RFC 9111 and
 * RFC 5861: serve the stored response, validate it with a conditional request, or go to the
 * network. A strategy is a pure function of the request, the stored response and the current
 * time; it does no I/O.
 *
 * <table>
 *   <caption>Outcomes</caption>
 *   <tr><th>{@link #networkRequest()}</th><th>{@link #cacheResponse()}</th><th>meaning</th></tr>
 *   <tr><td>null</td><td>null</td><td>{@code only-if-cached} and nothing usable: answer 504</td></tr>
 *   <tr><td>null</td><td>set</td><td>serve the stored response without the network</td></tr>
 *   <tr><td>set</td><td>null</td><td>use the network; nothing stored is usable</td></tr>
 *   <tr><td>set</td><td>set</td><td>conditional request validating the stored response</td></tr>
 * </table>
 *
 * <p>The stored response's {@link Response#sentRequestAtMillis()} and {@link
 * Response#receivedResponseAtMillis()} must be the times, on the same clock as {@code now}, at
 * which it was requested and received; they drive the age calculation of RFC 9111 §4.2.3.
 * Instances are immutable and thread-safe.
 */
public final class CacheStrategy {
  private static final long ONE_DAY_MILLIS = 24L * 60 * 60 * 1000;
  /** The value that stands for a delta-seconds too large to represent (RFC 9111 §1.2.2). */
  private static final int DELTA_SECONDS_CAP = Integer.MAX_VALUE;

  private final Request networkRequest;
  private final Response cacheResponse;
  private final Response staleIfErrorResponse;
  private final Request backgroundRevalidationRequest;
  private final boolean usedHeuristicFreshness;

  private CacheStrategy(Request networkRequest, Response cacheResponse,
      Response staleIfErrorResponse, Request backgroundRevalidationRequest,
      boolean usedHeuristicFreshness) {
    this.networkRequest = networkRequest;
    this.cacheResponse = cacheResponse;
    this.staleIfErrorResponse = staleIfErrorResponse;
    this.backgroundRevalidationRequest = backgroundRevalidationRequest;
    this.usedHeuristicFreshness = usedHeuristicFreshness;
  }

  /**
   * Returns the request to send, possibly with {@code If-None-Match} or {@code If-Modified-Since}
   * added; null if the network must not or need not be used.
   */
  public Request networkRequest() {
    return networkRequest;
  }

  /**
   * Returns the stored response: the one to serve if {@link #networkRequest()} is null (with
   * {@code Age} and any {@code Warning} set), otherwise the one the conditional request
   * validates. Null if nothing stored is usable.
   */
  public Response cacheResponse() {
    return cacheResponse;
  }

  /**
   * Returns the stored response that may be served if the network request fails or answers 500,
   * 502, 503 or 504 ({@code stale-if-error}, RFC 5861 §4), with {@code Age} and {@code Warning}
   * set; null if none may.
   */
  public Response staleIfErrorResponse() {
    return staleIfErrorResponse;
  }

  /**
   * Returns the request that revalidates the stale response being served under {@code
   * stale-while-revalidate} (RFC 5861 §3), to be sent in the background; null otherwise.
   */
  public Request backgroundRevalidationRequest() {
    return backgroundRevalidationRequest;
  }

  /**
   * Returns true if the stored response's freshness lifetime was estimated from its {@code
   * Last-Modified} date (RFC 9111 §4.2.2) because it gave none explicitly.
   */
  public boolean usedHeuristicFreshness() {
    return usedHeuristicFreshness;
  }

  /** Returns true if neither the cache nor the network may answer: the 504 of {@code only-if-cached}. */
  public boolean isUnsatisfiable() {
    return networkRequest == null && cacheResponse == null;
  }

  /**
   * Returns the strategy for {@code request}, whose stored response is {@code cached} (null if
   * none, or if its {@code Vary} fields do not match), at time {@code now}.
   */
  public static CacheStrategy compute(Request request, Response cached, Instant now) {
    CacheStrategy candidate = computeCandidate(request, cached, now.toEpochMilli());
    if (CacheControl.parse(request.headers()).onlyIfCached()) {
      if (candidate.networkRequest != null) {
        return new CacheStrategy(null, null, null, null, candidate.usedHeuristicFreshness);
      }
      if (candidate.backgroundRevalidationRequest != null) {
        // The caller asked to stay off the network, so no revalidation is started for it.
        return new CacheStrategy(null, candidate.cacheResponse, null, null,
            candidate.usedHeuristicFreshness);
      }
    }
    return candidate;
  }

  /**
   * Returns the strategy that sends the conditional request a background revalidation needs: like
   * {@link #compute} but never serving the stored response without the network.
   */
  public static CacheStrategy computeRevalidation(Request request, Response cached, Instant now) {
    CacheStrategy candidate = computeCandidate(request, cached, now.toEpochMilli());
    if (candidate.backgroundRevalidationRequest != null) {
      return new CacheStrategy(candidate.backgroundRevalidationRequest, cached,
          candidate.staleIfErrorResponse, null, candidate.usedHeuristicFreshness);
    }
    return candidate;
  }

  /**
   * Returns true if {@code response}, received for {@code request}, may be stored by a private
   * cache (RFC 9111 §3): a GET without {@code Range}, neither saying {@code no-store}, not {@code
   * Vary: *}, not partial content, a status cacheable by default (RFC 9110 §15.1) or explicit
   * freshness, and for a request with {@code Authorization} a response that allows it.
   */
  public static boolean isCacheable(Response response, Request request) {
    return !CacheControl.parse(request.headers()).noStore() && isStorable(response, request);
  }

  /**
   * Returns true if {@code response} may be stored for {@code request}, leaving aside the
   * request's {@code no-store}, which forbids storing a new response but not using a stored one.
   */
  private static boolean isStorable(Response response, Request request) {
    if (!request.method().equals("GET") || request.header("Range") != null) {
      return false;
    }
    int code = response.code();
    if (code < 200 || code == 206 || code == 304) {
      return false;
    }
    CacheControl responseControl = CacheControl.parse(response.headers());
    if (responseControl.noStore()) {
      return false;
    }
    for (String vary : response.headers().values("Vary")) {
      if (varyListHasStar(vary)) return false;
    }
    if (request.header("Authorization") != null
        && !responseControl.isPublic()
        && !responseControl.isPrivate()
        && !responseControl.mustRevalidate()
        && responseControl.sMaxAgeSeconds() == -1) {
      return false;
    }
    if (isCacheableByDefault(code)) {
      return true;
    }
    return responseControl.maxAgeSeconds() != -1
        || response.header("Expires") != null
        || responseControl.isPublic()
        || responseControl.isPrivate();
  }

  /** Returns true for the status codes that are heuristically cacheable (RFC 9110 §15.1). */
  static boolean isCacheableByDefault(int code) {
    switch (code) {
      case 200: case 203: case 204: case 300: case 301: case 308:
      case 404: case 405: case 410: case 414: case 501:
        return true;
      default:
        return false;
    }
  }

  private static boolean varyListHasStar(String vary) {
    int start = 0;
    for (int i = 0; i <= vary.length(); i++) {
      if (i == vary.length() || vary.charAt(i) == ',') {
        if (vary.substring(start, i).trim().equals("*")) return true;
        start = i + 1;
      }
    }
    return false;
  }

  private static CacheStrategy network(Request request) {
    return new CacheStrategy(request, null, null, null, false);
  }

  private static CacheStrategy computeCandidate(Request request, Response cached, long nowMillis) {
    if (cached == null) {
      return network(request);
    }
    boolean safe = request.method().equals("GET") || request.method().equals("HEAD");
    if (!safe || request.header("Range") != null) {
      return network(request);
    }
    // A TLS response stored without its handshake cannot prove where it came from.
    if (request.isHttps() && cached.handshake() == null) {
      return network(request);
    }
    if (!isStorable(cached, storedGet(request))) {
      return network(request);
    }
    // The caller validates on its own; a 304 must reach it unchanged.
    if (request.header("If-None-Match") != null || request.header("If-Modified-Since") != null) {
      return network(request);
    }

    CacheControl requestControl = CacheControl.parse(request.headers());
    CacheControl responseControl = CacheControl.parse(cached.headers());
    Freshness freshness = Freshness.of(cached, responseControl, nowMillis);
    long ageMillis = freshness.currentAgeMillis;
    long lifetimeMillis = freshness.lifetimeMillis;
    boolean fresh = ageMillis < lifetimeMillis;
    boolean mayServeStale = !responseControl.mustRevalidate() && !responseControl.noCache();

    long acceptedLifetimeMillis = lifetimeMillis;
    // RFC 8246: while fresh, an immutable response is not revalidated on a reload (max-age=0).
    boolean immutableAndFresh = responseControl.immutable() && fresh;
    if (requestControl.maxAgeSeconds() != -1 && !immutableAndFresh) {
      acceptedLifetimeMillis = Math.min(acceptedLifetimeMillis, requestControl.maxAgeSeconds() * 1000L);
    }
    long minFreshMillis = requestControl.minFreshSeconds() == -1
        ? 0L
        : requestControl.minFreshSeconds() * 1000L;
    long maxStaleMillis = 0L;
    if (mayServeStale && requestControl.maxStaleSeconds() != -1) {
      maxStaleMillis = requestControl.maxStaleSeconds() * 1000L;
    }

    Response staleIfError = null;
    int staleIfErrorSeconds = requestControl.staleIfErrorSeconds() != -1
        ? requestControl.staleIfErrorSeconds()
        : responseControl.staleIfErrorSeconds();
    if (mayServeStale && staleIfErrorSeconds != -1
        && ageMillis - lifetimeMillis <= staleIfErrorSeconds * 1000L) {
      staleIfError = served(cached, freshness, nowMillis);
    }

    if (!requestControl.noCache() && !responseControl.noCache()
        && ageMillis + minFreshMillis < acceptedLifetimeMillis + maxStaleMillis) {
      return new CacheStrategy(null, served(cached, freshness, nowMillis), null, null,
          freshness.heuristic);
    }

    Request conditional = conditionalRequest(request, cached);

    // RFC 5861 §3: within the window, serve the stale response and revalidate in the background,
    // unless the request asks for something fresher than that.
    if (!fresh && mayServeStale
        && responseControl.staleWhileRevalidateSeconds() != -1
        && ageMillis - lifetimeMillis < responseControl.staleWhileRevalidateSeconds() * 1000L
        && !requestControl.noCache()
        && requestControl.maxAgeSeconds() == -1
        && requestControl.minFreshSeconds() == -1) {
      Request revalidation = conditional != null ? conditional : request;
      return new CacheStrategy(null, served(cached, freshness, nowMillis), null, revalidation,
          freshness.heuristic);
    }

    if (conditional == null) {
      return new CacheStrategy(request, null, staleIfError, null, freshness.heuristic);
    }
    return new CacheStrategy(conditional, cached, staleIfError, null, freshness.heuristic);
  }

  /** Returns the GET that {@code request} (a GET or a HEAD served from a stored GET) stands for. */
  private static Request storedGet(Request request) {
    return request.method().equals("GET") ? request : request.newBuilder().get().build();
  }

  /** Returns {@code request} with validators of {@code cached}, or null if it has none. */
  private static Request conditionalRequest(Request request, Response cached) {
    String etag = cached.header("ETag");
    if (etag != null) {
      return request.newBuilder().header("If-None-Match", etag).build();
    }
    String lastModified = cached.header("Last-Modified");
    if (lastModified != null && HttpDates.parse(lastModified) != null) {
      return request.newBuilder().header("If-Modified-Since", lastModified).build();
    }
    return null;
  }

  /** Returns {@code cached} as served now: with its current {@code Age} and any warnings. */
  private static Response served(Response cached, Freshness freshness, long nowMillis) {
    Headers.Builder headers = cached.headers().newBuilder();
    headers.set("Age", Long.toString(freshness.currentAgeMillis / 1000));
    if (freshness.currentAgeMillis >= freshness.lifetimeMillis) {
      headers.add("Warning", "110 - \"Response is Stale\"");
    }
    if (freshness.heuristic && freshness.currentAgeMillis > ONE_DAY_MILLIS) {
      headers.add("Warning", "113 - \"Heuristic Expiration\"");
    }
    return cached.newBuilder().headers(headers.build()).build();
  }

  /** The age and freshness lifetime of a stored response (RFC 9111 §4.2). */
  private static final class Freshness {
    final long currentAgeMillis;
    final long lifetimeMillis;
    final boolean heuristic;

    private Freshness(long currentAgeMillis, long lifetimeMillis, boolean heuristic) {
      this.currentAgeMillis = currentAgeMillis;
      this.lifetimeMillis = lifetimeMillis;
      this.heuristic = heuristic;
    }

    static Freshness of(Response cached, CacheControl control, long nowMillis) {
      long requestTime = cached.sentRequestAtMillis();
      long responseTime = cached.receivedResponseAtMillis();
      Instant date = parseDate(cached.header("Date"));
      long dateMillis = date != null ? date.toEpochMilli() : responseTime;

      long apparentAge = Math.max(0L, responseTime - dateMillis);
      long responseDelay = Math.max(0L, responseTime - requestTime);
      long correctedAgeValue = ageSeconds(cached.headers().values("Age")) * 1000L + responseDelay;
      long correctedInitialAge = Math.max(apparentAge, correctedAgeValue);
      long residentTime = Math.max(0L, nowMillis - responseTime);
      long currentAge = correctedInitialAge + residentTime;

      // s-maxage applies to shared caches only, so it is not consulted here.
      if (control.maxAgeSeconds() != -1) {
        return new Freshness(currentAge, control.maxAgeSeconds() * 1000L, false);
      }
      String expiresValue = cached.header("Expires");
      if (expiresValue != null) {
        Instant expires = HttpDates.parseStrict(expiresValue.trim());
        // An invalid Expires, such as "0" or a date in another zone, means already expired (RFC
        // 9111 §5.3).
        long lifetime = expires == null ? 0L : Math.max(0L, expires.toEpochMilli() - dateMillis);
        return new Freshness(currentAge, lifetime, false);
      }
      Instant lastModified = parseDate(cached.header("Last-Modified"));
      if (lastModified != null
          && isCacheableByDefault(cached.code())
          && cached.request().url().toString().indexOf('?') == -1) {
        long sinceModified = dateMillis - lastModified.toEpochMilli();
        return new Freshness(currentAge, Math.max(0L, sinceModified / 10), true);
      }
      return new Freshness(currentAge, 0L, false);
    }

    private static Instant parseDate(String value) {
      return value == null ? null : HttpDates.parse(value.trim());
    }

    /**
     * Returns the Age in seconds, 0 if absent or invalid, capped as RFC 9111 §1.2.2 says. Of a
     * repeated field or a list, the first value counts (RFC 9111 §5.1).
     */
    private static long ageSeconds(List<String> fieldLines) {
      if (fieldLines.isEmpty()) return 0L;
      String first = fieldLines.get(0);
      int comma = first.indexOf(',');
      String trimmed = (comma == -1 ? first : first.substring(0, comma)).trim();
      if (trimmed.isEmpty()) return 0L;
      long result = 0L;
      for (int i = 0; i < trimmed.length(); i++) {
        char c = trimmed.charAt(i);
        if (c < '0' || c > '9') return 0L;
        result = result * 10 + (c - '0');
        if (result > DELTA_SECONDS_CAP) return DELTA_SECONDS_CAP;
      }
      return result;
    }
  }
}
