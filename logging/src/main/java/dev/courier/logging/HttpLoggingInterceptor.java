package dev.courier.logging;

import dev.courier.Connection;
import dev.courier.Headers;
import dev.courier.HttpUrl;
import dev.courier.Interceptor;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.ResponseBody;
import dev.courier.logging.internal.LoggingRequestBody;
import dev.courier.logging.internal.LoggingResponseBody;
import java.io.IOException;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Logs HTTP requests and responses: their first lines, headers and bodies, as much as its {@link
 * Level} asks for.
 *
 * <p>Add it with {@code addInterceptor} to see each call once as the application made it, or with
 * {@code addNetworkInterceptor} to see every exchange on the wire: redirects, retries, the headers
 * Courier adds ({@code Host}, {@code Accept-Encoding}, cookies), the protocol, and bodies as sent
 * (a gzip-encoded response is decoded for the log and noted as such).
 *
 * <p>Bodies are logged from a copy of the bytes as they pass, never by reading them ahead: the
 * application reads the whole response body as it would without logging, a response streams as it
 * arrives, and a request body is written once per transmission (a one-shot body is not read twice;
 * a duplex body is not logged). At most {@link Builder#maxBodyBytes(long)} bytes of a body are held;
 * a longer body, a binary one and one in an encoding other than gzip are summarised by their byte
 * count and content type instead of printed. A response body is logged when the application has
 * read it to the end or closed it.
 *
 * <p>The values of {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie} and {@code
 * Set-Cookie} are replaced by {@code <redacted>} unless configured otherwise. URLs are logged
 * without user name and password. Bodies are logged as they are: do not use {@link Level#BODY} where
 * bodies hold secrets.
 *
 * <p>Messages go to a {@link System.Logger} named {@code dev.courier.logging.HttpLoggingInterceptor}
 * at {@code INFO} unless another logger or a sink is given. Instances are immutable and
 * thread-safe.
 */
public final class HttpLoggingInterceptor implements Interceptor {
  /** Says how much to log. */
  public enum Level {
    /** Logs nothing. */
    NONE,
    /**
     * Logs the request line and the response line with the body sizes, e.g. {@code --> POST
     * https://example.com/upload (3-byte body)} and {@code <-- 200 OK https://example.com/upload
     * (22ms, 6-byte body)}.
     */
    BASIC,
    /** Logs what {@link #BASIC} does and the request and response headers. */
    HEADERS,
    /** Logs what {@link #HEADERS} does and the bodies. */
    BODY
  }

  /** The default limit on the bytes of a body that are held and printed: 64 KiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;

  /** The headers whose values are redacted by default. */
  public static final Set<String> DEFAULT_REDACTED_HEADERS =
      Set.of("Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie");

  private final Level level;
  private final Consumer<String> sink;
  private final Set<String> redactedHeaders;
  private final long maxBodyBytes;

  private HttpLoggingInterceptor(Builder builder) {
    this.level = builder.level;
    this.sink = builder.sink;
    TreeSet<String> redacted = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    redacted.addAll(builder.redactedHeaders);
    this.redactedHeaders = Collections.unmodifiableSet(redacted);
    this.maxBodyBytes = builder.maxBodyBytes;
  }

  /** Returns an interceptor logging at {@code level} to the {@link System.Logger}, with the other defaults. */
  public static HttpLoggingInterceptor create(Level level) {
    return builder().level(level).build();
  }

  /** Returns a builder with the defaults: {@link Level#BASIC}, the System.Logger, the default redactions. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this interceptor's settings. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** Returns the level. */
  public Level level() {
    return level;
  }

  /** Returns the names of the headers whose values are redacted, compared case-insensitively. */
  public Set<String> redactedHeaders() {
    return redactedHeaders;
  }

  /** Returns the most bytes of a body that are held and printed. */
  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (level == Level.NONE) {
      return chain.proceed(request);
    }
    boolean logHeaders = level.compareTo(Level.HEADERS) >= 0;
    boolean logBody = level == Level.BODY;
    RequestBody body = request.body();
    Connection connection = chain.connection();

    StringBuilder requestLine = new StringBuilder("--> ").append(request.method()).append(' ')
        .append(loggable(request.url()));
    if (connection != null) {
      requestLine.append(' ').append(connection.protocol());
    }
    if (!logHeaders && body != null) {
      requestLine.append(" (").append(size(body.contentLength())).append(" body)");
    }
    sink.accept(requestLine.toString());

    Request sent = request;
    if (logHeaders) {
      if (body != null) {
        if (body.contentType() != null && request.header("Content-Type") == null) {
          sink.accept("Content-Type: " + body.contentType());
        }
        if (body.contentLength() != -1L && request.header("Content-Length") == null) {
          sink.accept("Content-Length: " + body.contentLength());
        }
      }
      logHeaders(request.headers());
      String end = "--> END " + request.method();
      if (body == null || !logBody) {
        sink.accept(end);
      } else if (body.isDuplex()) {
        sink.accept(end + " (duplex body omitted)");
      } else {
        sent = request.newBuilder()
            .method(request.method(), new LoggingRequestBody(body, end, request.header("Content-Encoding"),
                maxBodyBytes, sink))
            .build();
      }
    }

    long startNs = System.nanoTime();
    Response response;
    try {
      response = chain.proceed(sent);
    } catch (IOException | RuntimeException e) {
      sink.accept("<-- HTTP FAILED: " + e);
      throw e;
    }
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);

    ResponseBody responseBody = response.body();
    long contentLength = responseBody.contentLength();
    StringBuilder statusLine = new StringBuilder("<-- ").append(response.code());
    if (!response.message().isEmpty()) {
      statusLine.append(' ').append(response.message());
    }
    statusLine.append(' ').append(loggable(response.request().url())).append(" (").append(tookMs).append("ms");
    if (!logHeaders) {
      statusLine.append(", ").append(size(contentLength)).append(" body");
    }
    sink.accept(statusLine.append(')').toString());
    if (!logHeaders) {
      return response;
    }
    logHeaders(response.headers());
    if (!logBody || !hasBody(response)) {
      sink.accept("<-- END HTTP");
      return response;
    }
    if (contentLength == 0L) {
      sink.accept("<-- END HTTP (0-byte body)");
      return response;
    }
    ResponseBody logging = new LoggingResponseBody(responseBody, "<-- END HTTP", response.header("Content-Encoding"),
        maxBodyBytes, sink);
    return response.newBuilder().body(logging).build();
  }

  private void logHeaders(Headers headers) {
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      sink.accept(name + ": " + (redactedHeaders.contains(name) ? "<redacted>" : headers.value(i)));
    }
  }

  /** Returns true unless the response to this method and code never has a body (RFC 9110 §6.4.1). */
  private static boolean hasBody(Response response) {
    int code = response.code();
    return !response.request().method().equals("HEAD") && code != 204 && code != 304 && (code < 100 || code >= 200);
  }

  private static String size(long contentLength) {
    return contentLength == -1L ? "unknown-length" : contentLength + "-byte";
  }

  /** Returns {@code url} without its user name and password, which are secrets. */
  private static String loggable(HttpUrl url) {
    if (url.encodedUsername().isEmpty() && url.encodedPassword().isEmpty()) {
      return url.toString();
    }
    return url.newBuilder().username("").password("").build().toString();
  }

  @Override
  public String toString() {
    return "HttpLoggingInterceptor{" + level + "}";
  }

  /** Builds {@link HttpLoggingInterceptor}s; not thread-safe. */
  public static final class Builder {
    private Level level = Level.BASIC;
    private Consumer<String> sink;
    private Set<String> redactedHeaders = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;

    private Builder() {
      redactedHeaders.addAll(DEFAULT_REDACTED_HEADERS);
      logger(System.getLogger(HttpLoggingInterceptor.class.getName()), System.Logger.Level.INFO);
    }

    private Builder(HttpLoggingInterceptor interceptor) {
      this.level = interceptor.level;
      this.sink = interceptor.sink;
      this.redactedHeaders.addAll(interceptor.redactedHeaders);
      this.maxBodyBytes = interceptor.maxBodyBytes;
    }

    /** Sets how much to log. Default {@link Level#BASIC}. */
    public Builder level(Level level) {
      this.level = Objects.requireNonNull(level, "level");
      return this;
    }

    /**
     * Sends every message to {@code logger} at {@code level}, replacing any sink. Default: the
     * {@link System.Logger} named {@code dev.courier.logging.HttpLoggingInterceptor}, at {@code
     * INFO}.
     */
    public Builder logger(System.Logger logger, System.Logger.Level level) {
      Objects.requireNonNull(logger, "logger");
      Objects.requireNonNull(level, "level");
      this.sink = message -> logger.log(level, message);
      return this;
    }

    /**
     * Sends every message to {@code sink} instead of a logger: one call per line, except that a
     * body is one message. The sink is called from the threads that run calls and read bodies, and
     * must be thread-safe.
     */
    public Builder sink(Consumer<String> sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /** Adds {@code name} to the headers whose values are redacted. */
    public Builder redactHeader(String name) {
      redactedHeaders.add(Objects.requireNonNull(name, "name"));
      return this;
    }

    /**
     * Replaces the headers whose values are redacted; an empty set logs every value. Default
     * {@link #DEFAULT_REDACTED_HEADERS}.
     */
    public Builder redactedHeaders(Set<String> names) {
      TreeSet<String> replacement = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
      replacement.addAll(names);
      this.redactedHeaders = replacement;
      return this;
    }

    /**
     * Sets the most bytes of a body that are held and printed; a longer body is summarised.
     * Default {@link #DEFAULT_MAX_BODY_BYTES}.
     *
     * @throws IllegalArgumentException if {@code maxBodyBytes} is negative
     */
    public Builder maxBodyBytes(long maxBodyBytes) {
      if (maxBodyBytes < 0) {
        throw new IllegalArgumentException("maxBodyBytes < 0: " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** Returns the interceptor. */
    public HttpLoggingInterceptor build() {
      return new HttpLoggingInterceptor(this);
    }
  }
}
