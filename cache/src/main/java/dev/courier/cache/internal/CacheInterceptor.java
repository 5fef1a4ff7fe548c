package dev.courier.cache.internal;

import dev.courier.Call;
import dev.courier.EventListener;
import dev.courier.Interceptor;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.ResponseBody;
import dev.courier.cache.CacheStrategy;
import java.io.IOException;
import java.time.Clock;

/**
 * Runs in the client's cache slot: answers requests from the store when {@link CacheStrategy}
 * allows, sends conditional requests and merges 304s, stores network responses as they are read,
 * invalidates URLs after unsafe requests, and reports cache events.
 *
 * <p>Responses say where they came from: a stored response has {@link Response#cacheResponse()}
 * set, a network response {@link Response#networkResponse()}, a validated one both. A failure of
 * the cache's own disk never fails a call: the call then goes to the network uncached. After the
 * cache is closed, calls pass through. Thread-safe.
 */
public final class CacheInterceptor implements Interceptor {
  static final String UNSATISFIABLE_MESSAGE = "Unsatisfiable Request (only-if-cached)";

  private final ResponseStore store;
  private final Clock clock;
  private final BackgroundRevalidator revalidator;

  /** Creates the interceptor over {@code store}, timing responses with {@code clock}. */
  public CacheInterceptor(ResponseStore store, Clock clock, BackgroundRevalidator revalidator) {
    this.store = store;
    this.clock = clock;
    this.revalidator = revalidator;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (store.isClosed()) {
      return chain.proceed(request);
    }
    Call call = chain.call();
    EventListener listener = chain.eventListener();
    store.statistics().recordRequest();

    String method = request.method();
    boolean safe = method.equals("GET") || method.equals("HEAD");
    StoredResponse stored = safe ? lookUp(request) : null;
    Response result;
    try {
      result = respond(chain, request, call, listener, stored);
    } catch (IOException | RuntimeException e) {
      if (stored != null) stored.close();
      throw e;
    }
    // A response that streams the stored body releases the snapshot when closed; otherwise
    // release it now.
    if (stored != null && result.body() != stored.response().body()) {
      stored.close();
    }
    return result;
  }

  private Response respond(Chain chain, Request request, Call call, EventListener listener,
      StoredResponse stored) throws IOException {
    Response cached = stored == null ? null : stored.response();
    CacheStrategy strategy = revalidator.isBackgroundCall(call)
        ? CacheStrategy.computeRevalidation(request, cached, clock.instant())
        : CacheStrategy.compute(request, cached, clock.instant());

    if (strategy.isUnsatisfiable()) {
      long now = clock.millis();
      Response unsatisfiable = new Response.Builder()
          .request(request)
          .protocol(Protocol.HTTP_1_1)
          .code(504)
          .message(UNSATISFIABLE_MESSAGE)
          .body(ResponseBody.empty())
          .sentRequestAtMillis(now)
          .receivedResponseAtMillis(now)
          .build();
      listener.satisfactionFailure(call, unsatisfiable);
      return unsatisfiable;
    }

    Request networkRequest = strategy.networkRequest();
    Response cacheResponse = strategy.cacheResponse();
    if (networkRequest == null) {
      store.statistics().recordHit();
      Response result = serveStored(cacheResponse, request, stored);
      listener.cacheHit(call, result);
      if (strategy.backgroundRevalidationRequest() != null) {
        revalidator.schedule(call, ResponseStore.key(request.url()));
      }
      return result;
    }

    if (cacheResponse == null) {
      listener.cacheMiss(call);
    }
    store.statistics().recordNetwork();
    long sentAt = clock.millis();
    Response network;
    try {
      network = chain.proceed(networkRequest);
    } catch (IOException e) {
      if (strategy.staleIfErrorResponse() != null && !call.isCanceled()) {
        return serveStaleAfterError(strategy, request, call, listener, stored);
      }
      throw e;
    }
    long receivedAt = clock.millis();

    if (cacheResponse != null && network.code() == 304) {
      return conditionalHit(request, call, listener, stored, cacheResponse, network, sentAt,
          receivedAt);
    }
    if (strategy.staleIfErrorResponse() != null && isServerError(network.code())) {
      network.close();
      return serveStaleAfterError(strategy, request, call, listener, stored);
    }
    if (cacheResponse != null) {
      listener.cacheMiss(call);
    }

    Response response = network.newBuilder()
        .request(request)
        .cacheResponse(cacheResponse == null ? null : stripBody(cacheResponse))
        .networkResponse(stripBody(network))
        .build();
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      invalidateQuietly(request, response);
      return response;
    }
    if (!request.method().equals("GET")) {
      return response;
    }
    if (CacheStrategy.isCacheable(response, request)) {
      Response teeing = putQuietly(request, response, sentAt, receivedAt);
      return teeing != null ? teeing : response;
    }
    if (cacheResponse != null && replacesStored(response.code())) {
      // The stored response is outdated and its replacement cannot be stored.
      removeQuietly(request);
    }
    return response;
  }

  /** Returns the stored response, or null if there is none or the store is unusable. */
  private StoredResponse lookUp(Request request) {
    try {
      return store.get(request);
    } catch (IOException | IllegalStateException e) {
      return null;
    }
  }

  private Response conditionalHit(Request request, Call call, EventListener listener,
      StoredResponse stored, Response cacheResponse, Response network, long sentAt,
      long receivedAt) {
    network.close();
    Response merged = cacheResponse.newBuilder()
        .request(request)
        .headers(CacheHeaders.merge(cacheResponse.headers(), network.headers()))
        .sentRequestAtMillis(sentAt)
        .receivedResponseAtMillis(receivedAt)
        .handshake(network.handshake() != null ? network.handshake() : cacheResponse.handshake())
        .build();
    store.statistics().recordHit();
    try {
      store.update(stored, merged);
    } catch (IOException | IllegalStateException e) {
      // The validated response is still served; the stored headers stay as they were.
    }
    Response result = withBody(merged, request, stored)
        .cacheResponse(stripBody(cacheResponse))
        .networkResponse(stripBody(network))
        .build();
    listener.cacheConditionalHit(call, result);
    return result;
  }

  private Response serveStaleAfterError(CacheStrategy strategy, Request request, Call call,
      EventListener listener, StoredResponse stored) {
    store.statistics().recordHit();
    Response result = serveStored(strategy.staleIfErrorResponse(), request, stored);
    listener.cacheHit(call, result);
    return result;
  }

  /** Returns {@code served} (a stored response with Age and warnings set) with the stored body. */
  private Response serveStored(Response served, Request request, StoredResponse stored) {
    return withBody(served, request, stored)
        .cacheResponse(stripBody(served))
        .build();
  }

  /** Returns a builder of {@code response} with the stored body, or none for HEAD. */
  private static Response.Builder withBody(Response response, Request request,
      StoredResponse stored) {
    Response.Builder builder = response.newBuilder().request(request);
    if (request.method().equals("HEAD")) {
      builder.body(ResponseBody.empty());
    } else {
      builder.body(stored.response().body());
    }
    return builder;
  }

  private Response putQuietly(Request request, Response response, long sentAt, long receivedAt) {
    try {
      return store.put(request, response, sentAt, receivedAt);
    } catch (IOException | IllegalStateException e) {
      return null;
    }
  }

  private void invalidateQuietly(Request request, Response response) {
    try {
      store.invalidate(request, response);
    } catch (IOException | IllegalStateException e) {
      // A failed invalidation leaves a stored response that validation will correct.
    }
  }

  private void removeQuietly(Request request) {
    try {
      store.remove(request.url());
    } catch (IOException | IllegalStateException e) {
      // Left for validation to correct.
    }
  }

  private static boolean isServerError(int code) {
    return code == 500 || code == 502 || code == 503 || code == 504;
  }

  /** Returns true for full responses that supersede a stored response for the same URL. */
  private static boolean replacesStored(int code) {
    return code >= 200 && code < 400 && code != 206 && code != 304;
  }

  private static Response stripBody(Response response) {
    return response.newBuilder().body(null).build();
  }
}
