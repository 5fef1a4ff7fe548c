package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.EventListener;
import dev.courier.Route;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Keeps a minimum number of idle connections open to chosen addresses, opening them in the
 * background on one daemon thread named {@value #THREAD_NAME}, so that calls find them ready.
 *
 * <p>Each run, for each address: idle HTTP/1 connections are probed (a closed or chatty socket is
 * closed, as a call's health check would), then connections are opened until the address has its
 * minimum idle. A multiplexed (HTTP/2) connection with room serves any number of calls, so one
 * satisfies any minimum. Connects take a slot under the pool's {@link dev.courier.pool.PoolLimits}
 * only when one is free and no call is waiting for one: pre-warming never exceeds a limit nor
 * delays a call. A failed connect is logged and retried after a back-off that doubles from
 * {@value #INITIAL_BACKOFF_MILLIS} ms up to {@value #MAX_BACKOFF_MILLIS} ms, reset by a success;
 * nothing is thrown to the user.
 *
 * <p>The thread starts with the first address, runs again at once when a connection to a chosen
 * address leaves the pool and at least every {@value #CHECK_INTERVAL_MILLIS} ms otherwise, and ends
 * when the pool closes (a connect in flight is canceled) or no address is left to keep warm. {@link #runOnce(long)} may also be
 * called directly with any time.
 *
 * <p>Thread-safe. Shares the pool's lock, which guards its state; it connects and probes without
 * holding it.
 */
public final class Prewarmer {
  /** The name of the pre-warming thread. */
  public static final String THREAD_NAME = "Courier Prewarmer";

  static final long INITIAL_BACKOFF_MILLIS = 100;
  static final long MAX_BACKOFF_MILLIS = 30_000;
  static final long CHECK_INTERVAL_MILLIS = 1_000;

  private static final System.Logger LOG = System.getLogger("dev.courier.pool.ConnectionPool");

  private final RealConnectionPool pool;
  private final ReentrantLock lock;
  private final Condition wake;
  private final Condition ran;
  private final LongSupplier nanoClock;
  private final boolean threadEnabled;

  // Guarded by lock.
  private final Map<Address, Target> targets = new LinkedHashMap<>();
  private Thread thread;
  private boolean stopped;
  private boolean changed;
  private long completedRuns;
  // Set and cleared by the running connect, read by stopLocked().
  private volatile Connector connecting;

  Prewarmer(RealConnectionPool pool, ReentrantLock lock, LongSupplier nanoClock, boolean threadEnabled) {
    this.pool = pool;
    this.lock = lock;
    this.wake = lock.newCondition();
    this.ran = lock.newCondition();
    this.nanoClock = nanoClock;
    this.threadEnabled = threadEnabled;
  }

  /**
   * Keeps {@code minIdle} idle connections open to {@code address}, replacing what was asked for
   * it before; 0 stops pre-warming it (connections already open stay until evicted).
   *
   * @param settings how to select routes and which protocols to speak
   * @param connectTimeoutMillis the connect timeout of each connect; 0 for none
   * @param readTimeoutMillis the read timeout during handshakes
   * @param writeTimeoutMillis the write timeout during handshakes
   * @throws IllegalArgumentException if {@code minIdle} or a timeout is negative
   * @throws IllegalStateException if the pool is closed
   */
  public void prewarm(Address address, ConnectSettings settings, int minIdle,
      int connectTimeoutMillis, int readTimeoutMillis, int writeTimeoutMillis) {
    Objects.requireNonNull(address, "address == null");
    Objects.requireNonNull(settings, "settings == null");
    if (minIdle < 0) {
      throw new IllegalArgumentException("minIdle < 0: " + minIdle);
    }
    if (connectTimeoutMillis < 0 || readTimeoutMillis < 0 || writeTimeoutMillis < 0) {
      throw new IllegalArgumentException("timeouts must not be negative");
    }
    lock.lock();
    try {
      if (stopped) {
        throw new IllegalStateException("ConnectionPool is closed");
      }
      if (minIdle == 0) {
        targets.remove(address);
        changed = true;
        wake.signal();
        return;
      }
      targets.put(address, new Target(address, settings, minIdle, connectTimeoutMillis,
          readTimeoutMillis, writeTimeoutMillis));
      changed = true;
      if (threadEnabled && thread == null) {
        thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
      }
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes the thread if a connection to a chosen address left the pool. */
  void connectionRemovedLocked(Address address) {
    if (targets.containsKey(address)) {
      changed = true;
      wake.signal();
    }
  }

  /**
   * Stops pre-warming for good; the caller must then call {@link #cancelConnect()} once it
   * released the lock.
   */
  void stopLocked() {
    stopped = true;
    targets.clear();
    wake.signal();
  }

  /**
   * Cancels the connect in flight, if any, after {@link #stopLocked()}: without the lock, since
   * that closes its socket. Returns the thread if it is running, for the caller to wait for; else
   * null.
   */
  Thread cancelConnect() {
    // Either this sees the connect, or the connect sees stopped once it is set: see connectOne.
    Connector current = connecting;
    if (current != null) {
      current.cancel();
    }
    lock.lock();
    try {
      return thread;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Brings every chosen address up to its minimum idle connections, as far as the limits and
   * back-offs allow, at {@code nowNanos}. Returns the nanoseconds until the next run is due.
   */
  long runOnce(long nowNanos) {
    List<Target> due = new ArrayList<>();
    long waitNanos = TimeUnit.MILLISECONDS.toNanos(CHECK_INTERVAL_MILLIS);
    lock.lock();
    try {
      changed = false;
      for (Target target : targets.values()) {
        long untilNanos = target.failures == 0 ? 0 : target.nextAttemptAtNanos - nowNanos;
        if (untilNanos <= 0) {
          due.add(target);
        } else {
          waitNanos = Math.min(waitNanos, untilNanos);
        }
      }
    } finally {
      lock.unlock();
    }
    for (Target target : due) {
      if (isStopped()) {
        break;
      }
      probeIdle(target);
      topUp(target, nowNanos);
      if (target.failures > 0) {
        waitNanos = Math.min(waitNanos, target.nextAttemptAtNanos - nowNanos);
      }
    }
    return Math.max(waitNanos, 0);
  }

  /**
   * Waits until the thread has completed {@code runs} runs, at most {@code timeoutNanos}; returns
   * whether it has. For tests, which must know pre-warming has had its go before they look.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitCompletedRuns(long runs, long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      long remainingNanos = timeoutNanos;
      while (completedRuns < runs) {
        if (remainingNanos <= 0) {
          return false;
        }
        remainingNanos = ran.awaitNanos(remainingNanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Returns how many connect failures in a row {@code address} has had; for tests. */
  int failureCount(Address address) {
    lock.lock();
    try {
      Target target = targets.get(address);
      return target != null ? target.failures : 0;
    } finally {
      lock.unlock();
    }
  }

  /** Returns the back-off after {@code failures} failed connects in a row. */
  static long backoffNanos(int failures) {
    long millis = INITIAL_BACKOFF_MILLIS << Math.min(failures - 1, 20);
    return TimeUnit.MILLISECONDS.toNanos(Math.min(millis, MAX_BACKOFF_MILLIS));
  }

  private void probeIdle(Target target) {
    for (RealConnection connection : pool.beginProbes(target.address)) {
      boolean healthy = false;
      try {
        healthy = connection.isHealthy(true);
      } finally {
        pool.endProbe(connection, healthy);
      }
    }
  }

  private void topUp(Target target, long nowNanos) {
    while (!isStopped() && pool.availableConnectionCount(target.address) < target.minIdle) {
      ConnectionLimiter.Reservation reservation = pool.limiter().tryReserve(target.address);
      if (reservation == null) {
        return; // At a limit, or calls are waiting: a slot freeing up wakes this thread.
      }
      try {
        connectOne(target);
        target.failures = 0;
      } catch (IOException | RuntimeException e) {
        if (isStopped()) {
          return;
        }
        target.failures++;
        long backoffNanos = backoffNanos(target.failures);
        target.nextAttemptAtNanos = nowNanos + backoffNanos;
        LOG.log(System.Logger.Level.WARNING, "Pre-warming a connection to "
            + target.address.host() + ":" + target.address.port() + " failed (" + e
            + "); retrying in " + TimeUnit.NANOSECONDS.toMillis(backoffNanos) + " ms");
        return;
      } finally {
        pool.limiter().release(reservation);
      }
    }
  }

  /** Connects over the first route that works and leaves the connection idle in the pool. */
  private void connectOne(Target target) throws IOException {
    List<Route> routes = target.settings.routeSelector().select(target.address, null, EventListener.NONE);
    if (routes == null || routes.isEmpty()) {
      throw new IOException(target.settings.routeSelector() + " returned no routes for "
          + target.address.host() + ":" + target.address.port());
    }
    IOException firstFailure = null;
    for (Route route : routes) {
      Connector connector = new Connector(pool, target.settings, null, EventListener.NONE);
      connecting = connector;
      if (isStopped()) {
        connector.cancel();
      }
      RealConnection fresh;
      try {
        fresh = connector.connect(route, target.connectTimeoutMillis, target.readTimeoutMillis,
            target.writeTimeoutMillis);
      } catch (IOException e) {
        target.settings.routeSelector().connectFailed(route, e);
        if (firstFailure == null) {
          firstFailure = e;
        } else {
          firstFailure.addSuppressed(e);
        }
        if (connector.isCanceled()) {
          break;
        }
        continue;
      } finally {
        connecting = null;
      }
      target.settings.routeSelector().connected(route);
      CallLease lease = new CallLease(target.address.url());
      RealConnection pooled = pool.put(fresh, lease);
      if (pooled != fresh) {
        fresh.closeQuietly(); // Another multiplexed connection was pooled first: it serves.
      }
      pool.release(pooled, lease, false); // Pooling it was no acquisition: listeners hear nothing.
      return;
    }
    throw firstFailure;
  }

  private boolean isStopped() {
    lock.lock();
    try {
      return stopped;
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    long nextRunAtNanos = nanoClock.getAsLong();
    try {
      while (true) {
        lock.lock();
        try {
          while (!stopped && !changed) {
            long waitNanos = nextRunAtNanos - nanoClock.getAsLong();
            if (waitNanos <= 0) {
              break;
            }
            wake.awaitNanos(waitNanos);
          }
          if (stopped) {
            return;
          }
          if (targets.isEmpty()) {
            thread = null; // Nothing left to keep warm: the next prewarm() starts a new thread.
            return;
          }
        } finally {
          lock.unlock();
        }
        long now = nanoClock.getAsLong();
        nextRunAtNanos = now + runOnce(now);
        lock.lock();
        try {
          completedRuns++;
          ran.signalAll();
        } finally {
          lock.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.WARNING, "Pre-warming stopped after a failure", e);
      throw e;
    }
  }

  /** One address to keep warm, and its back-off, written only by the run in progress. */
  private static final class Target {
    final Address address;
    final ConnectSettings settings;
    final int minIdle;
    final int connectTimeoutMillis;
    final int readTimeoutMillis;
    final int writeTimeoutMillis;
    volatile int failures;
    volatile long nextAttemptAtNanos;

    Target(Address address, ConnectSettings settings, int minIdle, int connectTimeoutMillis,
        int readTimeoutMillis, int writeTimeoutMillis) {
      this.address = address;
      this.settings = settings;
      this.minIdle = minIdle;
      this.connectTimeoutMillis = connectTimeoutMillis;
      this.readTimeoutMillis = readTimeoutMillis;
      this.writeTimeoutMillis = writeTimeoutMillis;
    }
  }
}
