package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.Call;
import dev.courier.EventListener;
import dev.courier.Protocol;
import dev.courier.Route;
import dev.courier.pool.CloseReason;
import dev.courier.pool.ConnectionPool;
import dev.courier.spi.ProtocolConnectionProvider;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownServiceException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Finds a connection for one call to one address, in this order: a pooled connection to the
 * address (health-checked; unhealthy ones are closed); after route selection, a pooled HTTP/2
 * connection that may be coalesced; otherwise a new connection on the next untried route, which
 * is then pooled (or, if a concurrent call pooled a multiplexed connection to the same address
 * first, closed in favour of that one).
 *
 * <p>When no pooled connection serves the address and the connection might be multiplexed (https
 * offering HTTP/2 in ALPN, or HTTP/2 with prior knowledge), the finder first waits for a connect
 * that another call has in flight to the same address, and then looks in the pool again; see
 * {@link PendingConnects} for what happens when that connect fails, yields HTTP/1.1 or is slow.
 * The wait ends at once on {@link #cancel()}, and after the connect timeout (if there is one) at
 * the latest.
 *
 * <p>Before it connects, the finder takes a slot under the pool's {@link dev.courier.pool.PoolLimits}
 * from its {@link ConnectionLimiter}, waiting in line (at most the connect timeout) if the limits
 * are reached; the wait may instead yield a pooled connection that was released meanwhile. The
 * slot is held across the routes tried and given back when the search ends.
 *
 * <p>Used by one call at a time; {@link #cancel()} may be called from any thread. Routes are
 * selected once per finder, so a finder reused after a failure moves on to the routes not yet
 * tried.
 */
public final class ExchangeFinder {
  private final RealConnectionPool pool;
  private final Address address;
  private final ConnectSettings settings;
  private final Call call;
  private final EventListener listener;
  /** Made when the search first goes past the pool, which most searches never do. */
  private volatile Connecting connecting;
  private volatile boolean canceled;
  /** The slot this search connects in, held until the search ends. */
  private ConnectionLimiter.Reservation reservation;

  private List<Route> routes;
  private int nextRouteIndex;
  private volatile boolean coalescing = true;
  private boolean lastFindConnected;
  // Set when route selection failed: selecting again would only repeat the same failure.
  private boolean routeSelectionFailed;
  // Set when the next find must connect, as after a pooled connection failed mid-exchange.
  private boolean newConnectionRequired;
  /** True once waiting for other calls' connects cannot help this finder any more. */
  private boolean connectAlone;
  /** True while this finder leads a connect that other calls may be waiting for. */
  private boolean leadingConnect;
  /** The counters the current search is counted in; written by the pool under its lock. */
  AddressCounters pendingCounters;
  /** How long the last pooled lease counted as ended took; written by the pool under its lock. */
  long pooledWaitNanos;

  /** Creates a finder for calls to {@code address} through {@code pool}. */
  public ExchangeFinder(ConnectionPool pool, Address address, ConnectSettings settings, Call call,
      EventListener listener) {
    this(PoolAccess.realPool(pool), address, settings, call, listener);
  }

  /** Creates a finder over a pool engine directly. */
  public ExchangeFinder(RealConnectionPool pool, Address address, ConnectSettings settings, Call call,
      EventListener listener) {
    this.pool = Objects.requireNonNull(pool, "pool == null");
    this.address = Objects.requireNonNull(address, "address == null");
    this.settings = Objects.requireNonNull(settings, "settings == null");
    this.call = call;
    this.listener = Objects.requireNonNull(listener, "listener == null");
  }

  /** Returns the address this finder connects to. */
  public Address address() {
    return address;
  }

  /**
   * Returns a connection acquired for {@code lease}: pooled (and found healthy) or newly
   * connected. The caller must give it back with {@link PoolAccess#release}.
   *
   * @param extensiveHealthChecks true to probe a pooled connection's socket before reuse, which
   *     costs a little time; worth it when the request cannot simply be retried
   * @throws UnknownServiceException if the address is cleartext and its connection specs do not
   *     allow cleartext, before anything is resolved or sent
   * @throws java.net.UnknownHostException if the host could not be resolved
   * @throws dev.courier.pool.ConnectionLimitTimeoutException if the pool's limits kept this search
   *     from connecting for the whole connect timeout
   * @throws IOException the first connect failure, with later ones suppressed, if every route
   *     failed or the failure is one that another route would not fix (such as a certificate that
   *     does not match); "Canceled" if {@link #cancel()} was called
   * @throws IllegalStateException if the pool is closed
   */
  public RealConnection find(CallLease lease, int connectTimeoutMillis, int readTimeoutMillis,
      int writeTimeoutMillis, boolean extensiveHealthChecks) throws IOException {
    Objects.requireNonNull(lease, "lease == null");
    Connector.checkCleartextAllowed(address); // Before DNS, before any byte is sent.
    long startNanos = pool.nowNanos();
    RealConnection pooled = null;
    if (!newConnectionRequired && !isCanceled()) {
      // Counting the search and leasing a pooled connection take one hold of the pool's lock.
      lastFindConnected = false;
      pooled = pool.acquireStartingSearch(this, lease, startNanos);
      if (pooled != null && pooled.isHealthy(extensiveHealthChecks)) {
        pool.reportAcquired(pooled, pooledWaitNanos);
        return pooled;
      }
    } else {
      pendingCounters = pool.acquisitionStarted(address);
    }
    RealConnection result = null;
    try {
      if (pooled != null) {
        pool.healthCheckFailed(this, pooled);
        pool.release(pooled, lease, false);
      }
      result = findConnection(lease, connectTimeoutMillis, readTimeoutMillis, writeTimeoutMillis,
          extensiveHealthChecks);
      return result;
    } finally {
      if (reservation != null) {
        // A pooled connection now counts by itself; a failed search leaves nothing to count.
        pool.limiter().release(reservation);
        reservation = null;
      }
      if (leadingConnect) {
        // However this search ended, calls waiting for the connect it led must not wait longer.
        // A connection coalesced from another host is not found by address: the waiters find it
        // as this search did, on their own.
        endLeadingConnect(result != null && result.address().equals(address)
            && pool.isShareable(result));
      }
      pool.acquisitionEnded(address, pendingCounters, pool.nowNanos() - startNanos, result);
    }
  }

  private RealConnection findConnection(CallLease lease, int connectTimeoutMillis,
      int readTimeoutMillis, int writeTimeoutMillis, boolean extensiveHealthChecks)
      throws IOException {
    lastFindConnected = false;
    IOException firstFailure = null;
    while (true) {
      checkNotCanceled(firstFailure);

      RealConnection pooled = newConnectionRequired ? null : pool.acquire(address, null, lease);
      if (pooled != null) {
        if (isHealthy(pooled, lease, extensiveHealthChecks)) {
          return pooled;
        }
        continue;
      }

      // A finder told to connect afresh does not wait: the pool's connections are what failed it.
      if (!newConnectionRequired && awaitConnectInFlight(connectTimeoutMillis)) {
        continue; // Another call's connect pooled a connection with room: take it.
      }

      if (routes == null) {
        announceConnect();
        routes = selectRoutes();
        pooled = coalescing && !newConnectionRequired ? pool.acquire(address, routes, lease) : null;
        if (pooled != null) {
          if (isHealthy(pooled, lease, extensiveHealthChecks)) {
            return pooled;
          }
          continue;
        }
      }

      if (nextRouteIndex >= routes.size()) {
        throw firstFailure != null ? firstFailure
            : new IOException("Exhausted all routes to " + address.host() + ":" + address.port() + ": " + routes);
      }
      if (reservation == null) {
        boolean acceptPooled = !newConnectionRequired;
        ConnectionLimiter.Grant grant = pool.limiter().reserve(address,
            acceptPooled && coalescing ? routes : null, acceptPooled, lease, connecting().limitWaiter,
            TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis));
        if (grant.connection() != null) {
          if (isHealthy(grant.connection(), lease, extensiveHealthChecks)) {
            return grant.connection();
          }
          continue;
        }
        reservation = grant.reservation();
      }
      Route route = routes.get(nextRouteIndex++);
      RealConnection fresh;
      try {
        fresh = connect(route, connectTimeoutMillis, readTimeoutMillis, writeTimeoutMillis);
      } catch (IOException e) {
        settings.routeSelector().connectFailed(route, e);
        if (firstFailure == null) {
          firstFailure = e;
        } else {
          firstFailure.addSuppressed(e);
        }
        if (canceled || !settings.retryOnConnectionFailure() || !isRecoverable(e)
            || nextRouteIndex >= routes.size()) {
          throw firstFailure;
        }
        continue;
      }
      settings.routeSelector().connected(route);
      lastFindConnected = true;
      newConnectionRequired = false;
      RealConnection result = pool.put(fresh, lease);
      if (result != fresh) {
        fresh.closeQuietly(); // A concurrent call pooled a multiplexed connection first: share it.
      }
      return result;
    }
  }

  /**
   * Returns true if the last {@link #find} connected a new connection rather than taking a pooled
   * one (even if it then shared a multiplexed connection another call pooled first), so a failure
   * on it cannot be blamed on a connection that went stale while idle.
   */
  public boolean lastFindConnected() {
    return lastFindConnected;
  }

  /**
   * Stops this finder from sharing an HTTP/2 connection made for another host, as after a
   * {@code 421 Misdirected Request} on such a connection (RFC 9110 §15.5.20).
   */
  public void forbidCoalescing() {
    coalescing = false;
  }

  /**
   * Closes any socket this finder is connecting and ends any wait for another call's connect, so
   * {@link #find} fails promptly. Idempotent.
   */
  public void cancel() {
    canceled = true;
    Connecting current = connecting;
    if (current != null) {
      current.cancel();
    }
  }

  /** Returns what connecting needs, made on first use and canceled if this finder was. */
  private Connecting connecting() {
    Connecting result = connecting;
    if (result == null) {
      result = new Connecting(pool.pendingConnects().newParticipant(), pool.limiter().newWaiter(),
          new Connector(pool, settings, call, listener));
      connecting = result;
      // Read after publishing: a cancel() that did not see the new helpers is seen here.
      if (canceled) {
        result.cancel();
      }
    }
    return result;
  }

  /**
   * Makes the next {@link #find} connect a new connection instead of taking a pooled one (or
   * sharing a coalesced one), as after a pooled connection failed mid-exchange: its idle
   * neighbours may have gone stale the same way.
   */
  public void requireNewConnection() {
    newConnectionRequired = true;
  }

  /**
   * Returns true if another route remains to be tried after a failure: routes were not selected
   * yet, or some selected ones were not tried. False once route selection itself failed (an
   * unknown host, no routes), since selecting again would fail the same way.
   */
  public boolean hasMoreRoutes() {
    if (routeSelectionFailed) {
      return false;
    }
    return routes == null || nextRouteIndex < routes.size();
  }

  /** Returns true if route selection failed: the failure is the selector's own, not a connect's. */
  public boolean routeSelectionFailed() {
    return routeSelectionFailed;
  }

  private List<Route> selectRoutes() throws IOException {
    List<Route> direct = OwnTransportConnect.unresolvedRoutes(address, settings.protocols());
    if (direct != null) {
      return direct; // The provider's own transport ignores the host: no DNS, no proxy.
    }
    List<Route> selected;
    try {
      selected = settings.routeSelector().select(address, call, listener);
    } catch (IOException | RuntimeException e) {
      routeSelectionFailed = true;
      throw e;
    }
    if (selected == null || selected.isEmpty()) {
      routeSelectionFailed = true;
      throw new IOException(settings.routeSelector() + " returned no routes for " + address.host()
          + ":" + address.port());
    }
    return List.copyOf(selected);
  }

  /**
   * Waits for the connect another call has in flight to this address, if this finder's connection
   * might be multiplexed and so shared; returns true if the pool should be searched again. Returns
   * false if this finder should connect: leading a connect others may wait for, or alone.
   */
  private boolean awaitConnectInFlight(int connectTimeoutMillis) throws IOException {
    if (connectAlone || !mayBeMultiplexed() || pool.holdsNonMultiplexed(address)) {
      return false;
    }
    PendingConnects.Turn turn = pool.pendingConnects().awaitTurn(
        address, connecting().participant, TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis));
    if (turn == PendingConnects.Turn.LOOK_IN_POOL) {
      return true;
    }
    leadingConnect = turn == PendingConnects.Turn.LEAD;
    // A finder leads one connect at most, and after a failed or unshareable one, or a wait that
    // timed out, it makes its own attempts without waiting again.
    connectAlone = true;
    return false;
  }

  /**
   * Tells the providers of the protocols the new connection may speak (those offered in ALPN, or
   * the one a cleartext connection speaks, as {@link Connector} chooses them) that it is pending,
   * so they can prepare while routes are resolved and the transport connects. A provider that
   * fails to is ignored.
   */
  private void announceConnect() {
    List<Protocol> protocols = address.isHttps()
        ? address.protocols()
        : List.of(Connector.cleartextProtocolOf(address));
    for (Protocol protocol : protocols) {
      if (address.isHttps() && !Connector.negotiableInAlpn(protocol)) {
        continue;
      }
      ProtocolConnectionProvider provider = settings.protocols().forProtocol(protocol);
      if (provider != null) {
        try {
          provider.connectionPending();
        } catch (RuntimeException ignored) {
          // Preparing is optional; the connect itself reports what is wrong with the provider.
        }
      }
    }
  }

  /** Returns true if a connection to the address could speak a multiplexed protocol. */
  private boolean mayBeMultiplexed() {
    if (address.isHttps()) {
      for (Protocol protocol : address.protocols()) {
        if (protocol.isMultiplexed() && protocol != Protocol.H2_PRIOR_KNOWLEDGE
            && settings.protocols().forProtocol(protocol) != null) {
          return true;
        }
      }
      return false;
    }
    return address.protocols().equals(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
        && settings.protocols().forProtocol(Protocol.H2_PRIOR_KNOWLEDGE) != null;
  }

  /**
   * Connects over {@code route}; if that fails, first lets calls waiting for this connect go on
   * to connect on their own.
   */
  private RealConnection connect(Route route, int connectTimeoutMillis, int readTimeoutMillis,
      int writeTimeoutMillis) throws IOException {
    try {
      return connecting().connector.connect(route, connectTimeoutMillis, readTimeoutMillis, writeTimeoutMillis);
    } catch (IOException | RuntimeException e) {
      if (leadingConnect) {
        endLeadingConnect(false);
      }
      throw e;
    }
  }

  private void endLeadingConnect(boolean shareable) {
    leadingConnect = false;
    pool.pendingConnects().end(connecting().participant, shareable);
  }

  private boolean isHealthy(RealConnection connection, CallLease lease, boolean extensiveChecks) {
    if (connection.isHealthy(extensiveChecks)) {
      return true;
    }
    pool.noNewExchanges(connection, CloseReason.FAILED_HEALTH_CHECK);
    pool.release(connection, lease, false);
    return false;
  }

  private boolean isCanceled() {
    return canceled || (call != null && call.isCanceled());
  }

  private void checkNotCanceled(IOException firstFailure) throws IOException {
    if (isCanceled()) {
      IOException canceled = new IOException("Canceled");
      if (firstFailure != null) {
        canceled.addSuppressed(firstFailure);
      }
      throw canceled;
    }
  }

  /** Returns true if connecting over another route might succeed where this failure happened. */
  static boolean isRecoverable(IOException e) {
    if (e instanceof ProtocolException || e instanceof UnknownServiceException) {
      return false;
    }
    if (e instanceof InterruptedIOException) {
      return e instanceof SocketTimeoutException; // A connect timeout: another IP may answer.
    }
    if (e instanceof SSLPeerUnverifiedException) {
      return false; // Hostname or pin mismatch: every route serves the same certificate.
    }
    if (e instanceof SSLHandshakeException) {
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof CertificateException) {
          return false; // The certificate is not trusted.
        }
      }
    }
    return true;
  }

  /**
   * What a search needs to connect: its place among calls waiting for a connect to the address,
   * its place in line for the pool's limits, and the connector. Cancels as a unit.
   */
  private record Connecting(PendingConnects.Participant participant,
      ConnectionLimiter.Waiter limitWaiter, Connector connector) {
    void cancel() {
      participant.cancel();
      limitWaiter.cancel();
      connector.cancel();
    }
  }
}
