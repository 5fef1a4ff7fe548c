package dev.courier.chain.internal;

import dev.courier.Connection;
import dev.courier.HttpUrl;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.Route;
import dev.courier.chain.CourierClient;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.Proxy;

/**
 * Decides the request that follows a response: a redirect (3xx with {@code Location}), an answer
 * to an authentication challenge (401, 407), or a retry of a request the server asked to resend
 * (408, 503 with {@code Retry-After: 0}), or a misdirected request (421) to resend on a connection
 * of its own. Thread-safe.
 */
final class FollowUpRequests {
  private final CourierClient client;

  FollowUpRequests(CourierClient client) {
    this.client = client;
  }

  /**
   * Returns the request to send after {@code response}, or null if the response is final.
   *
   * @param route the route the response came over, or null if it did not come from the network
   * @throws ProtocolException if a proxy challenge (407) came without a proxy
   */
  Request followUpRequest(Response response, Route route) throws IOException {
    int code = response.code();
    String method = response.request().method();
    switch (code) {
      case 407: {
        Proxy proxy = route != null ? route.proxy() : client.proxy();
        if (proxy == null || proxy.type() != Proxy.Type.HTTP) {
          throw new ProtocolException("Received HTTP 407 (proxy authentication required) from "
              + response.request().url().host() + " while not using an HTTP proxy");
        }
        return client.proxyAuthenticator().authenticate(route, response);
      }
      case 401:
        return client.authenticator().authenticate(route, response);
      case 300: case 301: case 302: case 303: case 307: case 308:
        return redirect(response, method);
      case 408: {
        // Request Timeout: the server gave up waiting for the request; send it once more.
        if (!client.retryOnConnectionFailure()) {
          return null;
        }
        RequestBody body = response.request().body();
        if (body != null && body.isOneShot()) {
          return null;
        }
        Response prior = response.priorResponse();
        if (prior != null && prior.code() == 408) {
          return null;
        }
        if (retryAfterSeconds(response, 0) > 0) {
          return null;
        }
        return response.request();
      }
      case 421: {
        // Misdirected Request: a connection made for another host was shared (coalesced) and the
        // server will not answer for this one on it. Send it once more, on a connection of its own.
        Response prior = response.priorResponse();
        if (!wasCoalesced(response) || (prior != null && prior.code() == 421)) {
          return null;
        }
        RequestBody body = response.request().body();
        return body != null && body.isOneShot() ? null : response.request();
      }
      case 503: {
        // Service Unavailable: retry only if the server says it may be retried at once.
        Response prior = response.priorResponse();
        if (prior != null && prior.code() == 503) {
          return null;
        }
        if (retryAfterSeconds(response, Integer.MAX_VALUE) == 0) {
          return response.request();
        }
        return null;
      }
      default:
        return null;
    }
  }

  /** Returns true if {@code response} came over a connection that was made for another host. */
  static boolean wasCoalesced(Response response) {
    Connection connection = response.connection();
    return connection != null
        && !connection.route().address().host().equals(response.request().url().host());
  }

  private Request redirect(Response response, String method) {
    if (!client.followRedirects()) {
      return null;
    }
    String location = response.header("Location");
    if (location == null) {
      return null;
    }
    Request request = response.request();
    HttpUrl url = request.url().resolve(location);
    if (url == null) {
      // A location we cannot parse, or a scheme other than http and https.
      return null;
    }
    if (request.url().isHttps() && !url.isHttps() && !client.followSslRedirects()) {
      return null;
    }

    Request.Builder builder = request.newBuilder();
    if (CallServerInterceptor.permitsRequestBody(method)) {
      int code = response.code();
      boolean keepsMethod = code == 307 || code == 308 || method.equals("PROPFIND");
      if (keepsMethod) {
        builder.method(method, request.body());
      } else {
        builder.method("GET", null);
        builder.removeHeader("Transfer-Encoding");
        builder.removeHeader("Content-Length");
        builder.removeHeader("Content-Type");
      }
    }
    // Credentials are for the host that asked for them, never for another origin.
    if (!sameOrigin(request.url(), url)) {
      builder.removeHeader("Authorization");
    }
    return builder.url(url).build();
  }

  private static boolean sameOrigin(HttpUrl a, HttpUrl b) {
    return a.host().equals(b.host()) && a.port() == b.port() && a.isHttps() == b.isHttps();
  }

  /** Returns the {@code Retry-After} delay in seconds; a date counts as later than any number. */
  private static int retryAfterSeconds(Response response, int defaultDelay) {
    String header = response.header("Retry-After");
    if (header == null) {
      return defaultDelay;
    }
    if (header.isEmpty() || header.length() > 9) {
      return Integer.MAX_VALUE;
    }
    int result = 0;
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      if (c < '0' || c > '9') {
        return Integer.MAX_VALUE;
      }
      result = result * 10 + (c - '0');
    }
    return result;
  }
}
