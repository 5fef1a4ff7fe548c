package dev.courier.chain.internal;

import dev.courier.Cookie;
import dev.courier.CookieJar;
import dev.courier.Headers;
import dev.courier.HttpUrl;
import dev.courier.MediaType;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.ResponseBody;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import okio.Okio;

/**
 * Turns the caller's request into a network request and the network response back into one for
 * the caller: adds {@code Host}, {@code Content-Type}, {@code Content-Length} (when the body's
 * length is known), {@code User-Agent} and cookies; saves cookies the response sets; and asks for
 * and transparently decompresses gzip when the caller did not choose an encoding or a range, except
 * on a call made to switch protocols (a WebSocket handshake), whose response has no body.
 *
 * <p>Connection-specific fields and message framing belong to the codec of the protocol the
 * connection speaks: the bridge adds neither {@code Connection} nor {@code Transfer-Encoding}. An
 * HTTP/1.1 codec sends a body of unknown length in chunked coding; an HTTP/2 codec frames it in
 * DATA frames and drops connection-specific fields (RFC 9113 §8.2.2).
 *
 * <p>Decompression stops with {@link dev.courier.DecompressedBodyTooLargeException} beyond
 * {@code maxDecompressedBodyBytes} decoded bytes. A response that has no body by its status or
 * method (HEAD, 1xx, 204, 304), or whose body is empty, is passed on as it is whatever its
 * {@code Content-Encoding} says: a 304's headers describe the stored representation, not bytes on
 * the wire.
 */
final class BridgeInterceptor implements BuiltInInterceptor {
  private final CookieJar cookieJar;
  private final String userAgent;
  private final long maxDecompressedBodyBytes;
  // The Host header of the origin called last: most clients call one origin over and over.
  private volatile HostHeader lastHostHeader;
  // The network headers of the bodiless request without cookies made last, and what they came
  // from: most calls of a client send the same headers again.
  private volatile NetworkHeaders lastNetworkHeaders;

  BridgeInterceptor(CookieJar cookieJar, String userAgent, long maxDecompressedBodyBytes) {
    this.cookieJar = cookieJar;
    this.userAgent = userAgent;
    this.maxDecompressedBodyBytes = maxDecompressedBodyBytes;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request userRequest = chain.request();
    HttpUrl url = userRequest.url();
    // Only when we asked for gzip do we own decompressing it; a caller who chose an encoding or a
    // byte range gets the bytes as sent. A call made to switch protocols (a WebSocket handshake)
    // asks for none: its final response hands over the connection and has no body to decode.
    boolean transparentGzip = userRequest.header("Accept-Encoding") == null
        && userRequest.header("Range") == null && !isForUpgrade(chain);
    String cookieHeader = null;
    if (cookieJar != CookieJar.NO_COOKIES) {
      List<Cookie> cookies = cookieJar.loadForRequest(url);
      if (!cookies.isEmpty()) {
        cookieHeader = cookieHeader(cookies);
      }
    }
    RequestBody body = userRequest.body();
    Headers networkHeaders = body == null && cookieHeader == null
        ? bodilessNetworkHeaders(userRequest, transparentGzip)
        : networkHeaders(userRequest, body, transparentGzip, cookieHeader);
    Request networkRequest = userRequest.newBuilder().headers(networkHeaders).build();

    Response networkResponse = chain instanceof RealInterceptorChain realChain
        ? realChain.proceedFromBridge(networkRequest, userRequest)
        : chain.proceed(networkRequest);

    if (cookieJar != CookieJar.NO_COOKIES) {
      List<Cookie> cookies = Cookie.parseAll(url, networkResponse.headers());
      if (!cookies.isEmpty()) {
        cookieJar.saveFromResponse(url, cookies);
      }
    }
    if (transparentGzip
        && "gzip".equalsIgnoreCase(networkResponse.header("Content-Encoding"))
        && promisesBody(networkResponse)
        && networkResponse.body() != null
        && networkResponse.body().contentLength() != 0L) {
      GzipBodySource gzipSource = new GzipBodySource(networkResponse.body().source(),
          maxDecompressedBodyBytes, peer(url));
      Headers strippedHeaders = networkResponse.headers().newBuilder()
          .removeAll("Content-Encoding")
          .removeAll("Content-Length")
          .build();
      String contentType = networkResponse.header("Content-Type");
      return networkResponse.newBuilder()
          .request(userRequest)
          .headers(strippedHeaders)
          .body(ResponseBody.create(Okio.buffer(gzipSource),
              contentType == null ? null : MediaType.parse(contentType), -1L))
          .build();
    }
    // The call-server step builds the response with the caller's request already when nothing
    // between it and this step sees the response.
    return networkResponse.request() == userRequest
        ? networkResponse
        : networkResponse.newBuilder().request(userRequest).build();
  }

  /**
   * Returns the headers of {@code userRequest}'s network request: its own with the framing
   * fields of {@code body} (if any), Host (unless it names one), Accept-Encoding if Courier asks
   * for gzip, Cookie if {@code cookieHeader} is not null, and User-Agent (unless it names one).
   */
  private Headers networkHeaders(Request userRequest, RequestBody body, boolean transparentGzip,
      String cookieHeader) throws IOException {
    Headers.Builder builder = userRequest.headers().newBuilder();
    if (body != null) {
      MediaType contentType = body.contentType();
      if (contentType != null) {
        builder.set("Content-Type", contentType.toString());
      }
      long contentLength = body.contentLength();
      if (contentLength != -1L) {
        builder.set("Content-Length", Long.toString(contentLength));
      } else {
        builder.removeAll("Content-Length");
      }
    }
    if (userRequest.header("Host") == null) {
      builder.set("Host", cachedHostHeader(userRequest.url()));
    }
    if (transparentGzip) {
      builder.set("Accept-Encoding", "gzip");
    }
    if (cookieHeader != null) {
      builder.set("Cookie", cookieHeader);
    }
    if (userRequest.header("User-Agent") == null) {
      builder.set("User-Agent", userAgent);
    }
    return builder.build();
  }

  /**
   * Returns {@link #networkHeaders} of {@code userRequest}, which has neither a body nor cookies
   * to send, so that they depend only on its headers, its Host value and whether gzip is asked
   * for. Most such requests of a client carry the same headers (often none) to the same origin,
   * so the headers made last are reused when they would come out the same.
   */
  private Headers bodilessNetworkHeaders(Request userRequest, boolean transparentGzip)
      throws IOException {
    Headers userHeaders = userRequest.headers();
    String host = userRequest.header("Host") == null ? cachedHostHeader(userRequest.url()) : null;
    NetworkHeaders last = lastNetworkHeaders;
    if (last != null && last.transparentGzip == transparentGzip
        && Objects.equals(last.host, host)
        && (last.userHeaders == userHeaders || last.userHeaders.equals(userHeaders))) {
      return last.networkHeaders;
    }
    Headers result = networkHeaders(userRequest, null, transparentGzip, null);
    lastNetworkHeaders = new NetworkHeaders(userHeaders, host, transparentGzip, result);
    return result;
  }

  private record NetworkHeaders(Headers userHeaders, String host, boolean transparentGzip,
      Headers networkHeaders) {}

  private static boolean isForUpgrade(Chain chain) {
    return chain.call() instanceof RealCall call && call.isForUpgrade();
  }

  private String cachedHostHeader(HttpUrl url) {
    HostHeader last = lastHostHeader;
    if (last != null && last.isHttps == url.isHttps() && last.port == url.port()
        && last.host.equals(url.host())) {
      return last.value;
    }
    String value = hostHeader(url);
    lastHostHeader = new HostHeader(url.isHttps(), url.host(), url.port(), value);
    return value;
  }

  private record HostHeader(boolean isHttps, String host, int port, String value) {}

  /** Returns the Host header for {@code url}: the host, bracketed if IPv6, and a non-default port. */
  static String hostHeader(HttpUrl url) {
    String host = url.host();
    if (host.indexOf(':') != -1) {
      host = "[" + host + "]";
    }
    int defaultPort = url.isHttps() ? 443 : 80;
    return url.port() == defaultPort ? host : host + ":" + url.port();
  }

  private static String cookieHeader(List<Cookie> cookies) {
    StringBuilder result = new StringBuilder();
    for (int i = 0; i < cookies.size(); i++) {
      if (i > 0) {
        result.append("; ");
      }
      Cookie cookie = cookies.get(i);
      result.append(cookie.name()).append('=').append(cookie.value());
    }
    return result.toString();
  }

  /**
   * Returns true if {@code response} may have a body by its method and status (RFC 9110 §6.4.1):
   * not for HEAD, 1xx, 204 and 304, whatever their framing headers claim. The codecs frame those
   * responses as bodiless too, so bytes a server sends after them are never read as a body.
   */
  static boolean promisesBody(Response response) {
    if (response.request().method().equals("HEAD")) {
      return false;
    }
    int code = response.code();
    return (code < 100 || code >= 200) && code != 204 && code != 304;
  }

  /** Returns {@code url}'s host and port for messages, such as {@code example.com:443}. */
  private static String peer(HttpUrl url) {
    String host = url.host();
    return host.indexOf(':') != -1 ? "[" + host + "]:" + url.port() : host + ":" + url.port();
  }

  @Override
  public String toString() {
    return "BridgeInterceptor";
  }
}
