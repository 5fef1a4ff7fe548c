package dev.courier.pool.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Runs a pool's cleanup on one daemon thread named {@value RealConnectionPool#THREAD_NAME}: started
 * when the pool changes while it holds connections, sleeping until the deadline cleanup returns,
 * and ending once cleanup reports nothing left to do, or at once when {@linkplain #stopLocked()
 * stopped} for good.
 *
 * <p>A change to the pool (a connection pooled or becoming idle) brings the next run forward to at
 * most {@value #COALESCE_MILLIS} ms away, so a busy pool runs cleanup a few times a second rather
 * than once per request; a limit such as "5 idle connections" may thus be exceeded for that long.
 *
 * <p>Guarded by the pool's lock, which it shares.
 */
final class CleanupRunner {
  /** The longest a change to the pool waits for cleanup to look at it. */
  static final long COALESCE_MILLIS = 100;

  private static final long COALESCE_NANOS = TimeUnit.MILLISECONDS.toNanos(COALESCE_MILLIS);

  /** The shortest wait between two cleanup runs, so a policy answering 0 cannot spin a core. */
  private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** The longest wait between two runs, which keeps deadline arithmetic clear of overflow. */
  private static final long MAX_WAIT_NANOS = TimeUnit.DAYS.toNanos(1);

  private static final System.Logger LOG = System.getLogger("dev.courier.pool.ConnectionPool");

  private final RealConnectionPool pool;
  private final LongSupplier nanoClock;
  private final ReentrantLock lock;
  private final Condition wake;

  // Guarded by lock.
  private boolean running;
  private boolean stopped;
  private Thread thread;
  private long changeCount;
  private long nextRunAtNanos;

  CleanupRunner(RealConnectionPool pool, LongSupplier nanoClock, ReentrantLock lock) {
    this.pool = pool;
    this.nanoClock = nanoClock;
    this.lock = lock;
    this.wake = lock.newCondition();
  }

  /**
   * Records that the pool changed: brings the next run forward to within the coalescing window,
   * or starts the thread if it is not running and the pool holds connections. Call with the lock
   * held; costs a clock read unless the thread must be woken.
   */
  void poolChangedLocked(int connectionCount) {
    poolChangedLocked(connectionCount, nanoClock.getAsLong());
  }

  /**
   * Records that the pool changed as {@link #poolChangedLocked(int)} does, at {@code now}, an
   * instant of the pool's clock the caller has just read.
   */
  void poolChangedLocked(int connectionCount, long now) {
    changeCount++;
    if (running) {
      if (nextRunAtNanos - now > COALESCE_NANOS) {
        nextRunAtNanos = now + COALESCE_NANOS;
        wake.signal();
      }
      return;
    }
    if (connectionCount == 0 || stopped) {
      return;
    }
    running = true;
    nextRunAtNanos = now + COALESCE_NANOS;
    thread = new Thread(new Loop(), RealConnectionPool.THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Stops cleanup for good: wakes the thread so that it ends without another run, and starts no
   * new one. Returns the thread if it is still running, for the caller to wait for after
   * releasing the lock; else null. Call with the lock held.
   */
  Thread stopLocked() {
    stopped = true;
    wake.signalAll();
    return running ? thread : null;
  }

  private void run() {
    try {
      while (true) {
        long observed;
        lock.lock();
        try {
          if (stopped) {
            running = false;
            return;
          }
          long waitNanos = nextRunAtNanos - nanoClock.getAsLong();
          if (waitNanos > 0) {
            wake.awaitNanos(waitNanos);
            continue; // Woken early by a change, or spuriously: recompute the deadline.
          }
          observed = changeCount;
        } finally {
          lock.unlock();
        }

        long cleanupWaitNanos = pool.cleanup(nanoClock.getAsLong());

        lock.lock();
        try {
          long now = nanoClock.getAsLong();
          boolean changed = changeCount != observed;
          if (cleanupWaitNanos < 0 && !changed) {
            running = false;
            return;
          }
          long waitNanos = cleanupWaitNanos < 0
              ? MAX_WAIT_NANOS
              : Math.min(Math.max(cleanupWaitNanos, MIN_WAIT_NANOS), MAX_WAIT_NANOS);
          if (changed) {
            // The pool changed while cleanup ran; those changes have not been looked at yet.
            waitNanos = Math.min(waitNanos, COALESCE_NANOS);
          }
          nextRunAtNanos = now + waitNanos;
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

  /**
   * The cleanup thread's task; a named class rather than {@code this::run}, whose class a cold JVM
   * would spin when the first connection is pooled, on the first call's path.
   */
  private final class Loop implements Runnable {
    @Override
    public void run() {
      CleanupRunner.this.run();
    }
  }
}
