package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.Connection;
import dev.courier.Handshake;
import dev.courier.Protocol;
import dev.courier.Route;
import dev.courier.pool.CloseReason;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.PooledConnection;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.Transport;
import dev.courier.tls.StrictHostnameVerifier;
import java.io.IOException;
import java.net.Proxy;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Holds one pooled connection: the route it followed, the {@link ProtocolConnection} speaking over
 * it, and the calls ({@link CallLease}s) using it, up to the protocol's
 * {@link ProtocolConnection#maxConcurrentExchanges() capacity}.
 *
 * <p>Thread-safe. The lease list, the cached capacity and the no-new-exchanges flag are guarded
 * by the owning pool's lock; the pool never calls into the protocol connection (which may do I/O
 * or take its own locks) while holding that lock.
 */
public final class RealConnection implements Connection, PooledConnection {
  private final RealConnectionPool pool;
  private final Route route;
  private final ProtocolConnection protocolConnection;
  private final Transport transport;
  private final boolean multiplexed;
  private final long createdAtNanos;

  /**
   * Numbers each read of the protocol connection's capacity, so that of two reads racing to update
   * {@link #allocationLimit}, the later one wins.
   */
  final AtomicLong capacitySequence = new AtomicLong();

  // Guarded by pool.lock.
  private final List<LeaseReference> leases = new ArrayList<>(1);
  int allocationLimit;
  long appliedCapacitySequence;
  boolean noNewExchanges;
  boolean inPool;
  /** True while the pre-warmer checks this idle connection's socket; no call may take it then. */
  boolean probing;
  /** The first reason given for taking no new exchanges; null while none was given. */
  CloseReason retireReason;
  /**
   * Why the protocol connection stopped taking exchanges on its own, if it did; used only if no
   * reason is given before the connection closes, since the codec does not say why.
   */
  CloseReason exhaustedReason;
  /** The statistics this connection counts in, once pooled (see {@link PoolCounters}). */
  AddressCounters counters;
  int countedState = PoolCounters.GONE;
  long useCount;
  /** Links in the pool's list of idle connections, least recently used first. */
  RealConnection idlePrevious;
  RealConnection idleNext;
  boolean inIdleList;
  /** Links in the list of the pool's connections to this connection's address. */
  RealConnection addressPrevious;
  RealConnection addressNext;
  /** What the eviction policy is shown of this connection; refreshed for each cleanup. */
  final ConnectionSnapshot snapshot = new ConnectionSnapshot(this);
  private volatile long idleAtNanos;

  /** Why the pool closed this connection; set, under the lock, once it leaves the pool. */
  volatile CloseReason closeReason;
  /** Set once the close was reported to the pool's listeners. */
  final AtomicBoolean closeReported = new AtomicBoolean();

  /**
   * Creates a connection over {@code protocolConnection}, not yet pooled.
   *
   * @param idleAtNanos the {@link System#nanoTime()}-based instant the connection was opened
   */
  public RealConnection(RealConnectionPool pool, Route route, ProtocolConnection protocolConnection,
      long idleAtNanos) {
    this.pool = Objects.requireNonNull(pool, "pool == null");
    this.route = Objects.requireNonNull(route, "route == null");
    this.protocolConnection = Objects.requireNonNull(protocolConnection, "protocolConnection == null");
    this.transport = protocolConnection.transport();
    this.multiplexed = protocolConnection.isMultiplexed();
    this.allocationLimit = protocolConnection.maxConcurrentExchanges();
    this.idleAtNanos = idleAtNanos;
    this.createdAtNanos = idleAtNanos;
  }

  /** Returns the pool this connection belongs to. */
  RealConnectionPool pool() {
    return pool;
  }

  /** Returns the protocol connection that makes codecs for this connection. */
  public ProtocolConnection protocolConnection() {
    return protocolConnection;
  }

  /**
   * Returns a codec for a new exchange on this connection.
   *
   * @throws dev.courier.ConnectionShutdownException if the connection takes no new exchanges
   * @throws IOException if the exchange could not be started
   */
  public ExchangeCodec newCodec(ExchangeOptions options) throws IOException {
    return protocolConnection.newCodec(options);
  }

  /**
   * Stops this connection from taking new exchanges because an exchange failed, as
   * {@link #noNewExchanges(CloseReason) noNewExchanges(CloseReason.ERROR)}.
   */
  public void noNewExchanges() {
    noNewExchanges(CloseReason.ERROR);
  }

  /**
   * Stops this connection from taking new exchanges: the pool hands it out no more, and closes it
   * once its last call releases it (at once, if it is idle), reporting {@code reason} unless an
   * earlier call gave one. Idempotent.
   */
  public void noNewExchanges(CloseReason reason) {
    pool.noNewExchanges(this, reason);
    protocolConnection.noNewExchanges();
  }

  /**
   * Takes no new exchanges from now on, for {@code reason} unless one was given before. Requires
   * the pool lock.
   */
  void retireLocked(CloseReason reason) {
    noNewExchanges = true;
    if (retireReason == null) {
      retireReason = reason;
    }
  }

  /**
   * Returns why this connection is closed: the first reason given, else why the protocol
   * connection stopped on its own, else {@code fallback}. Requires the pool lock.
   */
  CloseReason closeReasonLocked(CloseReason fallback) {
    return retireReason != null ? retireReason : exhaustedReason != null ? exhaustedReason : fallback;
  }

  /** Returns true if no call holds this connection. Requires the pool lock. */
  @Override
  public boolean isIdle() {
    return leases.isEmpty();
  }

  /** Returns how many calls hold this connection. Requires the pool lock. */
  @Override
  public int exchangesInFlight() {
    return leases.size();
  }

  /** Returns how many calls the pool has leased this connection to. Requires the pool lock. */
  @Override
  public long useCount() {
    return useCount;
  }

  /** Returns the instant this connection was opened. */
  @Override
  public long createdAtNanos() {
    return createdAtNanos;
  }

  /**
   * Returns the first reason given for retiring this connection (by the eviction policy, the
   * limits, the user or a failure), or null while none was given. Requires the pool lock.
   */
  public CloseReason retireReason() {
    return retireReason;
  }

  /** Returns how many calls hold this connection, leaked ones included. Requires the pool lock. */
  int leaseCount() {
    return leases.size();
  }

  /**
   * Records that {@code lease}'s call holds this connection, counting a use unless the lease is
   * the pool's own. Requires the pool lock.
   */
  void addLease(CallLease lease) {
    leases.add(new LeaseReference(lease));
    if (lease.countsAsUse()) {
      useCount++;
    }
  }

  /** Records that {@code lease}'s call no longer holds this connection. Requires the pool lock. */
  void removeLease(CallLease lease) {
    for (int i = 0; i < leases.size(); i++) {
      if (leases.get(i).get() == lease) {
        leases.remove(i);
        return;
      }
    }
  }

  /**
   * Drops leases whose calls were garbage collected, adding them to {@code leaked}; returns true if
   * no lease remains. Requires the pool lock.
   */
  boolean pruneLeakedLeases(List<LeaseReference> leaked) {
    for (int i = leases.size() - 1; i >= 0; i--) {
      LeaseReference reference = leases.get(i);
      if (reference.get() == null) {
        leaked.add(reference);
        leases.remove(i);
      }
    }
    return leases.isEmpty();
  }

  /**
   * Records {@code capacity} as read in the {@code sequence}-th read, unless a later read was
   * applied already. A capacity of 0 means the connection takes no new exchanges, for good.
   * Requires the pool lock.
   */
  void applyCapacity(long sequence, int capacity) {
    if (sequence <= appliedCapacitySequence) {
      return;
    }
    appliedCapacitySequence = sequence;
    allocationLimit = capacity;
    if (capacity == 0) {
      noNewExchanges = true;
      if (exhaustedReason == null) {
        exhaustedReason = CloseReasons.forCapacityExhausted(multiplexed);
      }
    }
  }

  /** Returns true if the protocol connection says it can carry a new exchange. */
  boolean isHealthy(boolean extensiveChecks) {
    return protocolConnection.isHealthy(extensiveChecks);
  }

  /** Returns true if this connection speaks a multiplexed protocol. */
  boolean isMultiplexed() {
    return multiplexed;
  }

  /**
   * Returns true if a call to {@code address} may take this connection now: it has room for
   * another exchange and either serves {@code address} itself, or (HTTP/2 coalescing) everything
   * but the host matches, {@code routes} show the new host resolving to this connection's IP, the
   * certificate covers the new host and the pinner agrees. Must be called with the pool lock held.
   *
   * @param routes the new host's routes, or null to consider only an exact address match
   */
  boolean isEligible(Address address, List<Route> routes) {
    if (noNewExchanges || probing || leases.size() >= allocationLimit) {
      return false;
    }
    if (route.address().equals(address)) {
      return true;
    }
    return routes != null && multiplexed && canCoalesce(address, routes);
  }

  private boolean canCoalesce(Address address, List<Route> routes) {
    if (!route.address().equalsNonHost(address) || !address.isHttps()
        || address.hostnameVerifier() != StrictHostnameVerifier.INSTANCE) {
      // Only our own verifier is known to judge by the certificate alone.
      return false;
    }
    if (!sharesDirectIp(routes)) {
      return false;
    }
    Handshake handshake = transport.handshake();
    if (handshake == null || handshake.peerCertificates().isEmpty()) {
      return false;
    }
    Certificate leaf = handshake.peerCertificates().get(0);
    if (!(leaf instanceof X509Certificate)
        || !StrictHostnameVerifier.INSTANCE.verify(address.host(), (X509Certificate) leaf)) {
      return false;
    }
    try {
      address.certificatePinner().check(address.host(), handshake.peerCertificates());
      return true;
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }

  private boolean sharesDirectIp(List<Route> routes) {
    if (route.proxy().type() != Proxy.Type.DIRECT) {
      return false;
    }
    for (Route candidate : routes) {
      if (candidate.proxy().type() == Proxy.Type.DIRECT
          && candidate.socketAddress().equals(route.socketAddress())) {
        return true;
      }
    }
    return false;
  }

  /** Closes the protocol connection and its socket. Never throws. */
  void closeQuietly() {
    try {
      protocolConnection.close();
    } catch (RuntimeException ignored) {
      // Closing a connection that is being discarded: nothing useful to do with the failure.
    }
  }

  @Override
  public Route route() {
    return route;
  }

  @Override
  public Socket socket() {
    return transport.socket();
  }

  @Override
  public Handshake handshake() {
    return transport.handshake();
  }

  @Override
  public Protocol protocol() {
    return protocolConnection.protocol();
  }

  @Override
  public Address address() {
    return route.address();
  }

  /** Returns when this connection last became idle, or when it was opened if it never was. */
  @Override
  public long idleAtNanos() {
    return idleAtNanos;
  }

  void idleAtNanos(long nowNanos) {
    this.idleAtNanos = nowNanos;
  }

  @Override
  public String toString() {
    Handshake handshake = transport.handshake();
    return "Connection{" + route.address().host() + ":" + route.address().port()
        + ", proxy=" + route.proxy()
        + ", hostAddress=" + route.socketAddress()
        + ", cipherSuite=" + (handshake != null ? handshake.cipherSuite() : "none")
        + ", protocol=" + protocol() + "}";
  }
}
