package dev.courier.chain.internal;

import dev.courier.Call;
import dev.courier.Connection;
import dev.courier.EventListener;
import dev.courier.Interceptor;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.spi.ExchangeOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Carries a request down the interceptors of one call. Each {@link #proceed} makes a copy of the
 * chain pointing at the next interceptor, so an interceptor may proceed several times; the copies
 * check the contract of network interceptors.
 *
 * <p>A chain belongs to one call and is used from the thread running it.
 */
public final class RealInterceptorChain implements Interceptor.Chain {
  private final RealCall call;
  private final List<Interceptor> interceptors;
  private final int index;
  private final Exchange exchange;
  private final Request request;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final int writeTimeoutMillis;
  private int calls;

  RealInterceptorChain(RealCall call, List<Interceptor> interceptors, int index, Exchange exchange,
      Request request, int connectTimeoutMillis, int readTimeoutMillis, int writeTimeoutMillis) {
    this.call = call;
    this.interceptors = interceptors;
    this.index = index;
    this.exchange = exchange;
    this.request = request;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.readTimeoutMillis = readTimeoutMillis;
    this.writeTimeoutMillis = writeTimeoutMillis;
  }

  /** Returns the interceptors of {@code client}'s calls, in the order requests pass them. */
  static List<Interceptor> assemble(CourierClient client) {
    List<Interceptor> result = new ArrayList<>(
        client.interceptors().size() + client.networkInterceptors().size() + 5);
    // 1. Application interceptors: once per call, before retries, redirects and the cache.
    result.addAll(client.interceptors());
    // 2. Recovers from connection failures and follows redirects and authentication challenges.
    result.add(new RetryAndFollowUpInterceptor(client));
    // 3. Turns the user's request into a network request: Host, cookies, gzip, User-Agent.
    result.add(new BridgeInterceptor(client.cookieJar(), client.userAgent(),
        client.maxDecompressedBodyBytes()));
    // 4. The cache slot: answers from the cache or passes on; empty without a cache.
    if (client.cache() != null) {
      result.add(client.cache().interceptor());
    }
    // 5. Finds or opens a connection and starts an exchange on it.
    result.add(new ConnectInterceptor(
        new ExchangeOptions(client.readTimeoutMillis(), client.writeTimeoutMillis())));
    // 6. Network interceptors: once per network exchange, seeing the connection.
    result.addAll(client.networkInterceptors());
    // 7. Writes the request to the network and reads the response.
    result.add(new CallServerInterceptor());
    return Collections.unmodifiableList(result);
  }

  private RealInterceptorChain copy(int index, Exchange exchange, Request request,
      int connectTimeoutMillis, int readTimeoutMillis, int writeTimeoutMillis) {
    return new RealInterceptorChain(call, interceptors, index, exchange, request,
        connectTimeoutMillis, readTimeoutMillis, writeTimeoutMillis);
  }


  /** Returns the exchange, or null before the connect step. */
  Exchange exchange() {
    return exchange;
  }

  @Override
  public Request request() {
    return request;
  }

  @Override
  public RealCall call() {
    return call;
  }

  @Override
  public EventListener eventListener() {
    return call.eventListener();
  }

  @Override
  public Connection connection() {
    return exchange != null ? exchange.connection() : null;
  }

  @Override
  public int connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  @Override
  public int readTimeoutMillis() {
    return readTimeoutMillis;
  }

  @Override
  public int writeTimeoutMillis() {
    return writeTimeoutMillis;
  }

  @Override
  public Interceptor.Chain withConnectTimeout(int timeout, TimeUnit unit) {
    checkNoExchange("connect");
    return copy(index, null, request, TimeoutSettings.toMillis("connectTimeout", timeout, unit),
        readTimeoutMillis, writeTimeoutMillis);
  }

  @Override
  public Interceptor.Chain withReadTimeout(int timeout, TimeUnit unit) {
    checkNoExchange("read");
    return copy(index, null, request, connectTimeoutMillis,
        TimeoutSettings.toMillis("readTimeout", timeout, unit), writeTimeoutMillis);
  }

  @Override
  public Interceptor.Chain withWriteTimeout(int timeout, TimeUnit unit) {
    checkNoExchange("write");
    return copy(index, null, request, connectTimeoutMillis, readTimeoutMillis,
        TimeoutSettings.toMillis("writeTimeout", timeout, unit));
  }

  private void checkNoExchange(String which) {
    if (exchange != null) {
      throw new IllegalStateException("The " + which
          + " timeout can't be changed in a network interceptor: the exchange has started");
    }
  }

  /**
   * Passes {@code request} to the next interceptor.
   *
   * @throws IllegalStateException if the chain is exhausted, or a network interceptor broke its
   *     contract (proceeded more than once, changed the host or port), or an interceptor returned null
   */
  @Override
  public Response proceed(Request request) throws IOException {
    return proceed(exchange, request);
  }

  /**
   * Passes {@code request} to the next interceptor, with {@code started} as the exchange from
   * there on: how the connect step hands on the exchange it started.
   */
  Response proceedWithExchange(Exchange started, Request request) throws IOException {
    return proceed(started, request);
  }

  private Response proceed(Exchange nextExchange, Request request) throws IOException {
    if (index >= interceptors.size()) {
      throw new IllegalStateException("the chain has no interceptor left to proceed to");
    }
    calls++;
    if (exchange != null) {
      if (!exchange.serves(request.url())) {
        throw new IllegalStateException("network interceptor " + interceptors.get(index - 1)
            + " must retain the same host and port");
      }
      if (calls > 1) {
        throw new IllegalStateException("network interceptor " + interceptors.get(index - 1)
            + " must call proceed() exactly once");
      }
    }

    RealInterceptorChain next = copy(index + 1, nextExchange, request,
        connectTimeoutMillis, readTimeoutMillis, writeTimeoutMillis);
    Interceptor interceptor = interceptors.get(index);
    Response response = interceptor.intercept(next);

    if (response == null) {
      throw new IllegalStateException("interceptor " + interceptor + " returned null");
    }
    if (nextExchange != null && index + 1 < interceptors.size() && next.calls != 1) {
      throw new IllegalStateException("network interceptor " + interceptor
          + " must call proceed() exactly once");
    }
    return response;
  }
}
