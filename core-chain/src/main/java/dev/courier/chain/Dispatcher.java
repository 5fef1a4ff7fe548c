package dev.courier.chain;

import dev.courier.Call;
import dev.courier.chain.internal.CallScheduler;
import dev.courier.chain.internal.DaemonThreadFactory;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Decides when asynchronous calls run: at most {@link #maxRequests()} at once (default 64), and at
 * most {@link #maxRequestsPerHost()} to one host name (default 5); further calls wait in a queue,
 * first in first out, and start as running ones finish. Also counts synchronous calls so that
 * {@link #cancelAll()} and {@link #runningCallsCount()} see them.
 *
 * <p>Calls run on an {@link ExecutorService}; by default a cached pool of daemon threads named
 * {@code Courier Dispatcher}, created on first use, whose idle threads end after 60 seconds. Any
 * executor works, including one that runs each task on a virtual thread; it must be able to run at
 * least {@code maxRequests} tasks at once or calls wait for its threads.
 *
 * <p>Share one dispatcher between clients made with {@link CourierClient#newBuilder()} so the limits
 * apply to them together. {@link CourierClient#close()} closes the client's dispatcher for every
 * client sharing it: running calls are canceled, queued ones fail without starting, new ones are
 * refused with {@link IllegalStateException}, and the default executor is shut down (an executor
 * given to {@link #Dispatcher(ExecutorService)} is left running). Thread-safe.
 */
public final class Dispatcher {
  private final ReentrantLock executorLock = new ReentrantLock();
  private final boolean ownsExecutor;
  // Guarded by executorLock.
  private ExecutorService executorService;
  private boolean closed;
  private final CallScheduler scheduler = new CallScheduler(new Supplier<>() {
    @Override
    public ExecutorService get() {
      return executorService();
    }
  });

  /** Creates a dispatcher with the default executor, made on first use. */
  public Dispatcher() {
    this.ownsExecutor = true;
  }

  /**
   * Creates a dispatcher that runs calls on {@code executorService}. The dispatcher never shuts it
   * down.
   */
  public Dispatcher(ExecutorService executorService) {
    this.executorService = Objects.requireNonNull(executorService, "executorService == null");
    this.ownsExecutor = false;
  }

  /**
   * Returns the executor calls run on, creating the default one if needed; once the dispatcher is
   * closed, the default executor is shut down.
   */
  public ExecutorService executorService() {
    executorLock.lock();
    try {
      if (executorService == null) {
        executorService = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), new DaemonThreadFactory("Courier Dispatcher"));
        if (closed) {
          executorService.shutdown(); // It has no threads yet, and must never start any.
        }
      }
      return executorService;
    } finally {
      executorLock.unlock();
    }
  }

  /** Returns the most asynchronous calls that may run at once; default 64. */
  public int maxRequests() {
    return scheduler.maxRequests();
  }

  /**
   * Sets the most asynchronous calls that may run at once. Calls already running go on when the
   * limit drops; queued calls start at once when it rises.
   *
   * @throws IllegalArgumentException if {@code maxRequests} is less than 1
   */
  public void setMaxRequests(int maxRequests) {
    scheduler.maxRequests(maxRequests);
  }

  /**
   * Returns the most asynchronous calls to one host name that may run at once; default 5. Calls
   * are grouped by the URL's host name, so two names of one IP address count separately.
   */
  public int maxRequestsPerHost() {
    return scheduler.maxRequestsPerHost();
  }

  /**
   * Sets the most asynchronous calls to one host name that may run at once.
   *
   * @throws IllegalArgumentException if {@code maxRequestsPerHost} is less than 1
   */
  public void setMaxRequestsPerHost(int maxRequestsPerHost) {
    scheduler.maxRequestsPerHost(maxRequestsPerHost);
  }

  /**
   * Sets a callback run each time the dispatcher becomes idle (no call running, synchronous or
   * asynchronous), on the thread of the call that finished last; null for none (the default).
   */
  public void setIdleCallback(Runnable idleCallback) {
    scheduler.idleCallback(idleCallback);
  }

  /** Cancels every queued and running call, synchronous ones included. */
  public void cancelAll() {
    scheduler.cancelAll();
  }

  /** Returns a snapshot of the asynchronous calls waiting to run. */
  public List<Call> queuedCalls() {
    return scheduler.queuedCalls();
  }

  /** Returns a snapshot of the calls running now, synchronous and asynchronous. */
  public List<Call> runningCalls() {
    return scheduler.runningCalls();
  }

  /** Returns how many asynchronous calls wait to run. */
  public int queuedCallsCount() {
    return scheduler.queuedCallsCount();
  }

  /** Returns how many calls run now, synchronous and asynchronous. */
  public int runningCallsCount() {
    return scheduler.runningCallsCount();
  }

  /**
   * Refuses calls from now on, cancels the running ones, fails the queued ones and shuts down the
   * default executor: its idle threads end now, and busy ones once the callback they run returns.
   * Idempotent.
   */
  void close() {
    scheduler.close();
    ExecutorService toShutDown;
    executorLock.lock();
    try {
      closed = true;
      toShutDown = ownsExecutor ? executorService : null;
    } finally {
      executorLock.unlock();
    }
    if (toShutDown != null) {
      toShutDown.shutdown();
    }
  }

  /** Returns the scheduler that does the work; for the client's calls. */
  CallScheduler scheduler() {
    return scheduler;
  }

  @Override
  public String toString() {
    return "Dispatcher{running=" + runningCallsCount() + ", queued=" + queuedCallsCount()
        + ", maxRequests=" + maxRequests() + ", maxRequestsPerHost=" + maxRequestsPerHost() + "}";
  }
}
