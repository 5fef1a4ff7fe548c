package dev.courier.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Ends blocking operations that outlast their timeouts: one daemon thread looks coarsely at the
 * operation in progress on each {@link WatchedOperation} it watches (the writes of each {@link
 * SocketSink}, the reads and writes of channels that have no socket timeout) and closes the
 * socket or channel of one past its deadline. An operation is watched from its first timed run
 * until it has been quiet for a while, so a steady stream of them costs two volatile stores each
 * and never wakes the thread; the thread is woken only when one joins, and ends once it watches
 * none. Thread-safe.
 */
final class IoWatchdog {
  /** The watchdog every {@link SocketSink} uses unless given another. */
  static final IoWatchdog SHARED = new IoWatchdog("Courier I/O Watchdog",
      TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.MILLISECONDS.toNanos(250), SystemNanoClock.INSTANCE);

  private final String threadName;
  private final long quietReleaseNanos;
  private final long maxParkNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentLinkedQueue<Watched> joining = new ConcurrentLinkedQueue<>();
  /** Touched only by the watchdog thread. */
  private final List<Watched> watched = new ArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  /** The running watchdog thread, or null; guarded by {@link #lock}. */
  private Thread thread;

  /**
   * Creates a watchdog whose thread is named {@code threadName}, stops watching a sink quiet for
   * {@code quietReleaseNanos}, and looks at least every {@code maxParkNanos} while it watches any.
   */
  IoWatchdog(String threadName, long quietReleaseNanos, long maxParkNanos, LongSupplier nanoTime) {
    this.threadName = threadName;
    this.quietReleaseNanos = quietReleaseNanos;
    this.maxParkNanos = maxParkNanos;
    this.nanoTime = nanoTime;
  }

  /** Returns the current time of this watchdog's clock, in nanoseconds. */
  long nanoTime() {
    return nanoTime.getAsLong();
  }

  /**
   * Starts watching {@code operation}, starting the thread if none runs. Called once per watch
   * period.
   */
  void watch(Watched operation) {
    joining.add(operation);
    lock.lock();
    try {
      if (thread == null) {
        thread = new Thread(new Loop(), threadName);
        thread.setDaemon(true);
        thread.start();
      } else {
        // The sink's timeout may be shorter than the thread's current park.
        LockSupport.unpark(thread);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Returns the running thread, or null if none runs. */
  Thread thread() {
    lock.lock();
    try {
      return thread;
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    while (true) {
      for (Watched operation; (operation = joining.poll()) != null; ) {
        watched.add(operation);
      }
      long parkNanos = look();
      if (watched.isEmpty()) {
        lock.lock();
        try {
          if (joining.isEmpty()) {
            thread = null;
            return;
          }
        } finally {
          lock.unlock();
        }
        continue;
      }
      LockSupport.parkNanos(this, parkNanos);
    }
  }

  /** Ends overdue writes, lets go of quiet and closed sinks, and returns how long to park. */
  private long look() {
    long now = nanoTime();
    long parkNanos = maxParkNanos;
    for (Iterator<Watched> i = watched.iterator(); i.hasNext(); ) {
      Watched sink = i.next();
      if (sink.isClosed()) {
        i.remove();
        sink.released();
        continue;
      }
      long deadline = sink.deadlineNanos();
      if (deadline != Watched.NOT_RUNNING) {
        long remaining = deadline - now;
        if (remaining <= 0) {
          i.remove();
          sink.released();
          sink.timedOut();
          continue;
        }
        parkNanos = Math.min(parkNanos, remaining);
      } else if (now - sink.lastStartNanos() >= quietReleaseNanos && sink.release()) {
        i.remove();
      } else {
        // A write starting now ends no sooner than one timeout from now.
        parkNanos = Math.min(parkNanos, Math.max(1, sink.lastTimeoutNanos()));
      }
    }
    return parkNanos;
  }

  /** What the watchdog reads of a timed operation, and how it ends one. */
  interface Watched {
    /** The deadline while no timed operation is in progress. */
    long NOT_RUNNING = Long.MIN_VALUE;

    /** Returns the deadline of the operation in progress, or {@link #NOT_RUNNING}. */
    long deadlineNanos();

    /** Returns when the last timed operation began. */
    long lastStartNanos();

    /** Returns the timeout of the last timed operation. */
    long lastTimeoutNanos();

    /** Returns true once the socket or channel is closed. */
    boolean isClosed();

    /** Stops being watched unless a timed operation began meanwhile; returns true if it stopped. */
    boolean release();

    /** Records that the watchdog no longer watches this. */
    void released();

    /** Ends the overdue operation in progress by closing the socket or channel. */
    void timedOut();
  }

  /**
   * The watchdog thread's task; a named class rather than {@code this::run}, whose class a cold JVM
   * would spin on the first timed connect, on the first call's path.
   */
  private final class Loop implements Runnable {
    @Override
    public void run() {
      IoWatchdog.this.run();
    }
  }
}
