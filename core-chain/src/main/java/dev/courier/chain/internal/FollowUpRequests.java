package dev.courier.chain.internal;

import dev.courier.Connection;
import dev.courier.HttpUrl;
import dev.courier.Request;
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
 * of its own; and says why, for {@link dev.courier.EventListener#followUpDecision}.
 *
 * <p>Redirects to another origin lose the caller's {@code Authorization}, {@code Cookie} and
 * {@code Proxy-Authorization} headers (the cookie jar is asked afresh for the new origin), and a
 * redirect from https to http is followed only if the client allows it. Thread-safe.
 */
final class FollowUpRequests {
  /** Headers that belong to one origin (or its proxy) and never follow a redirect away from it. */
  private static final String[] ORIGIN_CREDENTIALS = {"Authorization", "Cookie", "Proxy-Authorization"};

  private final CourierClient client;

  FollowUpRequests(CourierClient client) {
    this.client = client;
  }

  /** The request to send after a response, or null to return the response; and why. */
  record Decision(Request next, String reason) {
    /** A response that is not a candidate for a follow-up at all, such as a 200. */
    static final Decision FINAL = new Decision(null, null);

    static Decision stop(String reason) {
      return new Decision(null, reason);
    }

    /** Returns true if the decision is worth an event: the response could have been followed. */
    boolean considered() {
      return reason != null;
    }
  }

  /**
   * Returns the request to send after {@code response}, or a decision with no request if the
   * response is final.
   *
   * @param route the route the response came over, or null if it did not come from the network
   * @throws ProtocolException if a proxy challenge (407) came without a proxy
   */
  Decision followUp(Response response, Route route) throws IOException {
    Decision decision = decide(response, route);
    Request next = decision.next();
    if (next != null && next.body() != null && next.body().isOneShot()) {
      return Decision.stop(decision.reason() + "; not sent: its one-shot body cannot be written again");
    }
    return decision;
  }

  private Decision decide(Response response, Route route) throws IOException {
    int code = response.code();
    String method = response.request().method();
    switch (code) {
      case 407: {
        Proxy proxy = route != null ? route.proxy() : client.proxy();
        if (proxy == null || proxy.type() != Proxy.Type.HTTP) {
          throw new ProtocolException("Received HTTP 407 (proxy authentication required) from "
              + response.request().url().host() + " while not using an HTTP proxy");
        }
        Request answer = client.proxyAuthenticator().authenticate(route, response);
        return answer != null ? new Decision(answer, "proxy authentication challenge (407) answered")
            : Decision.stop("proxy authentication challenge (407) not answered by the proxy authenticator");
      }
      case 401: {
        Request answer = client.authenticator().authenticate(route, response);
        return answer != null ? new Decision(answer, "authentication challenge (401) answered")
            : Decision.stop("authentication challenge (401) not answered by the authenticator");
      }
      case 300: case 301: case 302: case 303: case 307: case 308:
        return redirect(response, method);
      case 408: {
        // Request Timeout: the server gave up waiting for the request; send it once more.
        if (!client.retryOnConnectionFailure()) {
          return Decision.stop("request timeout (408) not retried: retryOnConnectionFailure is off");
        }
        Response prior = response.priorResponse();
        if (prior != null && prior.code() == 408) {
          return Decision.stop("request timeout (408) twice in a row");
        }
        if (retryAfterSeconds(response, 0) > 0) {
          return Decision.stop("request timeout (408) asks to wait (Retry-After)");
        }
        return new Decision(response.request(), "request timeout (408): the server did not get the whole request; sending it once more");
      }
      case 421: {
        // Misdirected Request: a connection made for another host was shared (coalesced) and the
        // server will not answer for this one on it. Send it once more, on a connection of its own.
        Response prior = response.priorResponse();
        if (!wasCoalesced(response)) {
          return Decision.stop("misdirected request (421) on a connection of its own");
        }
        if (prior != null && prior.code() == 421) {
          return Decision.stop("misdirected request (421) twice in a row");
        }
        return new Decision(response.request(), "misdirected request (421) on a shared connection; resending on a connection of its own");
      }
      case 503: {
        // Service Unavailable: retry only if the server says it may be retried at once.
        Response prior = response.priorResponse();
        if (prior != null && prior.code() == 503) {
          return Decision.stop("service unavailable (503) twice in a row");
        }
        if (retryAfterSeconds(response, Integer.MAX_VALUE) == 0) {
          return new Decision(response.request(), "service unavailable (503) with Retry-After: 0; sending it once more");
        }
        return Decision.stop("service unavailable (503) without Retry-After: 0");
      }
      default:
        return Decision.FINAL;
    }
  }

  /** Returns true if {@code response} came over a connection that was made for another host. */
  static boolean wasCoalesced(Response response) {
    Connection connection = response.connection();
    return connection != null
        && !connection.route().address().host().equals(response.request().url().host());
  }

  private Decision redirect(Response response, String method) {
    int code = response.code();
    if (!client.followRedirects()) {
      return Decision.stop("redirect (" + code + ") not followed: followRedirects is off");
    }
    String location = response.header("Location");
    if (location == null) {
      return Decision.stop("redirect (" + code + ") without a Location header");
    }
    Request request = response.request();
    HttpUrl url = request.url().resolve(location);
    if (url == null) {
      // A location we cannot parse, or a scheme other than http and https.
      return Decision.stop("redirect (" + code + ") to a location that is not an http or https URL");
    }
    if (request.url().isHttps() && !url.isHttps() && !client.followSslRedirects()) {
      return Decision.stop("redirect (" + code + ") from https to " + url.redact()
          + " not followed: followSslRedirects is off");
    }

    Request.Builder builder = request.newBuilder();
    if (CallServerInterceptor.permitsRequestBody(method)) {
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
    // Credentials and cookies are for the origin that was given them, never for another one; the
    // cookie jar decides afresh which cookies the new origin gets.
    if (!sameOrigin(request.url(), url)) {
      for (String name : ORIGIN_CREDENTIALS) {
        builder.removeHeader(name);
      }
    }
    return new Decision(builder.url(url).build(), "redirect (" + code + ") to " + url.redact());
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
