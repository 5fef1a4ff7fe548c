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
 * Carries a request down the interceptors of one call. Each {@link #proceed} hands the next
 * interceptor a chain pointing at it, so an interceptor may proceed several times; the chains
 * check the contract of network interceptors.
 *
 * <p>An interceptor of the application's (or of a plug-in such as the cache) gets a copy of its
 * own, which it may keep. The chain's own steps ({@link BuiltInInterceptor}) get the very chain
 * that called them, moved on to their place for as long as they run and put back when they
 * return: a call through the built-in steps alone uses one chain object, not one per step.
 *
 * <p>A chain belongs to one call and is used from the thread running it.
 */
public final class RealInterceptorChain implements Interceptor.Chain {
  private final RealCall call;
  private final List<Interceptor> interceptors;
  // True if only built-in steps and RealCall hold this chain, so it may be moved on in place.
  private final boolean confined;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final int writeTimeoutMillis;
  // Where the chain stands: changed in place for a built-in step and put back when it returns.
  private int index;
  private Exchange exchange;
  private Request request;
  // The request as the bridge step received it, before the headers it adds; null above it.
  private Request userRequest;
  private int calls;

  RealInterceptorChain(RealCall call, List<Interceptor> interceptors, int index, Exchange exchange,
      Request request, int connectTimeoutMillis, int readTimeoutMillis, int writeTimeoutMillis) {
    this(call, interceptors, true, index, exchange, request, null, connectTimeoutMillis,
        readTimeoutMillis, writeTimeoutMillis);
  }

  private RealInterceptorChain(RealCall call, List<Interceptor> interceptors, boolean confined,
      int index, Exchange exchange, Request request, Request userRequest,
      int connectTimeoutMillis, int readTimeoutMillis, int writeTimeoutMillis) {
    this.call = call;
    this.interceptors = interceptors;
    this.confined = confined;
    this.index = index;
    this.exchange = exchange;
    this.request = request;
    this.userRequest = userRequest;
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
    // 7. Writes the request to the network and reads the response. With no cache and no network
    // interceptor, nothing between it and the bridge sees the response, so it builds the one the
    // bridge returns.
    result.add(new CallServerInterceptor(
        client.cache() == null && client.networkInterceptors().isEmpty()));
    return Collections.unmodifiableList(result);
  }

  /** Returns a copy of this chain for an interceptor that may keep it, with the given settings. */
  private RealInterceptorChain copy(boolean confined, int index, Exchange exchange, Request request,
      int connectTimeoutMillis, int readTimeoutMillis, int writeTimeoutMillis) {
    return new RealInterceptorChain(call, interceptors, confined, index, exchange, request,
        userRequest, connectTimeoutMillis, readTimeoutMillis, writeTimeoutMillis);
  }

  /** Returns the exchange, or null before the connect step. */
  Exchange exchange() {
    return exchange;
  }

  @Override
  public Request request() {
    return request;
  }

  /**
   * Returns the request as the bridge step received it, before the headers it adds, or null above
   * the bridge (or if it did not pass it on).
   */
  Request userRequest() {
    return userRequest;
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
    return copy(false, index, null, request, TimeoutSettings.toMillis("connectTimeout", timeout, unit),
        readTimeoutMillis, writeTimeoutMillis);
  }

  @Override
  public Interceptor.Chain withReadTimeout(int timeout, TimeUnit unit) {
    checkNoExchange("read");
    return copy(false, index, null, request, connectTimeoutMillis,
        TimeoutSettings.toMillis("readTimeout", timeout, unit), writeTimeoutMillis);
  }

  @Override
  public Interceptor.Chain withWriteTimeout(int timeout, TimeUnit unit) {
    checkNoExchange("write");
    return copy(false, index, null, request, connectTimeoutMillis, readTimeoutMillis,
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

  /**
   * Passes {@code request}, the bridge's network request, to the next interceptor, together with
   * {@code userRequest}, the request the bridge received: how the bridge step lets the call-server
   * step build the response the bridge returns.
   */
  Response proceedFromBridge(Request request, Request userRequest) throws IOException {
    Request outer = this.userRequest;
    this.userRequest = userRequest;
    try {
      return proceed(exchange, request);
    } finally {
      this.userRequest = outer;
    }
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

    Interceptor interceptor = interceptors.get(index);
    if (confined && interceptor instanceof BuiltInInterceptor) {
      return proceedInPlace(interceptor, nextExchange, request);
    }
    RealInterceptorChain next = copy(interceptor instanceof BuiltInInterceptor, index + 1,
        nextExchange, request, connectTimeoutMillis, readTimeoutMillis, writeTimeoutMillis);
    Response response = interceptor.intercept(next);
    return checked(interceptor, response, nextExchange, next.calls);
  }

  /**
   * Runs {@code interceptor}, a built-in step, with this chain moved on to its place, and puts the
   * chain back where it stood when the step returns or fails. The step reads the chain only
   * between its calls to proceed, when the chain stands at its place.
   */
  private Response proceedInPlace(Interceptor interceptor, Exchange nextExchange, Request nextRequest)
      throws IOException {
    int outerIndex = index;
    Exchange outerExchange = exchange;
    Request outerRequest = request;
    int outerCalls = calls;
    index = outerIndex + 1;
    exchange = nextExchange;
    request = nextRequest;
    calls = 0;
    Response response;
    int nextCalls;
    try {
      response = interceptor.intercept(this);
      nextCalls = calls;
    } finally {
      index = outerIndex;
      exchange = outerExchange;
      request = outerRequest;
      calls = outerCalls;
    }
    return checked(interceptor, response, nextExchange, nextCalls);
  }

  /** Returns {@code response} if {@code interceptor}, which proceeded {@code calls} times, kept the contract. */
  private Response checked(Interceptor interceptor, Response response, Exchange nextExchange,
      int calls) {
    if (response == null) {
      throw new IllegalStateException("interceptor " + interceptor + " returned null");
    }
    if (nextExchange != null && index + 1 < interceptors.size() && calls != 1) {
      throw new IllegalStateException("network interceptor " + interceptor
          + " must call proceed() exactly once");
    }
    return response;
  }
}
