package dev.courier.testing.internal;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Creates daemon event-loop threads named {@code TestServer-<server>-<role>-<n>}. */
public final class ServerThreadFactory implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger nextThread = new AtomicInteger();
  private final Queue<Thread> threads = new ConcurrentLinkedQueue<>();

  /** Creates a factory for the threads of server number {@code serverId} doing {@code role}. */
  public ServerThreadFactory(int serverId, String role) {
    this.prefix = "TestServer-" + serverId + "-" + role + "-";
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new FastThreadLocalThread(task, prefix + nextThread.getAndIncrement());
    thread.setDaemon(true);
    threads.add(thread);
    return thread;
  }

  /**
   * Waits until every thread this factory created has ended, at most {@code timeoutMillis} in
   * total; returns early if interrupted, keeping the interrupt flag.
   */
  public void awaitThreadsEnded(long timeoutMillis) {
    long deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000;
    for (Thread thread : threads) {
      long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
      if (remainingMillis <= 0) {
        return;
      }
      try {
        thread.join(remainingMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
