package dev.courier;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Holds an HTTP response: status, headers, body, and where it came from.
 *
 * <p>The body is a one-shot stream that holds the connection until it is consumed or closed;
 * close every response you do not read to the end. Everything but the body is immutable.
 * Responses returned as {@link #networkResponse()}, {@link #cacheResponse()} and
 * {@link #priorResponse()} have empty bodies.
 */
public final class Response implements Closeable {
  /** Supplies the trailers of a response once its body has been read. */
  @FunctionalInterface
  public interface TrailersSource {
    /** Supplies no trailers. */
    TrailersSource EMPTY = new TrailersSource() { // Not a lambda: no class to spin on a first call.
      @Override
      public Headers get() {
        return Headers.EMPTY;
      }
    };

    /**
     * Returns the trailers.
     *
     * @throws IOException if the body has not been read to the end, or the trailers failed to arrive
     */
    Headers get() throws IOException;
  }

  private final Request request;
  private final Protocol protocol;
  private final int code;
  private final String message;
  private final Handshake handshake;
  private final Headers headers;
  private final ResponseBody body;
  private final Response networkResponse;
  private final Response cacheResponse;
  private final Response priorResponse;
  private final long sentRequestAtMillis;
  private final long receivedResponseAtMillis;
  private final TrailersSource trailersSource;
  private final Connection connection;
  // Parsed on first use; a race parses twice and keeps either, which are equal. Volatile because
  // CacheControl formats its header value lazily and is published here without a lock.
  private volatile CacheControl cacheControl;

  private Response(Builder builder) {
    this.request = builder.request;
    this.protocol = builder.protocol;
    this.code = builder.code;
    this.message = builder.message;
    this.handshake = builder.handshake;
    this.headers = builder.builtHeaders();
    this.body = builder.body == null ? ResponseBody.empty() : builder.body;
    this.networkResponse = builder.networkResponse;
    this.cacheResponse = builder.cacheResponse;
    this.priorResponse = builder.priorResponse;
    this.sentRequestAtMillis = builder.sentRequestAtMillis;
    this.receivedResponseAtMillis = builder.receivedResponseAtMillis;
    this.trailersSource = builder.trailersSource;
    this.connection = builder.connection;
  }

  /** Returns the request that produced this response; after redirects, the last one sent. */
  public Request request() {
    return request;
  }

  /** Returns the protocol the response arrived over. */
  public Protocol protocol() {
    return protocol;
  }

  /** Returns the status code, such as 200. */
  public int code() {
    return code;
  }

  /** Returns the reason phrase; empty for HTTP/2. */
  public String message() {
    return message;
  }

  /** Returns true if the code is in [200..300). */
  public boolean isSuccessful() {
    return code >= 200 && code < 300;
  }

  /** Returns true if the code is 300, 301, 302, 303, 307 or 308. */
  public boolean isRedirect() {
    switch (code) {
      case 300: case 301: case 302: case 303: case 307: case 308:
        return true;
      default:
        return false;
    }
  }

  /** Returns the TLS handshake of the connection, or null for cleartext. */
  public Handshake handshake() {
    return handshake;
  }

  /** Returns the response headers. */
  public Headers headers() {
    return headers;
  }

  /** Returns the last value of header {@code name}, or null. */
  public String header(String name) {
    return headers.get(name);
  }

  /** Returns the last value of header {@code name}, or {@code defaultValue}. */
  public String header(String name, String defaultValue) {
    String value = headers.get(name);
    return value == null ? defaultValue : value;
  }

  /** Returns the body; never null, empty if the response has none. */
  public ResponseBody body() {
    return body;
  }

  /**
   * Returns up to {@code byteCount} bytes of the body as a body of their own, without consuming
   * them: {@link #body()} still reads from where it stood (the first byte, unless some was read
   * already). The copy is in memory and needs no closing; it has the body's content type and its
   * own length. Reading ahead holds the peeked bytes in memory twice, so keep {@code byteCount}
   * modest (a log line, a sniffed prefix).
   *
   * @throws IllegalArgumentException if {@code byteCount} is negative
   * @throws IOException if reading the body fails, such as a body that ends before its declared
   *     length (the codec's exception, naming the server)
   * @throws IllegalStateException if the body was closed
   */
  public ResponseBody peekBody(long byteCount) throws IOException {
    if (byteCount < 0) {
      throw new IllegalArgumentException("byteCount < 0: " + byteCount);
    }
    BufferedSource peeked = body.source().peek();
    peeked.request(byteCount);
    Buffer copy = new Buffer();
    copy.write(peeked, Math.min(byteCount, peeked.getBuffer().size()));
    return ResponseBody.create(copy, body.contentType(), copy.size());
  }

  /**
   * Returns the authentication challenges of a 401 response's {@code WWW-Authenticate} fields or
   * a 407 response's {@code Proxy-Authenticate} fields (RFC 9110 §11.6), in the order sent; empty
   * for any other code. Several fields, and several challenges in one field, are all read;
   * challenges that break the grammar are skipped, never thrown.
   */
  public List<Challenge> challenges() {
    String field;
    if (code == 401) {
      field = "WWW-Authenticate";
    } else if (code == 407) {
      field = "Proxy-Authenticate";
    } else {
      return List.of();
    }
    return List.copyOf(ChallengeParser.parse(headers, field));
  }

  /**
   * Returns the response's {@code Cache-Control} directives (with {@code Pragma: no-cache} read as
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

  /**
   * Returns the trailers that followed the body.
   *
   * @throws IOException if the body has not yet been read to the end
   */
  public Headers trailers() throws IOException {
    return trailersSource.get();
  }

  /** Returns the raw response from the network, or null if the cache answered alone. */
  public Response networkResponse() {
    return networkResponse;
  }

  /** Returns the stored response the cache used, or null if the cache was not involved. */
  public Response cacheResponse() {
    return cacheResponse;
  }

  /** Returns the redirect or authentication challenge response that led to this one, or null. */
  public Response priorResponse() {
    return priorResponse;
  }

  /** Returns the wall-clock time at which the request headers were sent. */
  public long sentRequestAtMillis() {
    return sentRequestAtMillis;
  }

  /** Returns the wall-clock time at which the response headers were received. */
  public long receivedResponseAtMillis() {
    return receivedResponseAtMillis;
  }

  /** Returns the connection the response arrived on, or null if it did not come from the network. */
  public Connection connection() {
    return connection;
  }

  /** Returns a builder holding this response, body included. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** Closes the body. */
  @Override
  public void close() {
    body.close();
  }

  @Override
  public String toString() {
    return "Response{protocol=" + protocol + ", code=" + code + ", message=" + message
        + ", url=" + request.url().redact() + "}";
  }

  /** Builds {@link Response}s; not thread-safe. */
  public static final class Builder {
    private Request request;
    private Protocol protocol;
    private int code = -1;
    private String message = "";
    private Handshake handshake;
    // Exactly one of these is set: headers given whole are kept as they are, without copying, until
    // a single header is changed.
    private Headers headers = Headers.EMPTY;
    private Headers.Builder headersBuilder;
    private ResponseBody body;
    private Response networkResponse;
    private Response cacheResponse;
    private Response priorResponse;
    private long sentRequestAtMillis;
    private long receivedResponseAtMillis;
    private TrailersSource trailersSource = TrailersSource.EMPTY;
    private Connection connection;

    /** Creates an empty builder; request, protocol and code are required. */
    public Builder() {}

    private Builder(Response response) {
      this.request = response.request;
      this.protocol = response.protocol;
      this.code = response.code;
      this.message = response.message;
      this.handshake = response.handshake;
      this.headers = response.headers;
      this.body = response.body;
      this.networkResponse = response.networkResponse;
      this.cacheResponse = response.cacheResponse;
      this.priorResponse = response.priorResponse;
      this.sentRequestAtMillis = response.sentRequestAtMillis;
      this.receivedResponseAtMillis = response.receivedResponseAtMillis;
      this.trailersSource = response.trailersSource;
      this.connection = response.connection;
    }

    /** Sets the request. */
    public Builder request(Request request) {
      this.request = request;
      return this;
    }

    /** Sets the protocol. */
    public Builder protocol(Protocol protocol) {
      this.protocol = protocol;
      return this;
    }

    /** Sets the status code. */
    public Builder code(int code) {
      this.code = code;
      return this;
    }

    /** Returns the status code set so far, or -1. */
    public int code() {
      return code;
    }

    /** Sets the reason phrase. */
    public Builder message(String message) {
      this.message = message;
      return this;
    }

    /** Sets the TLS handshake. */
    public Builder handshake(Handshake handshake) {
      this.handshake = handshake;
      return this;
    }

    /** Replaces every value of {@code name}. */
    public Builder header(String name, String value) {
      mutableHeaders().set(name, value);
      return this;
    }

    /** Adds a value of {@code name}. */
    public Builder addHeader(String name, String value) {
      mutableHeaders().add(name, value);
      return this;
    }

    /** Removes every value of {@code name}. */
    public Builder removeHeader(String name) {
      mutableHeaders().removeAll(name);
      return this;
    }

    /** Replaces all headers; {@code headers} is kept as is, not copied. */
    public Builder headers(Headers headers) {
      this.headers = java.util.Objects.requireNonNull(headers, "headers == null");
      this.headersBuilder = null;
      return this;
    }

    private Headers.Builder mutableHeaders() {
      if (headersBuilder == null) {
        headersBuilder = headers.newBuilder();
        headers = null;
      }
      return headersBuilder;
    }

    private Headers builtHeaders() {
      return headersBuilder != null ? headersBuilder.build() : headers;
    }

    /** Sets the body; null means empty. */
    public Builder body(ResponseBody body) {
      this.body = body;
      return this;
    }

    /** Sets the network response, which should have an empty body. */
    public Builder networkResponse(Response networkResponse) {
      this.networkResponse = networkResponse;
      return this;
    }

    /** Sets the cache response, which should have an empty body. */
    public Builder cacheResponse(Response cacheResponse) {
      this.cacheResponse = cacheResponse;
      return this;
    }

    /** Sets the prior response, which should have an empty body. */
    public Builder priorResponse(Response priorResponse) {
      this.priorResponse = priorResponse;
      return this;
    }

    /** Sets when the request headers were sent. */
    public Builder sentRequestAtMillis(long sentRequestAtMillis) {
      this.sentRequestAtMillis = sentRequestAtMillis;
      return this;
    }

    /** Sets when the response headers were received. */
    public Builder receivedResponseAtMillis(long receivedResponseAtMillis) {
      this.receivedResponseAtMillis = receivedResponseAtMillis;
      return this;
    }

    /** Sets where trailers come from. */
    public Builder trailers(TrailersSource trailersSource) {
      this.trailersSource = trailersSource;
      return this;
    }

    /** Sets the connection the response arrived on. */
    public Builder connection(Connection connection) {
      this.connection = connection;
      return this;
    }

    /**
     * Returns the response.
     *
     * @throws IllegalStateException if request, protocol or code is missing, or the code is negative
     */
    public Response build() {
      if (request == null) {
        throw new IllegalStateException("request == null");
      }
      if (protocol == null) {
        throw new IllegalStateException("protocol == null");
      }
      if (code < 0) {
        throw new IllegalStateException("code < 0: " + code);
      }
      if (message == null) {
        throw new IllegalStateException("message == null");
      }
      return new Response(this);
    }
  }
}
