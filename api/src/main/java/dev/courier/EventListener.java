package dev.courier;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.List;

/**
 * Receives events for every step of a call: DNS, connecting, TLS, acquiring a pooled connection,
 * writing the request, reading the response, caching, and failures. Override what you need; each
 * method does nothing by default.
 *
 * <p>Events of one call arrive in order on the threads that run it. Methods must be fast and must
 * not throw; a listener shared by several calls must be thread-safe.
 */
public abstract class EventListener {
  /** Ignores every event. */
  public static final EventListener NONE = new EventListener() {};

  /** Creates listeners, one per call. */
  @FunctionalInterface
  public interface Factory {
    /** Returns the listener for {@code call}. */
    EventListener create(Call call);
  }

  /** Returns a factory that gives every call this listener. */
  public final Factory asFactory() {
    return new Factory() {
      @Override
      public EventListener create(Call call) {
        return EventListener.this;
      }
    };
  }

  /** Called as the call starts, once per execute or enqueue. */
  public void callStart(Call call) {}

  /** Called before a proxy selector is asked about {@code url}. */
  public void proxySelectStart(Call call, HttpUrl url) {}

  /** Called with the proxies chosen for {@code url}, in the order they will be tried. */
  public void proxySelectEnd(Call call, HttpUrl url, List<Proxy> proxies) {}

  /** Called before {@code domainName} is resolved. */
  public void dnsStart(Call call, String domainName) {}

  /** Called with the addresses {@code domainName} resolved to. */
  public void dnsEnd(Call call, String domainName, List<InetAddress> addresses) {}

  /** Called before a TCP connection to {@code address} is opened, through {@code proxy}. */
  public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {}

  /** Called before the TLS handshake starts. */
  public void secureConnectStart(Call call) {}

  /** Called after the TLS handshake succeeds. */
  public void secureConnectEnd(Call call, Handshake handshake) {}

  /** Called when a connection is established and its protocol known. */
  public void connectEnd(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {}

  /** Called when connecting to {@code address} failed; another route may be tried next. */
  public void connectFailed(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol,
      IOException failure) {}

  /** Called when the call takes a connection, new or pooled. */
  public void connectionAcquired(Call call, Connection connection) {}

  /** Called when the call gives its connection back (to the pool, or to be closed). */
  public void connectionReleased(Call call, Connection connection) {}

  /** Called before request headers are written. */
  public void requestHeadersStart(Call call) {}

  /** Called after the request headers were written. */
  public void requestHeadersEnd(Call call, Request request) {}

  /** Called before the request body is written. */
  public void requestBodyStart(Call call) {}

  /** Called after {@code byteCount} bytes of request body were written. */
  public void requestBodyEnd(Call call, long byteCount) {}

  /** Called when writing the request failed. */
  public void requestFailed(Call call, IOException failure) {}

  /** Called before response headers are read. */
  public void responseHeadersStart(Call call) {}

  /** Called after the response headers were read. */
  public void responseHeadersEnd(Call call, Response response) {}

  /** Called before the response body is read. */
  public void responseBodyStart(Call call) {}

  /** Called when the response body was read to its end or closed, after {@code byteCount} bytes. */
  public void responseBodyEnd(Call call, long byteCount) {}

  /** Called when reading the response failed. */
  public void responseFailed(Call call, IOException failure) {}

  /**
   * Called when an attempt at the call failed and Courier decided whether to attempt the request
   * again: after a connect failure, a pooled connection found stale, an HTTP/2 stream the server
   * refused or a connection the server shut down, or any other failure of the attempt. Called once
   * per failed attempt, before the next attempt starts or the call fails.
   *
   * @param failure what the attempt failed with
   * @param retrying true if the request will be attempted again; false if the call fails with
   *     {@code failure} (with earlier failures of the call suppressed on it)
   * @param reason why, in words for logs, such as {@code "pooled connection failed; retrying on a
   *     new connection"} or {@code "POST is not idempotent and may have reached the server"}
   */
  public void retryDecision(Call call, IOException failure, boolean retrying, String reason) {}

  /**
   * Called when a response is one Courier may follow up on (a redirect, an authentication
   * challenge, 408, 421, or 503 with {@code Retry-After: 0}) and it decided whether to: with the
   * next request if it follows up, or with null if {@code response} goes to the caller (redirects
   * turned off, an https to http redirect, an unanswered challenge, a one-shot body, ...).
   *
   * @param response the response that came back; do not read its body
   * @param followUp the request sent next, or null if none
   * @param reason why, in words for logs, such as {@code "redirect (302) to http://example.com/b"}
   */
  public void followUpDecision(Call call, Response response, Request followUp, String reason) {}

  /** Called when the call completed: the response body was consumed or closed. */
  public void callEnd(Call call) {}

  /** Called when the call failed for good. */
  public void callFailed(Call call, IOException failure) {}

  /** Called when the call was canceled. */
  public void canceled(Call call) {}

  /** Called when the cache could not satisfy an {@code only-if-cached} request. */
  public void satisfactionFailure(Call call, Response response) {}

  /** Called when the cache answered the call without the network. */
  public void cacheHit(Call call, Response response) {}

  /** Called when the cache could not answer and the network is used. */
  public void cacheMiss(Call call) {}

  /** Called when a stored response was validated by the server (304) and served. */
  public void cacheConditionalHit(Call call, Response cachedResponse) {}

  /**
   * Called when the opening handshake of a WebSocket succeeded, before its listener's
   * {@code onOpen}, with the protocol its frames travel over: {@link Protocol#HTTP_1_1} after an
   * Upgrade (RFC 6455), or {@link Protocol#HTTP_2} on a stream of an HTTP/2 connection opened with
   * an extended CONNECT (RFC 8441), over TLS or cleartext. {@code call} is the handshake's call.
   */
  public void webSocketUpgraded(Call call, Protocol protocol) {}

  /**
   * Called when a WebSocket could not open on the HTTP/2 connection {@code call} got, because the
   * server did not enable the extended CONNECT protocol (RFC 8441) there; nothing was sent on it,
   * it stays pooled for other calls, and the socket tries again with a new call over a fresh
   * HTTP/1.1 connection. {@code call} is the call that gave up (it then fails with the reason).
   *
   * @param reason why, in words for logs
   */
  public void webSocketFallback(Call call, String reason) {}
}
