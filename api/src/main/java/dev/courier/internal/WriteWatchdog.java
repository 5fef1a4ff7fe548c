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
 * Ends socket writes that outlast their timeouts: one daemon thread looks coarsely at the write
 * in progress on each {@link SocketSink} it watches and closes the socket of a write past its
 * deadline. A sink is watched from its first timed write until it has been quiet for a while, so
 * a steady stream of writes costs two volatile stores each and never wakes the thread; the thread
 * is woken only when a sink joins, and ends once it watches none. Thread-safe.
 */
final class WriteWatchdog {
  /** The watchdog every {@link SocketSink} uses unless given another. */
  static final WriteWatchdog SHARED = new WriteWatchdog("Courier Write Watchdog",
      TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.MILLISECONDS.toNanos(250), System::nanoTime);

  private final String threadName;
  private final long quietReleaseNanos;
  private final long maxParkNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentLinkedQueue<SocketSink> joining = new ConcurrentLinkedQueue<>();
  /** Touched only by the watchdog thread. */
  private final List<SocketSink> watched = new ArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  /** The running watchdog thread, or null; guarded by {@link #lock}. */
  private Thread thread;

  /**
   * Creates a watchdog whose thread is named {@code threadName}, stops watching a sink quiet for
   * {@code quietReleaseNanos}, and looks at least every {@code maxParkNanos} while it watches any.
   */
  WriteWatchdog(String threadName, long quietReleaseNanos, long maxParkNanos, LongSupplier nanoTime) {
    this.threadName = threadName;
    this.quietReleaseNanos = quietReleaseNanos;
    this.maxParkNanos = maxParkNanos;
    this.nanoTime = nanoTime;
  }

  /** Returns the current time of this watchdog's clock, in nanoseconds. */
  long nanoTime() {
    return nanoTime.getAsLong();
  }

  /** Starts watching {@code sink}, starting the thread if none runs. Called once per watch period. */
  void watch(SocketSink sink) {
    joining.add(sink);
    lock.lock();
    try {
      if (thread == null) {
        thread = new Thread(this::run, threadName);
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
      for (SocketSink sink; (sink = joining.poll()) != null; ) {
        watched.add(sink);
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
    for (Iterator<SocketSink> i = watched.iterator(); i.hasNext(); ) {
      SocketSink sink = i.next();
      if (sink.isClosed()) {
        i.remove();
        sink.released();
        continue;
      }
      long deadline = sink.writeDeadlineNanos();
      if (deadline != SocketSink.NOT_WRITING) {
        long remaining = deadline - now;
        if (remaining <= 0) {
          i.remove();
          sink.released();
          sink.timedOut();
          continue;
        }
        parkNanos = Math.min(parkNanos, remaining);
      } else if (now - sink.lastWriteStartNanos() >= quietReleaseNanos && sink.release()) {
        i.remove();
      } else {
        // A write starting now ends no sooner than one timeout from now.
        parkNanos = Math.min(parkNanos, Math.max(1, sink.lastTimeoutNanos()));
      }
    }
    return parkNanos;
  }
}
