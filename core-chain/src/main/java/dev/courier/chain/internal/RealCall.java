package dev.courier.chain.internal;

import dev.courier.Address;
import dev.courier.Call;
import dev.courier.Callback;
import dev.courier.EventListener;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.Route;
import dev.courier.chain.CourierClient;
import dev.courier.pool.internal.CallLease;
import dev.courier.pool.internal.ExchangeFinder;
import dev.courier.pool.internal.PoolAccess;
import dev.courier.pool.internal.RealConnection;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import okio.AsyncTimeout;

/**
 * Runs one request through the interceptor chain, and owns what the call holds while it runs: the
 * exchange finder of the current address, the exchange in flight, and the call timeout.
 *
 * <p>The call ends (callEnd or callFailed) when the chain has returned and no exchange is in
 * flight any more, that is once the caller closed the response body. Thread-safe: {@link #cancel()}
 * may be called from any thread; one lock guards the exchange state and no I/O happens under it.
 */
public final class RealCall implements Call {
  // Flags set once each by compare-and-set: two fields rather than two AtomicBoolean objects per call.
  private static final VarHandle EXECUTED;
  private static final VarHandle CANCELED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      EXECUTED = lookup.findVarHandle(RealCall.class, "executed", boolean.class);
      CANCELED = lookup.findVarHandle(RealCall.class, "canceled", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final CallRuntime runtime;
  private final CourierClient client;
  private final Request originalRequest;
  private final EventListener eventListener;
  // Made on first use, by timeout() or for a call timeout to enforce: most calls need neither.
  // Created under lock.
  private volatile AsyncTimeout timeout;
  private volatile boolean executed;
  private volatile boolean canceled;

  // A monitor rather than a ReentrantLock (and its queue object): it is held only for a few field
  // reads and writes, never around I/O, and this saves an object per call.
  private final Object lock = new Object();
  // Guarded by lock.
  private ExchangeFinder exchangeFinder;
  private Exchange exchange;
  private boolean expectMoreExchanges = true;
  private boolean callDone;
  // Set before execution for a call whose 101 Switching Protocols ends the chain (a WebSocket's).
  private volatile boolean forUpgrade;
  // With forUpgrade: the protocol asked for, and the request sent as an extended CONNECT instead.
  private volatile String upgradeProtocol;
  private volatile UnaryOperator<Request> extendedConnectRequest;
  // Set after a 421 Misdirected Request: later attempts of this call use unshared connections.
  private volatile boolean coalescingForbidden;

  // Confined to the thread running the chain.
  private Address finderAddress;
  // The list of running synchronous calls (RunningSyncCalls), guarded by the scheduler's lock.
  RealCall previousRunning;
  RealCall nextRunning;
  boolean runningSync;
  private CallLease lease;
  private Exchange attemptExchange;
  private Route route;

  /** Creates an unexecuted call of {@code request} on the client of {@code runtime}. */
  public RealCall(CallRuntime runtime, Request request) {
    this.runtime = runtime;
    this.client = runtime.client();
    this.originalRequest = request;
    this.eventListener = client.eventListenerFactory().create(this);
  }

  @Override
  public Request request() {
    return originalRequest;
  }

  /** Returns the client that made this call. */
  public CourierClient client() {
    return client;
  }

  /** Returns this call's event listener. */
  public EventListener eventListener() {
    return eventListener;
  }

  /**
   * Makes this call ask to switch protocols: a {@code 101 Switching Protocols} becomes its final
   * response, whose streams {@link #upgradedStreams} then hands over. Call before executing.
   */
  public void forUpgrade() {
    forUpgrade = true;
  }

  /**
   * Makes this call ask to switch to {@code protocol} (such as {@code "websocket"}) as {@link
   * #forUpgrade()} does, and on a multiplexed (HTTP/2) connection with an extended CONNECT (RFC
   * 8441) of {@code extendedConnectRequest}'s rewrite of the request, whose 2xx response is then
   * final. If the HTTP/2 server did not enable the extended CONNECT protocol the call fails with
   * {@link ExtendedConnectUnavailableException}, nothing sent. Call before executing.
   */
  public void forUpgrade(String protocol,
      UnaryOperator<Request> extendedConnectRequest) {
    this.upgradeProtocol = protocol;
    this.extendedConnectRequest = extendedConnectRequest;
    forUpgrade = true;
  }

  boolean isForUpgrade() {
    return forUpgrade;
  }

  /** Returns the protocol an extended CONNECT of this call asks for, or null if it may not. */
  String upgradeProtocol() {
    return upgradeProtocol;
  }

  /** Returns {@code request} as this call sends it in an extended CONNECT. */
  Request extendedConnectRequest(Request request) {
    return extendedConnectRequest.apply(request);
  }

  /**
   * Takes over the streams of the exchange that answered {@code response}, a {@code 101} to this
   * call, and stops the call timeout: the connection then lives as long as the new protocol.
   *
   * @throws IllegalStateException if this call was not made {@link #forUpgrade()}, or no exchange
   *     is open
   */
  public dev.courier.spi.UpgradedStreams upgradedStreams(Response response) throws IOException {
    Exchange current;
    synchronized (lock) {
      current = exchange;
    }
    if (!forUpgrade || current == null) {
      throw new IllegalStateException("no upgraded exchange for " + this);
    }
    exitTimeout();
    return current.upgradedStreams(response);
  }

  CallScheduler scheduler() {
    return runtime.scheduler();
  }

  @Override
  public Response execute() throws IOException {
    if (!EXECUTED.compareAndSet(this, false, true)) {
      throw new IllegalStateException("Already Executed");
    }
    runtime.checkNotClosed();
    runtime.scheduler().executed(this); // Throws if the client was closed just now.
    try {
      enterTimeout();
      eventListener.callStart(this);
      return getResponseWithInterceptorChain();
    } finally {
      runtime.scheduler().finished(this);
    }
  }

  @Override
  public void enqueue(Callback callback) {
    if (callback == null) {
      throw new NullPointerException("callback == null");
    }
    if (!EXECUTED.compareAndSet(this, false, true)) {
      throw new IllegalStateException("Already Executed");
    }
    runtime.checkNotClosed();
    eventListener.callStart(this);
    try {
      runtime.scheduler().enqueue(new AsyncCall(this, callback));
    } catch (IllegalStateException e) {
      // The client was closed just now: end the call that started, then refuse it as above.
      noMoreExchanges(new IOException("Canceled: the client was closed", e));
      throw e;
    }
  }

  @Override
  public void cancel() {
    if (!CANCELED.compareAndSet(this, false, true)) {
      return;
    }
    Exchange toCancel;
    ExchangeFinder finder;
    synchronized (lock) {
      toCancel = exchange;
      finder = exchangeFinder;
    }
    // Reported before the socket is closed: the thread running the call fails once it is, and
    // its callFailed must come after this call's canceled.
    eventListener.canceled(this);
    if (toCancel != null) {
      toCancel.cancel();
    } else if (finder != null) {
      finder.cancel();
    }
  }

  @Override
  public boolean isExecuted() {
    return executed;
  }

  @Override
  public boolean isCanceled() {
    return canceled;
  }

  @Override
  public AsyncTimeout timeout() {
    AsyncTimeout result = timeout;
    if (result != null) {
      return result;
    }
    synchronized (lock) {
      if (timeout == null) {
        AsyncTimeout created = new AsyncTimeout() {
          @Override
          protected void timedOut() {
            // Qualified: AsyncTimeout has a cancel() of its own, which would only stop the timer.
            RealCall.this.cancel();
          }
        };
        created.timeout(client.callTimeoutMillis(), TimeUnit.MILLISECONDS);
        timeout = created;
      }
      return timeout;
    }
  }

  /**
   * Starts the call timeout, if there is one: the client's, or one set through {@link #timeout()}.
   * A timeout of zero and no deadline would not start, so none is made for it.
   */
  void enterTimeout() {
    AsyncTimeout current = client.callTimeoutMillis() != 0 ? timeout() : timeout;
    if (current != null) {
      current.enter();
    }
  }

  /** Stops the call timeout, if one was made; returns true if it had fired. */
  private boolean exitTimeout() {
    AsyncTimeout current = timeout;
    return current != null && current.exit();
  }

  @Override
  public RealCall clone() {
    return new RealCall(runtime, originalRequest);
  }

  /** Runs the request down the chain and returns the response; the caller must close it. */
  Response getResponseWithInterceptorChain() throws IOException {
    RealInterceptorChain chain = new RealInterceptorChain(this, runtime.interceptors(), 0, null,
        originalRequest, client.connectTimeoutMillis(), client.readTimeoutMillis(),
        client.writeTimeoutMillis());
    Response response;
    try {
      response = chain.proceed(originalRequest);
    } catch (IOException e) {
      abandonExchange();
      throw noMoreExchanges(e);
    } catch (RuntimeException | Error e) {
      abandonExchange();
      noMoreExchanges(new IOException("call failed: " + e, e));
      throw e;
    }
    if (isCanceled()) {
      response.close();
      throw noMoreExchanges(new IOException("Canceled"));
    }
    noMoreExchanges(null);
    return response;
  }

  /**
   * Prepares for the next attempt at {@code request}, looking for a connection as {@code next}
   * says: a new exchange finder, which starts from the pool and then the first route; the current
   * one, which moves on to the routes it has not tried; or a new one that connects afresh.
   *
   * @throws IllegalStateException if the previous response's body is still open
   */
  void enterNetworkInterceptorExchange(Request request, RecoveryPolicy.Next next) {
    synchronized (lock) {
      if (exchange != null) {
        throw new IllegalStateException("cannot make a new request because the previous response "
            + "is still open: please call response.close()");
      }
    }
    attemptExchange = null;
    if (next == RecoveryPolicy.Next.SAME_FINDER && exchangeFinder != null) {
      return;
    }
    // A finder selects routes once; a fresh one is needed even for the same address, since the
    // old one may have used up its routes on connections that are gone now.
    Address address = runtime.addressCache().addressFor(request.url());
    ExchangeFinder finder = new ExchangeFinder(
        client.connectionPool(), address, runtime.connectSettings(), this, eventListener);
    if (coalescingForbidden) {
      finder.forbidCoalescing();
    }
    if (next == RecoveryPolicy.Next.NEW_CONNECTION) {
      finder.requireNewConnection();
    }
    synchronized (lock) {
      exchangeFinder = finder;
    }
    finderAddress = address;
  }

  /** Ends the network part of an attempt; with {@code closeExchange}, abandons an open exchange. */
  void exitNetworkInterceptorExchange(boolean closeExchange) {
    if (closeExchange) {
      abandonExchange();
    }
  }

  private void abandonExchange() {
    Exchange toDetach;
    synchronized (lock) {
      toDetach = exchange;
    }
    if (toDetach != null) {
      toDetach.detachWithViolence();
    }
  }

  /** Makes this call's later attempts use connections of their own, never coalesced ones. */
  void forbidCoalescing() {
    coalescingForbidden = true;
  }

  /**
   * Returns the exchange finder for the connect step.
   *
   * @throws IOException if the call was canceled
   */
  ExchangeFinder exchangeFinderForConnect() throws IOException {
    if (isCanceled()) {
      throw new IOException("Canceled");
    }
    synchronized (lock) {
      if (!expectMoreExchanges) {
        throw new IllegalStateException("the call has ended");
      }
      if (exchange != null) {
        throw new IllegalStateException("an exchange is already in flight");
      }
      return exchangeFinder;
    }
  }

  /** Returns the address the current exchange finder looks for connections to. */
  Address finderAddress() {
    return finderAddress;
  }

  /** Returns the lease the pool tracks this call's connections by. */
  CallLease lease() {
    if (lease == null) {
      lease = new CallLease(this);
    }
    return lease;
  }

  /** Records that {@code exchange} started; cancels it at once if the call was canceled meanwhile. */
  void exchangeStarted(Exchange started) {
    synchronized (lock) {
      exchange = started;
    }
    attemptExchange = started;
    route = started.connection().route();
    if (isCanceled()) {
      started.cancel();
    }
  }

  /** Gives back a connection that the call acquired but could not start an exchange on. */
  void releaseUnused(RealConnection connection) {
    PoolAccess.release(connection, lease());
    eventListener.connectionReleased(this, connection);
  }

  /** Returns the exchange of the current attempt, even if finished; null if connecting failed. */
  Exchange attemptExchange() {
    return attemptExchange;
  }

  /** Returns the exchange finder of the current address. */
  ExchangeFinder exchangeFinder() {
    synchronized (lock) {
      return exchangeFinder;
    }
  }

  /** Returns the route of the last connection used, or null if none was acquired. */
  Route route() {
    return route;
  }

  /**
   * Records that {@code finished}'s request and/or response is done; once both are, gives its
   * connection back, and if the chain has returned, ends the call. Returns the exception to throw.
   */
  IOException messageDone(Exchange finished, boolean requestDone, boolean responseDone,
      IOException failure) {
    boolean released = false;
    boolean done = false;
    synchronized (lock) {
      if (finished != exchange) {
        return failure;
      }
      if (requestDone) {
        finished.requestBodyOpen = false;
      }
      if (responseDone) {
        finished.responseBodyOpen = false;
      }
      if (!finished.requestBodyOpen && !finished.responseBodyOpen) {
        exchange = null;
        released = true;
        if (!expectMoreExchanges && !callDone) {
          callDone = true;
          done = true;
        }
      }
    }
    if (released) {
      RealConnection connection = finished.connection();
      PoolAccess.release(connection, lease());
      eventListener.connectionReleased(this, connection);
    }
    return done ? callDone(failure) : failure;
  }

  /**
   * Records that the chain returned or failed; ends the call now if no exchange is in flight.
   * Returns the exception to throw: {@code failure}, or an {@link InterruptedIOException} if the
   * call timed out.
   */
  IOException noMoreExchanges(IOException failure) {
    boolean done = false;
    synchronized (lock) {
      if (expectMoreExchanges) {
        expectMoreExchanges = false;
        if (exchange == null && !callDone) {
          callDone = true;
          done = true;
        }
      }
    }
    return done ? callDone(failure) : failure;
  }

  private IOException callDone(IOException failure) {
    IOException result = failure;
    if (exitTimeout()) {
      InterruptedIOException timedOut = new InterruptedIOException("timeout");
      if (failure != null) {
        timedOut.initCause(failure);
      }
      result = timedOut;
    }
    if (failure != null) {
      eventListener.callFailed(this, result);
    } else {
      eventListener.callEnd(this);
    }
    return result;
  }

  @Override
  public String toString() {
    return (isCanceled() ? "canceled call " : "call ") + originalRequest.method() + " "
        + originalRequest.url().redact();
  }
}
