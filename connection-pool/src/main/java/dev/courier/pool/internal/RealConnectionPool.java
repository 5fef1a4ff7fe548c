package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.Route;
import dev.courier.pool.CloseReason;
import dev.courier.pool.PoolListener;
import dev.courier.pool.PoolLimits;
import dev.courier.spi.EvictionPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * Keeps connections for reuse, indexed by {@link Address}, and runs the {@link EvictionPolicy}.
 * This is the engine behind {@link dev.courier.pool.ConnectionPool}.
 *
 * <p>Connections are found through a {@link PoolIndex}: by address, scanned in the policy's
 * {@link EvictionPolicy.IdleOrder}; multiplexed ones apart, for HTTP/2 coalescing; idle ones in
 * the order they became idle. No step sorts and none scans other addresses' connections: leasing
 * and releasing cost the same whatever the pool holds.
 *
 * <p>Every lease goes through {@link #leaseLocked} (which keeps the index and the statistics) after
 * the policy's {@link ExchangeAdmission}; every removal goes through {@link #removeLocked} or
 * {@link #droppedLocked} (which tell the statistics, the limiter and the pre-warmer); every close
 * of a pooled connection goes through {@link #closeAndReport}, after the lock is released, which
 * tells the listeners.
 *
 * <p>Cleanup ({@link PoolCleanup}) runs on one daemon thread named {@value #THREAD_NAME} (see
 * {@link CleanupRunner}), started when a connection is pooled, sleeping until the policy's next
 * deadline or for at most 100 ms after the pool changed, and ending when the pool is empty or
 * closed. {@link #cleanup(long)} may also be called directly with any time. Cleanup holds the lock
 * only to take a snapshot of the connections and to apply the policy's decisions; the policy runs
 * outside it.
 *
 * <p>Connects in flight that may yield a multiplexed connection are tracked by {@link
 * PendingConnects}, so that calls to the same address wait for them instead of connecting too.
 *
 * <p>{@link PoolLimits} are enforced by a {@link ConnectionLimiter}, which the pool tells about
 * connections pooled, released and removed; {@link Prewarmer} keeps idle connections open to
 * chosen addresses.
 *
 * <p>{@link #close()} closes every connection, idle or in use, and ends the cleanup thread; a
 * closed pool refuses to lease or take connections with {@link IllegalStateException}.
 *
 * <p>Thread-safe. One lock guards the pool and its connections' lease state; no I/O and no call
 * into a protocol connection happens while it is held.
 */
public final class RealConnectionPool {
  /** The name of the cleanup thread. */
  public static final String THREAD_NAME = "Courier ConnectionPool";

  /** How often cleanup looks for leaked connections while some are in use. */
  static final long LEAK_CHECK_INTERVAL_NANOS = PoolCleanup.LEAK_CHECK_INTERVAL_NANOS;

  private final EvictionPolicy policy;
  private final EvictionPolicy.IdleOrder idleOrder;
  private final LongSupplier nanoClock;
  private final ReentrantLock lock = new ReentrantLock();
  private final CleanupRunner cleanupRunner;
  private final PendingConnects pendingConnects = new PendingConnects();
  private final PoolListeners listeners = new PoolListeners();
  private final ConnectionLimiter limiter;
  // Created on first use. Guarded by lock.
  private Prewarmer prewarmer;
  private final ExchangeAdmission admission;
  private final PoolCleanup cleanup;

  // Guarded by lock.
  private final PoolIndex index = new PoolIndex();
  private final PoolCounters counters = new PoolCounters();
  // Written under lock; read without it when a call starts.
  private volatile boolean closed;

  /** Creates a pool that uses {@code policy}, {@link System#nanoTime()} and a cleanup thread. */
  public RealConnectionPool(EvictionPolicy policy) {
    this(policy, dev.courier.internal.SystemNanoClock.INSTANCE, true);
  }

  /**
   * Creates a pool with an injected clock.
   *
   * @param nanoClock the source of {@link System#nanoTime()}-like instants
   * @param cleanupThreadEnabled false to leave cleanup to explicit {@link #cleanup(long)} calls
   */
  public RealConnectionPool(EvictionPolicy policy, LongSupplier nanoClock, boolean cleanupThreadEnabled) {
    this(policy, nanoClock, cleanupThreadEnabled, PoolLimits.UNLIMITED);
  }

  /**
   * Creates a pool with an injected clock and {@code limits} on its connections.
   *
   * @param nanoClock the source of {@link System#nanoTime()}-like instants
   * @param cleanupThreadEnabled false to leave cleanup to explicit {@link #cleanup(long)} calls
   */
  public RealConnectionPool(EvictionPolicy policy, LongSupplier nanoClock,
      boolean cleanupThreadEnabled, PoolLimits limits) {
    this.limiter = new ConnectionLimiter(this, lock, limits);
    this.policy = Objects.requireNonNull(policy, "policy == null");
    this.idleOrder = Objects.requireNonNull(policy.idleOrder(), "policy.idleOrder() == null");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock == null");
    this.cleanupRunner = cleanupThreadEnabled ? new CleanupRunner(this, nanoClock, lock) : null;
    this.admission = new ExchangeAdmission(policy, nanoClock);
    this.cleanup = new PoolCleanup(this, policy, lock, index);
  }

  /** Returns the eviction policy. */
  public EvictionPolicy policy() {
    return policy;
  }

  /** Returns the limits on this pool's connections. */
  public PoolLimits limits() {
    return limiter.limits();
  }

  /** Returns the enforcer of this pool's limits, where calls wait for a connection slot. */
  ConnectionLimiter limiter() {
    return limiter;
  }

  /** Returns how many calls wait for a connection slot under the limits; cheap, lock-free. */
  public int limitWaiterCount() {
    return limiter.waiterCount();
  }

  /**
   * Waits until exactly {@code count} calls wait for a connection slot, at most
   * {@code timeoutNanos}; returns whether they do. For tests.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitLimitWaiterCount(int count, long timeoutNanos) throws InterruptedException {
    return limiter.awaitWaiterCount(count, timeoutNanos);
  }

  /** Returns how many calls wait for a connection slot to {@code address} under the limits. */
  public int limitWaiterCount(Address address) {
    return limiter.waiterCount(address);
  }

  /**
   * Returns the pre-warmer of this pool, creating it on first use.
   *
   * @throws IllegalStateException if the pool is closed
   */
  public Prewarmer prewarmer() {
    lock.lock();
    try {
      checkNotClosedLocked();
      if (prewarmer == null) {
        prewarmer = new Prewarmer(this, lock, nanoClock, cleanupRunner != null);
      }
      return prewarmer;
    } finally {
      lock.unlock();
    }
  }

  /** Returns the registry of connects in flight that other calls may wait for. */
  PendingConnects pendingConnects() {
    return pendingConnects;
  }

  /** Returns the current instant of this pool's clock. */
  long nowNanos() {
    return nanoClock.getAsLong();
  }

  /**
   * Leases a pooled connection to {@code address} to {@code lease}, or returns null if none is
   * eligible. Connections of the address itself are scanned in the policy's idle order; then, if
   * {@code routes} are given, multiplexed connections to other hosts that may be coalesced.
   *
   * @throws IllegalStateException if the pool is closed
   */
  public RealConnection acquire(Address address, List<Route> routes, CallLease lease) {
    RealConnection result;
    List<RealConnection> refused;
    lock.lock();
    try {
      checkNotClosedLocked();
      result = acquireLocked(address, routes, lease);
      refused = removeRefusedLocked();
    } finally {
      lock.unlock();
    }
    closeAndReport(refused);
    return result;
  }

  /**
   * Starts counting {@code search} as looking for a connection and leases it a pooled connection
   * to its address as {@link #acquire} does (no coalescing), in one hold of the lock: the path
   * nearly every call to a known origin takes. If a connection was leased, the search is counted
   * as ended at once, having waited {@code nowNanos() - startNanos}, on the assumption that the
   * caller's health check passes; if it fails, the caller must call
   * {@link #healthCheckFailed} before anything else. Without a connection the search goes on and
   * the caller ends it with {@link #acquisitionEnded}. Either way the search's counters are left
   * in {@link ExchangeFinder#pendingCounters}.
   *
   * @throws IllegalStateException if the pool is closed; nothing is counted then
   */
  RealConnection acquireStartingSearch(ExchangeFinder search, CallLease lease, long startNanos) {
    Address address = search.address();
    RealConnection result;
    List<RealConnection> refused;
    lock.lock();
    try {
      checkNotClosedLocked();
      AddressCounters addressCounters = counters.acquisitionStartedLocked(address);
      search.pendingCounters = addressCounters;
      result = acquireLocked(address, null, lease);
      if (result != null) {
        long waitNanos = nanoClock.getAsLong() - startNanos;
        search.pooledWaitNanos = waitNanos;
        counters.acquisitionEndedLocked(address, addressCounters, waitNanos, true);
      }
      refused = removeRefusedLocked();
    } finally {
      lock.unlock();
    }
    closeAndReport(refused);
    return result;
  }

  /**
   * Undoes what {@link #acquireStartingSearch} counted for {@code search}'s leased
   * {@code connection}, which failed the health check: the search is counted as looking for a
   * connection again and the acquisition is uncounted (though a longest wait it set stays), and
   * the connection takes no new exchanges. The caller then releases it, which closes it.
   */
  void healthCheckFailed(ExchangeFinder search, RealConnection connection) {
    lock.lock();
    try {
      // Recounted before the connection leaves the pool: the address's counters stay in use.
      counters.acquisitionReopenedLocked(search.pendingCounters, search.pooledWaitNanos);
      connection.retireLocked(CloseReason.FAILED_HEALTH_CHECK);
    } finally {
      lock.unlock();
    }
  }

  /** Tells the listeners that {@code connection} was acquired after {@code waitNanos}. */
  void reportAcquired(RealConnection connection, long waitNanos) {
    listeners.acquired(connection, waitNanos);
  }

  /**
   * Leases an eligible pooled connection as {@link #acquire} does, under the lock the caller
   * holds; the caller must then {@link #removeRefusedLocked()} and close those after unlocking.
   */
  RealConnection acquireLocked(Address address, List<Route> routes, CallLease lease) {
    AddressConnections list = index.connections(address);
    if (list != null) {
      // Scan from the connection that became idle last (LIFO) or first (FIFO), which nearly
      // always serves.
      if (idleOrder == EvictionPolicy.IdleOrder.LIFO) {
        for (RealConnection c = list.last(); c != null; c = AddressConnections.previous(c)) {
          if (leaseIfAdmittedLocked(c, address, lease)) {
            return c;
          }
        }
      } else {
        for (RealConnection c = list.first(); c != null; c = AddressConnections.next(c)) {
          if (leaseIfAdmittedLocked(c, address, lease)) {
            return c;
          }
        }
      }
    }
    if (routes != null) {
      for (RealConnection connection : index.multiplexed()) {
        if (!connection.address().equals(address) && connection.isEligible(address, routes)
            && admission.admitsLocked(connection)) {
          leaseLocked(connection, lease);
          return connection;
        }
      }
    }
    return null;
  }

  /** Leases {@code connection}, which is pooled, to {@code lease}. */
  void leaseLocked(RealConnection connection, CallLease lease) {
    connection.addLease(lease);
    index.leased(connection);
    counters.updateLocked(connection);
  }

  /**
   * Leases {@code connection}, which is pooled and eligible, to {@code lease} if the policy lets it
   * take one more exchange, and returns whether it did. A refused idle connection is left for
   * {@link #removeRefusedLocked()}.
   */
  boolean tryLeaseLocked(RealConnection connection, CallLease lease) {
    if (!admission.admitsLocked(connection)) {
      return false;
    }
    leaseLocked(connection, lease);
    return true;
  }

  /**
   * Removes from the pool the idle connections the policy refused; the caller closes them with
   * {@link #closeAndReport(List)} once it released the lock.
   */
  List<RealConnection> removeRefusedLocked() {
    List<RealConnection> refused = admission.takeRefusedIdleLocked();
    // Indexed, as on every acquire and release: the list is nearly always empty.
    for (int i = 0; i < refused.size(); i++) {
      removeLocked(refused.get(i));
    }
    return refused;
  }

  /** Closes each of {@code connections}, dropped from the pool, reporting each once. */
  void closeAndReport(List<RealConnection> connections) {
    for (int i = 0; i < connections.size(); i++) {
      closeAndReport(connections.get(i));
    }
  }

  /**
   * Pools the newly connected {@code fresh}, leased to {@code lease}, and returns it; unless it is
   * multiplexed and another multiplexed connection to the same address with room was pooled
   * meanwhile, in which case that one is leased and returned instead and the caller must close
   * {@code fresh}.
   *
   * @throws IllegalStateException if the pool is closed; {@code fresh} is then closed
   */
  public RealConnection put(RealConnection fresh, CallLease lease) {
    // Capacity changes reported before the connection was wired to the pool were not applied.
    long sequence = fresh.capacitySequence.incrementAndGet();
    int capacity = fresh.protocolConnection().maxConcurrentExchanges();
    RealConnection result = null;
    List<RealConnection> refused = List.of();
    lock.lock();
    try {
      if (!closed) {
        result = putLocked(fresh, lease, sequence, capacity);
        refused = removeRefusedLocked();
      }
    } finally {
      lock.unlock();
    }
    closeAndReport(refused);
    if (result == null) {
      fresh.closeQuietly();
      throw closedException();
    }
    if (result == fresh) {
      listeners.opened(fresh);
    }
    return result;
  }

  private RealConnection putLocked(RealConnection fresh, CallLease lease, long sequence, int capacity) {
    fresh.applyCapacity(sequence, capacity);
    Address address = fresh.address();
    AddressConnections list = index.connections(address);
    if (fresh.isMultiplexed() && list != null) {
      for (RealConnection pooled = list.first(); pooled != null;
          pooled = AddressConnections.next(pooled)) {
        if (pooled.isMultiplexed() && pooled.isEligible(address, null) && admission.admitsLocked(pooled)) {
          leaseLocked(pooled, lease);
          return pooled;
        }
      }
    }
    fresh.addLease(lease);
    index.add(fresh);
    counters.pooledLocked(fresh);
    limiter.connectionAddedLocked(address);
    limiter.offerLocked(fresh); // A new HTTP/2 connection may have room for calls waiting.
    poolChangedLocked();
    return fresh;
  }

  /**
   * Returns true if {@code connection} is pooled, multiplexed and has room for another call, so
   * that calls waiting for it should look in the pool rather than connect.
   */
  boolean isShareable(RealConnection connection) {
    lock.lock();
    try {
      return connection.inPool && connection.isMultiplexed()
          && connection.isEligible(connection.address(), null);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns true if the pool holds a connection to {@code address} that is not multiplexed: the
   * server chose HTTP/1.1 lately, so calls to it gain nothing by waiting for each other's connects.
   */
  boolean holdsNonMultiplexed(Address address) {
    lock.lock();
    try {
      AddressConnections list = index.connections(address);
      if (list != null) {
        for (RealConnection connection = list.first(); connection != null;
            connection = AddressConnections.next(connection)) {
          if (!connection.isMultiplexed()) {
            return true;
          }
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends {@code lease}'s use of {@code connection}. A connection that takes no new exchanges is
   * closed once its last lease is released; otherwise it becomes idle.
   */
  public void release(RealConnection connection, CallLease lease) {
    release(connection, lease, true);
  }

  /**
   * Ends {@code lease}'s use of {@code connection}, telling the listeners unless
   * {@code reportRelease} is false (the call never got to use it).
   */
  void release(RealConnection connection, CallLease lease, boolean reportRelease) {
    // Read outside the lock: the protocol connection may take its own lock.
    long sequence = connection.capacitySequence.incrementAndGet();
    int capacity = connection.protocolConnection().maxConcurrentExchanges();
    boolean close = false;
    List<RealConnection> refused;
    lock.lock();
    try {
      connection.removeLease(lease);
      connection.applyCapacity(sequence, capacity);
      if (connection.isIdle()) {
        if (connection.noNewExchanges || !connection.inPool) {
          removeLocked(connection);
          close = true;
        } else {
          long now = nanoClock.getAsLong();
          connection.idleAtNanos(now);
          index.becameIdle(connection);
          counters.updateLocked(connection);
          poolChangedLocked(now); // One clock read per release.
        }
      }
      if (!close && connection.inPool && limiter.offerLocked(connection)) {
        connection.retireLocked(CloseReason.CONNECTION_LIMIT);
        removeLocked(connection); // Its slot serves a waiting call better than it idles.
        close = true;
      }
      refused = removeRefusedLocked(); // The policy may refuse it to a waiter.
    } finally {
      lock.unlock();
    }
    if (reportRelease) {
      listeners.released(connection);
    }
    closeAndReport(refused);
    if (close) {
      closeAndReport(connection);
    }
  }

  /**
   * Marks {@code connection} as taking no new exchanges for {@code reason}, closing it now if it
   * is idle.
   */
  void noNewExchanges(RealConnection connection, CloseReason reason) {
    boolean close = false;
    lock.lock();
    try {
      connection.retireLocked(reason);
      if (connection.inPool && connection.isIdle()) {
        removeLocked(connection);
        close = true;
      }
    } finally {
      lock.unlock();
    }
    if (close) {
      closeAndReport(connection);
    }
  }

  /** Re-reads {@code connection}'s capacity; closes it if it takes no more exchanges and is idle. */
  void capacityChanged(RealConnection connection) {
    long sequence = connection.capacitySequence.incrementAndGet();
    int capacity = connection.protocolConnection().maxConcurrentExchanges();
    boolean close = false;
    List<RealConnection> refused;
    lock.lock();
    try {
      connection.applyCapacity(sequence, capacity);
      if (connection.noNewExchanges && connection.inPool && connection.isIdle()) {
        removeLocked(connection);
        close = true;
      } else if (connection.inPool && limiter.offerLocked(connection)) {
        connection.retireLocked(CloseReason.CONNECTION_LIMIT);
        removeLocked(connection);
        close = true;
      }
      refused = removeRefusedLocked();
    } finally {
      lock.unlock();
    }
    closeAndReport(refused);
    if (close) {
      closeAndReport(connection);
    }
  }

  /**
   * Runs one cleanup at {@code nowNanos}: reclaims leaked connections (logging a warning for
   * each), shows the policy every pooled connection and applies what it decides. The pool's lock
   * is held only to take the snapshot (no sorting: idle connections are kept in order) and to
   * apply the decisions; the policy runs outside it. Cleanups run one at a time.
   *
   * @return nanoseconds until cleanup should run again, or -1 if nothing remains that could need
   *     it (no connections, or only idle ones the policy never expires)
   */
  public long cleanup(long nowNanos) {
    return cleanup.run(nowNanos);
  }

  /**
   * Closes every idle connection and makes every connection in use take no new exchanges, so it
   * is closed when released.
   */
  public void evictAll() {
    List<RealConnection> toClose = new ArrayList<>();
    List<RealConnection> inUse = new ArrayList<>();
    lock.lock();
    try {
      for (RealConnection connection : index.all()) {
        connection.retireLocked(CloseReason.EVICTED_BY_USER);
        if (connection.isIdle()) {
          removeLocked(connection);
          toClose.add(connection);
        } else {
          inUse.add(connection);
        }
      }
      poolChangedLocked();
    } finally {
      lock.unlock();
    }
    closeAndReport(toClose);
    for (RealConnection connection : inUse) {
      connection.protocolConnection().noNewExchanges();
    }
  }

  /**
   * Closes every connection, idle or in use (calls still using one fail), ends the cleanup thread
   * (waiting for it unless called on it), and makes the pool refuse to lease or take connections
   * from now on. Idempotent.
   */
  public void close() {
    List<RealConnection> toClose;
    Thread cleanupThread = null;
    Prewarmer stoppedPrewarmer;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      toClose = index.all();
      index.clear();
      for (RealConnection connection : toClose) {
        connection.retireLocked(CloseReason.POOL_CLOSED);
        counters.closedLocked(connection, connection.closeReasonLocked(CloseReason.POOL_CLOSED));
      }
      limiter.closeLocked();
      if (cleanupRunner != null) {
        cleanupThread = cleanupRunner.stopLocked();
      }
      stoppedPrewarmer = prewarmer;
      if (stoppedPrewarmer != null) {
        stoppedPrewarmer.stopLocked();
      }
    } finally {
      lock.unlock();
    }
    // Canceling a connect in flight closes its socket: not under the lock.
    Thread prewarmThread = stoppedPrewarmer != null ? stoppedPrewarmer.cancelConnect() : null;
    closeAndReport(toClose);
    if (cleanupThread != null && cleanupThread != Thread.currentThread()) {
      try {
        cleanupThread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (prewarmThread != null && prewarmThread != Thread.currentThread()) {
      try {
        prewarmThread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Returns true once {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** Returns the number of pooled connections carrying no exchange. */
  public int idleConnectionCount() {
    lock.lock();
    try {
      return index.idleCount();
    } finally {
      lock.unlock();
    }
  }

  /** Returns the number of pooled connections, idle or in use. */
  public int connectionCount() {
    lock.lock();
    try {
      return index.count();
    } finally {
      lock.unlock();
    }
  }

  /** Registers {@code listener} for this pool's events; registering it again has no effect. */
  public void addListener(PoolListener listener) {
    listeners.add(listener);
  }

  /** Unregisters {@code listener}; returns false if it was not registered. */
  public boolean removeListener(PoolListener listener) {
    return listeners.remove(listener);
  }

  /**
   * Returns a snapshot of this pool's statistics: {@code wrapTotals} receives the totals and the
   * map of each counted address's counts, made by {@code wrapAddress}.
   */
  public <A, P> P statistics(BiFunction<Address, AddressCounters, A> wrapAddress,
      BiFunction<AddressCounters, Map<Address, A>, P> wrapTotals) {
    AddressCounters totals;
    Map<Address, A> byAddress;
    lock.lock();
    try {
      totals = counters.totalsLocked();
      byAddress = counters.copyAllLocked(wrapAddress);
    } finally {
      lock.unlock();
    }
    return wrapTotals.apply(totals, byAddress);
  }

  /** Returns a copy of {@code address}'s counts, or null if the pool counts nothing for it now. */
  public AddressCounters statistics(Address address) {
    lock.lock();
    try {
      return counters.copyLocked(address);
    } finally {
      lock.unlock();
    }
  }

  /** Counts a call to {@code address} as looking for a connection; returns the counters to end it. */
  AddressCounters acquisitionStarted(Address address) {
    lock.lock();
    try {
      return counters.acquisitionStartedLocked(address);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Counts the end of a search for a connection to {@code address} that took {@code waitNanos}
   * and found {@code acquired}, or nothing if null, and tells the listeners of an acquisition.
   */
  void acquisitionEnded(Address address, AddressCounters addressCounters, long waitNanos,
      RealConnection acquired) {
    lock.lock();
    try {
      counters.acquisitionEndedLocked(address, addressCounters, waitNanos, acquired != null);
    } finally {
      lock.unlock();
    }
    if (acquired != null) {
      listeners.acquired(acquired, waitNanos);
    }
  }

  /** Returns the number of leases {@code connection} carries, leaked ones included until cleanup. */
  int leaseCount(RealConnection connection) {
    lock.lock();
    try {
      return connection.leaseCount();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns how many pooled connections to {@code address} could take a call now without
   * waiting: idle ones, or {@link Integer#MAX_VALUE} if a multiplexed one has room.
   */
  int availableConnectionCount(Address address) {
    lock.lock();
    try {
      int result = 0;
      AddressConnections list = index.connections(address);
      if (list != null) {
        for (RealConnection connection = list.first(); connection != null;
            connection = AddressConnections.next(connection)) {
          if (connection.isMultiplexed() && connection.isEligible(address, null)) {
            return Integer.MAX_VALUE;
          }
          if (connection.isIdle() && connection.isEligible(address, null)) {
            result++;
          }
        }
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Marks every idle, not multiplexed connection to {@code address} as being probed, so that no
   * call takes one meanwhile, and returns them; the caller ends each probe with {@link #endProbe}.
   * A probe is no lease: it counts no use, leaves the connection idle (since the same instant, in
   * the same place of the idle order) and is not reported to listeners.
   */
  List<RealConnection> beginProbes(Address address) {
    List<RealConnection> result = new ArrayList<>();
    lock.lock();
    try {
      AddressConnections list = index.connections(address);
      if (list != null) {
        for (RealConnection connection = list.first(); connection != null;
            connection = AddressConnections.next(connection)) {
          if (!connection.isMultiplexed() && connection.isIdle()
              && connection.isEligible(address, null)) {
            connection.probing = true;
            result.add(connection);
          }
        }
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the probe of {@code connection} that {@link #beginProbes} began: closes it if it is not
   * {@code healthy} ({@link CloseReason#FAILED_HEALTH_CHECK}), else offers it to calls waiting
   * under the limits, which could not take it while it was probed.
   */
  void endProbe(RealConnection connection, boolean healthy) {
    boolean close = false;
    List<RealConnection> refused;
    lock.lock();
    try {
      connection.probing = false;
      if (!healthy) {
        connection.retireLocked(CloseReason.FAILED_HEALTH_CHECK);
      }
      if (connection.inPool && connection.isIdle() && connection.noNewExchanges) {
        removeLocked(connection);
        close = true;
      } else if (connection.inPool && limiter.offerLocked(connection)) {
        connection.retireLocked(CloseReason.CONNECTION_LIMIT);
        removeLocked(connection); // Its slot serves a waiting call better than it idles.
        close = true;
      }
      refused = removeRefusedLocked();
    } finally {
      lock.unlock();
    }
    closeAndReport(refused);
    if (close) {
      closeAndReport(connection);
    }
  }

  /**
   * Removes the connection idle the longest (to {@code address}, or to any address if it is null),
   * to give its slot to a call waiting under the limits, and returns it for the caller to close
   * outside the lock; null if none is idle.
   */
  RealConnection removeLongestIdleLocked(Address address) {
    RealConnection oldest = index.longestIdle(address);
    if (oldest != null) {
      oldest.retireLocked(CloseReason.CONNECTION_LIMIT);
      removeLocked(oldest);
    }
    return oldest;
  }

  /**
   * Removes {@code connection} from the pool, if it is pooled, for the caller to close with {@link
   * #closeAndReport} once it released the lock.
   */
  void removeLocked(RealConnection connection) {
    if (!connection.inPool) {
      return;
    }
    index.remove(connection);
    droppedLocked(connection);
  }

  /**
   * Tells the limiter, the pre-warmer and the statistics that {@code connection}, just removed
   * from the index, left the pool.
   */
  void droppedLocked(RealConnection connection) {
    limiter.connectionRemovedLocked(connection.address());
    if (prewarmer != null) {
      prewarmer.connectionRemovedLocked(connection.address());
    }
    // Whatever dropped it gave a reason; one that did not is a policy's retirement.
    counters.closedLocked(connection, connection.closeReasonLocked(CloseReason.POLICY));
  }

  /**
   * Closes {@code connection}, dropped from the pool, and tells the listeners why, once. Never
   * under the pool's lock: closing is I/O, and listeners may call back into the pool.
   */
  void closeAndReport(RealConnection connection) {
    assert !lock.isHeldByCurrentThread() : "closing " + connection + " under the pool lock";
    connection.closeQuietly();
    CloseReason reason = connection.closeReason;
    if (reason != null && connection.closeReported.compareAndSet(false, true)) {
      listeners.closed(connection, reason);
    }
  }

  /** Returns true if the calling thread holds the pool's lock; for checking that no I/O runs under it. */
  boolean isLockHeldByCurrentThread() {
    return lock.isHeldByCurrentThread();
  }

  void checkNotClosedLocked() {
    if (closed) {
      throw closedException();
    }
  }

  private static IllegalStateException closedException() {
    return new IllegalStateException("ConnectionPool is closed");
  }

  private void poolChangedLocked() {
    if (cleanupRunner != null && !closed) {
      cleanupRunner.poolChangedLocked(index.count());
    }
  }

  /** Tells the cleanup thread the pool changed at {@code now}, an instant just read from its clock. */
  private void poolChangedLocked(long now) {
    if (cleanupRunner != null && !closed) {
      cleanupRunner.poolChangedLocked(index.count(), now);
    }
  }

  /**
   * Leases {@code connection} to {@code lease} if it can carry an exchange to {@code address} and
   * the eviction policy admits it; returns whether it did.
   */
  private boolean leaseIfAdmittedLocked(RealConnection connection, Address address, CallLease lease) {
    if (connection.isEligible(address, null) && admission.admitsLocked(connection)) {
      leaseLocked(connection, lease);
      return true;
    }
    return false;
  }

  @Override
  public String toString() {
    return "ConnectionPool{" + policy + "}";
  }
}
