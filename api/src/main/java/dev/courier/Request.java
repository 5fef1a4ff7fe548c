package dev.courier;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Describes an HTTP request: method, URL, headers and an optional body.
 *
 * <p>Instances are immutable and thread-safe, except that a body made by the caller is shared with
 * copies made by {@link #newBuilder()}.
 */
public final class Request {
  private final HttpUrl url;
  private final String method;
  private final Headers headers;
  private final RequestBody body;
  private final Map<Class<?>, Object> tags;
  private final Boolean retryable;
  // Parsed on first use; a race parses twice and keeps either, which are equal. Volatile because
  // CacheControl formats its header value lazily and is published here without a lock.
  private volatile CacheControl cacheControl;

  private Request(Builder builder) {
    this.url = builder.url;
    this.method = builder.method;
    this.headers = builder.builtHeaders();
    this.body = builder.body;
    this.tags = builder.builtTags();
    this.retryable = builder.retryable;
  }

  /** Returns the URL the request is sent to. */
  public HttpUrl url() {
    return url;
  }

  /** Returns the method, such as {@code GET}. */
  public String method() {
    return method;
  }

  /** Returns the headers the caller set; the chain adds more on the way to the network. */
  public Headers headers() {
    return headers;
  }

  /** Returns the last value of header {@code name}, or null. */
  public String header(String name) {
    return headers.get(name);
  }

  /**
   * Returns the request's {@code Cache-Control} directives (with {@code Pragma: no-cache} read as
   * {@code no-cache} when there is no {@code Cache-Control}); no directives if it has neither.
   */
  public CacheControl cacheControl() {
    CacheControl result = cacheControl;
    if (result == null) {
      result = CacheControl.parse(headers);
      cacheControl = result;
    }
    return result;
  }

  /** Returns the body, or null for methods such as GET that carry none. */
  public RequestBody body() {
    return body;
  }

  /** Returns true if this request's URL is {@code https}. */
  public boolean isHttps() {
    return url.isHttps();
  }

  /**
   * Returns true if this request may be sent again automatically after a failure that left it
   * unclear whether the server processed it (the connection dropped after the request was
   * written, say). Unless set with {@link Builder#retryable(boolean)}, that is true for the
   * idempotent methods of RFC 9110 §9.2.2 ({@code GET}, {@code HEAD}, {@code OPTIONS},
   * {@code TRACE}, {@code PUT}, {@code DELETE}) and for any request carrying an
   * {@code Idempotency-Key} header, and false otherwise ({@code POST}, {@code PATCH}, any other
   * method). A replayable body alone does not make a request retryable.
   *
   * <p>Requests the server provably did not process (a connect failure, HTTP/2 REFUSED_STREAM, a
   * stream above the last one a GOAWAY names) are resent whatever this returns, as long as their
   * body can be written again.
   */
  public boolean isRetryable() {
    if (retryable != null) {
      return retryable;
    }
    return isIdempotent(method) || headers.get("Idempotency-Key") != null;
  }

  /**
   * Returns true if {@code method} is idempotent by RFC 9110 §9.2.2: {@code GET}, {@code HEAD},
   * {@code OPTIONS}, {@code TRACE}, {@code PUT} and {@code DELETE}. Methods are case-sensitive.
   */
  public static boolean isIdempotent(String method) {
    switch (method) {
      case "GET": case "HEAD": case "OPTIONS": case "TRACE": case "PUT": case "DELETE":
        return true;
      default:
        return false;
    }
  }

  /** Returns the tag attached with {@code type} as its key, or null. */
  public <T> T tag(Class<T> type) {
    return type.cast(tags.get(type));
  }

  /** Returns a builder holding this request. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** Returns the method and redacted URL, for logs. */
  @Override
  public String toString() {
    return "Request{method=" + method + ", url=" + url.redact() + "}";
  }

  /** Builds {@link Request}s; not thread-safe. Defaults: method GET, no headers, no body. */
  public static final class Builder {
    private HttpUrl url;
    private String method = "GET";
    // Exactly one of these is set: headers given whole (or copied from a request) are kept as they
    // are, without copying, until the first change.
    private Headers headers = Headers.EMPTY;
    private Headers.Builder headersBuilder;
    private RequestBody body;
    // The tags of the request this builder was made from (immutable, so shared) until the first
    // change makes them a map of this builder's own.
    private Map<Class<?>, Object> tags = Map.of();
    private boolean ownTags;
    private Boolean retryable;

    /** Creates an empty builder; a URL must be set before {@link #build()}. */
    public Builder() {}

    private Builder(Request request) {
      this.url = request.url;
      this.method = request.method;
      this.headers = request.headers;
      this.body = request.body;
      this.tags = request.tags;
      this.retryable = request.retryable;
    }

    /** Sets the URL. */
    public Builder url(HttpUrl url) {
      if (url == null) {
        throw new NullPointerException("url == null");
      }
      this.url = url;
      return this;
    }

    /**
     * Sets the URL from a string. A WebSocket URL is accepted too: {@code ws:} becomes {@code
     * http:} and {@code wss:} becomes {@code https:}, as RFC 6455 §3 maps them.
     *
     * @throws IllegalArgumentException if {@code url} is not a valid http, https, ws or wss URL
     */
    public Builder url(String url) {
      if (url.regionMatches(true, 0, "ws:", 0, 3)) {
        url = "http:" + url.substring(3);
      } else if (url.regionMatches(true, 0, "wss:", 0, 4)) {
        url = "https:" + url.substring(4);
      }
      return url(HttpUrl.parse(url));
    }

    /** Replaces every value of {@code name} with {@code value}. */
    public Builder header(String name, String value) {
      headersBuilder().set(name, value);
      return this;
    }

    /** Adds a value of {@code name}, keeping any existing ones. */
    public Builder addHeader(String name, String value) {
      headersBuilder().add(name, value);
      return this;
    }

    /** Removes every value of {@code name}. */
    public Builder removeHeader(String name) {
      headersBuilder().removeAll(name);
      return this;
    }

    /** Replaces all headers; {@code headers} is kept as is, not copied. */
    public Builder headers(Headers headers) {
      this.headers = Objects.requireNonNull(headers, "headers == null");
      this.headersBuilder = null;
      return this;
    }

    private Headers.Builder headersBuilder() {
      if (headersBuilder == null) {
        headersBuilder = headers.newBuilder();
        headers = null;
      }
      return headersBuilder;
    }

    private Headers builtHeaders() {
      return headersBuilder != null ? headersBuilder.build() : headers;
    }

    /**
     * Sets the {@code Cache-Control} header to {@code cacheControl}, replacing any; directives
     * that are all absent remove the header.
     */
    public Builder cacheControl(CacheControl cacheControl) {
      String value = cacheControl.toString();
      return value.isEmpty() ? removeHeader("Cache-Control") : header("Cache-Control", value);
    }

    /** Makes this a GET request with no body. */
    public Builder get() {
      return method("GET", null);
    }

    /** Makes this a HEAD request with no body. */
    public Builder head() {
      return method("HEAD", null);
    }

    /** Makes this a POST request with {@code body}. */
    public Builder post(RequestBody body) {
      return method("POST", body);
    }

    /** Makes this a PUT request with {@code body}. */
    public Builder put(RequestBody body) {
      return method("PUT", body);
    }

    /** Makes this a PATCH request with {@code body}. */
    public Builder patch(RequestBody body) {
      return method("PATCH", body);
    }

    /** Makes this a DELETE request with no body. */
    public Builder delete() {
      return method("DELETE", null);
    }

    /**
     * Sets the method and body.
     *
     * @throws IllegalArgumentException if the method is empty or not a token, if GET or HEAD has a
     *     body, or if POST, PUT, PATCH, PROPPATCH or REPORT lacks one
     */
    public Builder method(String method, RequestBody body) {
      if (method == null || method.isEmpty()) {
        throw new IllegalArgumentException("method is empty");
      }
      for (int i = 0; i < method.length(); i++) {
        char c = method.charAt(i);
        if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) != -1) {
          throw new IllegalArgumentException("method is not a token: " + method);
        }
      }
      if (body != null && (method.equals("GET") || method.equals("HEAD"))) {
        throw new IllegalArgumentException("method " + method + " must not have a request body.");
      }
      if (body == null && requiresBody(method)) {
        throw new IllegalArgumentException("method " + method + " must have a request body.");
      }
      this.method = method;
      this.body = body;
      return this;
    }

    /** Attaches {@code tag} under {@code type}; a null tag removes it. */
    public <T> Builder tag(Class<? super T> type, T tag) {
      if (!ownTags) {
        tags = new LinkedHashMap<>(tags);
        ownTags = true;
      }
      if (tag == null) {
        tags.remove(type);
      } else {
        tags.put(type, type.cast(tag));
      }
      return this;
    }

    /**
     * Sets whether Courier may resend the request automatically after a failure that left it
     * unclear whether the server processed it, overriding the rule by method: {@code true} vouches
     * that the server copes with receiving it twice (as a {@code POST} designed to be idempotent
     * does), {@code false} forbids resending even a {@code GET} that has side effects. Requests the
     * server provably did not process are resent either way. Not set by default, which leaves the
     * decision to the method and the {@code Idempotency-Key} header, as
     * {@link Request#isRetryable()} describes. Resending also needs a body that can be written
     * again (not {@linkplain RequestBody#isOneShot() one-shot}) and
     * {@code retryOnConnectionFailure} on the client.
     */
    public Builder retryable(boolean retryable) {
      this.retryable = retryable;
      return this;
    }

    /**
     * Returns the request.
     *
     * @throws IllegalStateException if no URL was set
     */
    public Request build() {
      if (url == null) {
        throw new IllegalStateException("url == null");
      }
      return new Request(this);
    }

    private Map<Class<?>, Object> builtTags() {
      if (!ownTags) {
        return tags;
      }
      return tags.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    private static boolean requiresBody(String method) {
      return method.equals("POST") || method.equals("PUT") || method.equals("PATCH")
          || method.equals("PROPPATCH") || method.equals("REPORT");
    }
  }
}
