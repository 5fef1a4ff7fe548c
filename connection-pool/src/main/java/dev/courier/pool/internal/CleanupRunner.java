package dev.courier.pool.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Runs a pool's cleanup on one daemon thread named {@value RealConnectionPool#THREAD_NAME}: started
 * when the pool changes while it holds connections, sleeping until the deadline cleanup returns
 * (or until the pool changes again), and ending once cleanup reports nothing left to do.
 *
 * <p>Guarded by the pool's lock, which it shares.
 */
final class CleanupRunner {
  /** The shortest wait between two cleanup runs, so a policy answering 0 cannot spin a core. */
  private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private static final System.Logger LOG = System.getLogger("dev.courier.pool.ConnectionPool");

  private final RealConnectionPool pool;
  private final LongSupplier nanoClock;
  private final ReentrantLock lock;
  private final Condition wake;

  // Guarded by lock.
  private boolean running;
  private long changeCount;

  CleanupRunner(RealConnectionPool pool, LongSupplier nanoClock, ReentrantLock lock) {
    this.pool = pool;
    this.nanoClock = nanoClock;
    this.lock = lock;
    this.wake = lock.newCondition();
  }

  /**
   * Records that the pool changed so the next deadline must be recomputed: wakes the thread, or
   * starts it if it is not running and the pool holds connections. Call with the lock held.
   */
  void poolChangedLocked(int connectionCount) {
    changeCount++;
    if (running) {
      wake.signal();
      return;
    }
    if (connectionCount == 0) {
      return;
    }
    running = true;
    Thread thread = new Thread(this::run, RealConnectionPool.THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (true) {
        long observed;
        lock.lock();
        try {
          observed = changeCount;
        } finally {
          lock.unlock();
        }
        long waitNanos = pool.cleanup(nanoClock.getAsLong());
        lock.lock();
        try {
          if (changeCount != observed) {
            continue; // The pool changed while cleanup ran: look again before sleeping.
          }
          if (waitNanos < 0) {
            running = false;
            return;
          }
          wake.awaitNanos(Math.max(waitNanos, MIN_WAIT_NANOS));
        } finally {
          lock.unlock();
        }
      }
    } catch (InterruptedException e) {
      stop();
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      stop();
      LOG.log(System.Logger.Level.WARNING, "Connection pool cleanup failed; it restarts when a "
          + "connection is next pooled or released", e);
      throw e;
    }
  }

  private void stop() {
    lock.lock();
    try {
      running = false;
    } finally {
      lock.unlock();
    }
  }
}
