package dev.courier.chain.internal;

import dev.courier.ConnectionShutdownException;
import dev.courier.HttpUrl;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.pool.internal.ExchangeFinder;
import dev.courier.pool.internal.RealConnection;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import java.io.IOException;

/**
 * Finds a connection for the call (pooled or new, through the call's {@link ExchangeFinder}),
 * starts an exchange on it, and passes the request on to the network interceptors. The response
 * that comes back is recorded as its own {@link Response#networkResponse()}.
 */
final class ConnectInterceptor implements BuiltInInterceptor {
  /** The options of an exchange with the client's timeouts, which most exchanges have. */
  private final ExchangeOptions clientOptions;

  ConnectInterceptor(ExchangeOptions clientOptions) {
    this.clientOptions = clientOptions;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    RealInterceptorChain realChain = (RealInterceptorChain) chain;
    RealCall call = realChain.call();
    Request request = realChain.request();

    ExchangeFinder finder = call.exchangeFinderForConnect();
    // GETs skip the costly socket probe: if the connection went stale, the retry step resends.
    boolean extensiveHealthChecks = !request.method().equals("GET");
    RealConnection connection;
    try {
      connection = finder.find(call.lease(), realChain.connectTimeoutMillis(),
          realChain.readTimeoutMillis(), realChain.writeTimeoutMillis(), extensiveHealthChecks);
    } catch (IOException e) {
      // A failed route selection (an unknown host) is the selector's own exception, as it is.
      throw finder.routeSelectionFailed() ? e : describeConnectFailure(e, call, request);
    }
    boolean fresh = finder.lastFindConnected();
    call.eventListener().connectionAcquired(call, connection);

    ExchangeCodec codec;
    try {
      codec = connection.newCodec(exchangeOptions(realChain));
    } catch (IOException | RuntimeException e) {
      if (!(e instanceof ConnectionShutdownException)) {
        connection.noNewExchanges();
      }
      call.releaseUnused(connection);
      if (e instanceof IOException) {
        throw describeConnectFailure((IOException) e, call, request);
      }
      throw e;
    }
    Exchange exchange =
        new Exchange(call, call.finderAddress(), call.eventListener(), connection, codec, fresh);
    call.exchangeStarted(exchange);
    Response response;
    try {
      response = realChain.proceedWithExchange(exchange, request);
    } catch (IOException | RuntimeException e) {
      // Give the connection back as the failure leaves the network step, so that an interceptor
      // above that recovers without the network (a cache serving stale-if-error, an application
      // interceptor with a fallback) leaves no connection held by the failed exchange.
      exchange.detachWithViolence();
      throw e;
    }
    // Everything that returns through here came from the network: record it as such, without its
    // body, before the cache and the bridge above reshape it. The call-server step did so already
    // when nothing between it and the bridge sees the response.
    if (exchange.recordedAsNetworkResponse(response)) {
      return response;
    }
    Response.Builder builder = response.newBuilder();
    Response networkResponse = exchange.bodilessCopyOf(response);
    if (networkResponse == null) {
      networkResponse = builder.body(null).build();
      builder.body(response.body());
    }
    return builder.networkResponse(networkResponse).build();
  }

  private ExchangeOptions exchangeOptions(RealInterceptorChain chain) {
    if (chain.readTimeoutMillis() == clientOptions.readTimeoutMillis()
        && chain.writeTimeoutMillis() == clientOptions.writeTimeoutMillis()) {
      return clientOptions;
    }
    return new ExchangeOptions(chain.readTimeoutMillis(), chain.writeTimeoutMillis());
  }

  /**
   * Returns a failure to connect (TCP, proxy tunnel, TLS, or starting the protocol) with a message
   * naming the host:port and the scheme, its class unchanged.
   */
  private static IOException describeConnectFailure(IOException failure, RealCall call,
      Request request) {
    HttpUrl url = request.url();
    return ExchangeFailures.describe(failure, ExchangeFailures.peer(url.host(), url.port()),
        url.scheme(), ExchangeFailures.Phase.CONNECTING, call.isCanceled());
  }

  @Override
  public String toString() {
    return "ConnectInterceptor";
  }
}
