package dev.courier.benchmarks.jmh;

import dev.courier.Cookie;
import dev.courier.Headers;
import dev.courier.HttpUrl;
import dev.courier.http1.toolkit.HeadReader;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.ByteString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Measures Courier's hot parsers on realistic input: an HTTP/1.1 response head as nginx sends it,
 * URLs, and a Set-Cookie field. Average time per operation; JMH reports the error (99.9%
 * confidence) of each figure. HPACK decoding is {@code dev.courier.http2.internal.HpackDecodingBenchmark}.
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main 'dev.courier.(benchmarks.jmh|http2.internal)'}
 * (see docs/performance.md "Microbenchmarks").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ParserBenchmarks {
  /** A response head as nginx 1.22 sends it for a static file. */
  static final ByteString NGINX_HEAD = ByteString.encodeUtf8("HTTP/1.1 200 OK\r\n"
      + "Server: nginx/1.22.1\r\n"
      + "Date: Fri, 04 Dec 2026 23:59:59 GMT\r\n"
      + "Content-Type: application/octet-stream\r\n"
      + "Content-Length: 1024\r\n"
      + "Last-Modified: Fri, 04 Dec 2026 23:00:00 GMT\r\n"
      + "Connection: keep-alive\r\n"
      + "ETag: \"6750e0f0-400\"\r\n"
      + "Accept-Ranges: bytes\r\n"
      + "\r\n");

  static final String SIMPLE_URL = "https://www.example.com/api/v1/items";
  static final String COMPLEX_URL =
      "https://user@www.example.com:8443/api/v1/search%20results/items?q=caf%C3%A9&sort=name&page=2#top";
  static final HttpUrl COOKIE_URL = HttpUrl.parse("https://www.example.com/account/settings");
  static final String SET_COOKIE = "SID=31d4d96e407aad42; Path=/; Domain=example.com; Secure; HttpOnly; "
      + "Expires=Wed, 21 Oct 2037 07:28:00 GMT; SameSite=Lax";

  private final Buffer buffer = new Buffer();

  /** Parses the status line and header fields of {@link #NGINX_HEAD}. */
  @Benchmark
  public void http1ResponseHead(Blackhole blackhole) throws IOException {
    buffer.write(NGINX_HEAD);
    HeadReader reader = new HeadReader(buffer, "localhost:8443");
    blackhole.consume(reader.readStatusLine());
    Headers headers = reader.readHeaders();
    blackhole.consume(headers);
  }

  /** Parses a plain https URL with a path. */
  @Benchmark
  public HttpUrl urlSimple() {
    return HttpUrl.parse(SIMPLE_URL);
  }

  /** Parses a URL with user info, port, percent-encoded path and query, and a fragment. */
  @Benchmark
  public HttpUrl urlComplex() {
    return HttpUrl.parse(COMPLEX_URL);
  }

  /** Parses a Set-Cookie field with every common attribute, an expiry date among them. */
  @Benchmark
  public Cookie setCookie() {
    return Cookie.parse(COOKIE_URL, SET_COOKIE);
  }
}
