package dev.courier.chain.internal;

import dev.courier.Call;
import dev.courier.Connection;
import dev.courier.EventListener;
import dev.courier.Handshake;
import dev.courier.HttpUrl;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.List;

/**
 * Forwards every event to the call's listener and counts the connections the pool opened for the
 * call, so the retry step can tell a fresh connection from a pooled one that went stale.
 *
 * <p>Used by one call; the pool reports a connection it opened on the thread that opened it.
 */
final class ConnectEventTracker extends EventListener {
  private final EventListener delegate;
  private volatile int connectionsOpened;

  ConnectEventTracker(EventListener delegate) {
    this.delegate = delegate;
  }

  /** Returns how many connections were established for the call so far. */
  int connectionsOpened() {
    return connectionsOpened;
  }

  @Override
  public void connectEnd(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {
    connectionsOpened++;
    delegate.connectEnd(call, address, proxy, protocol);
  }

  @Override
  public void callStart(Call call) {
    delegate.callStart(call);
  }

  @Override
  public void proxySelectStart(Call call, HttpUrl url) {
    delegate.proxySelectStart(call, url);
  }

  @Override
  public void proxySelectEnd(Call call, HttpUrl url, List<Proxy> proxies) {
    delegate.proxySelectEnd(call, url, proxies);
  }

  @Override
  public void dnsStart(Call call, String domainName) {
    delegate.dnsStart(call, domainName);
  }

  @Override
  public void dnsEnd(Call call, String domainName, List<InetAddress> addresses) {
    delegate.dnsEnd(call, domainName, addresses);
  }

  @Override
  public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
    delegate.connectStart(call, address, proxy);
  }

  @Override
  public void secureConnectStart(Call call) {
    delegate.secureConnectStart(call);
  }

  @Override
  public void secureConnectEnd(Call call, Handshake handshake) {
    delegate.secureConnectEnd(call, handshake);
  }

  @Override
  public void connectFailed(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol,
      IOException failure) {
    delegate.connectFailed(call, address, proxy, protocol, failure);
  }

  @Override
  public void connectionAcquired(Call call, Connection connection) {
    delegate.connectionAcquired(call, connection);
  }

  @Override
  public void connectionReleased(Call call, Connection connection) {
    delegate.connectionReleased(call, connection);
  }

  @Override
  public void requestHeadersStart(Call call) {
    delegate.requestHeadersStart(call);
  }

  @Override
  public void requestHeadersEnd(Call call, Request request) {
    delegate.requestHeadersEnd(call, request);
  }

  @Override
  public void requestBodyStart(Call call) {
    delegate.requestBodyStart(call);
  }

  @Override
  public void requestBodyEnd(Call call, long byteCount) {
    delegate.requestBodyEnd(call, byteCount);
  }

  @Override
  public void requestFailed(Call call, IOException failure) {
    delegate.requestFailed(call, failure);
  }

  @Override
  public void responseHeadersStart(Call call) {
    delegate.responseHeadersStart(call);
  }

  @Override
  public void responseHeadersEnd(Call call, Response response) {
    delegate.responseHeadersEnd(call, response);
  }

  @Override
  public void responseBodyStart(Call call) {
    delegate.responseBodyStart(call);
  }

  @Override
  public void responseBodyEnd(Call call, long byteCount) {
    delegate.responseBodyEnd(call, byteCount);
  }

  @Override
  public void responseFailed(Call call, IOException failure) {
    delegate.responseFailed(call, failure);
  }

  @Override
  public void callEnd(Call call) {
    delegate.callEnd(call);
  }

  @Override
  public void callFailed(Call call, IOException failure) {
    delegate.callFailed(call, failure);
  }

  @Override
  public void canceled(Call call) {
    delegate.canceled(call);
  }

  @Override
  public void satisfactionFailure(Call call, Response response) {
    delegate.satisfactionFailure(call, response);
  }

  @Override
  public void cacheHit(Call call, Response response) {
    delegate.cacheHit(call, response);
  }

  @Override
  public void cacheMiss(Call call) {
    delegate.cacheMiss(call);
  }

  @Override
  public void cacheConditionalHit(Call call, Response cachedResponse) {
    delegate.cacheConditionalHit(call, cachedResponse);
  }
}
