package dev.courier.chain.internal;

import dev.courier.Call;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Queues asynchronous calls and starts them on an executor within the limits on calls in flight,
 * in total and per host; tracks synchronous calls so they can be counted and canceled. Once
 * {@linkplain #close() closed} it refuses calls.
 *
 * <p>Thread-safe. One lock guards the queues and limits; calls are started, canceled and the idle
 * callback run outside it.
 */
public final class CallScheduler {
  private final ReentrantLock lock = new ReentrantLock();
  private final Supplier<ExecutorService> executorService;

  // Guarded by lock.
  private int maxRequests = 64;
  private int maxRequestsPerHost = 5;
  private Runnable idleCallback;
  // Written under lock; read without it on every call's start.
  private volatile boolean closed;
  private final ArrayDeque<AsyncCall> readyAsyncCalls = new ArrayDeque<>();
  private final ArrayDeque<AsyncCall> runningAsyncCalls = new ArrayDeque<>();
  private final RunningSyncCalls runningSyncCalls = new RunningSyncCalls();

  /** Creates a scheduler that starts calls on the executor {@code executorService} supplies. */
  public CallScheduler(Supplier<ExecutorService> executorService) {
    this.executorService = executorService;
  }

  /** Returns the executor asynchronous calls run on. */
  public ExecutorService executorService() {
    return executorService.get();
  }

  /** Returns the most asynchronous calls that may run at once. */
  public int maxRequests() {
    lock.lock();
    try {
      return maxRequests;
    } finally {
      lock.unlock();
    }
  }

  /** Sets the most asynchronous calls that may run at once, starting queued calls if it rose. */
  public void maxRequests(int maxRequests) {
    if (maxRequests < 1) {
      throw new IllegalArgumentException("maxRequests < 1: " + maxRequests);
    }
    lock.lock();
    try {
      this.maxRequests = maxRequests;
    } finally {
      lock.unlock();
    }
    promoteAndExecute();
  }

  /** Returns the most asynchronous calls to one host that may run at once. */
  public int maxRequestsPerHost() {
    lock.lock();
    try {
      return maxRequestsPerHost;
    } finally {
      lock.unlock();
    }
  }

  /** Sets the most asynchronous calls to one host that may run at once. */
  public void maxRequestsPerHost(int maxRequestsPerHost) {
    if (maxRequestsPerHost < 1) {
      throw new IllegalArgumentException("maxRequestsPerHost < 1: " + maxRequestsPerHost);
    }
    lock.lock();
    try {
      this.maxRequestsPerHost = maxRequestsPerHost;
    } finally {
      lock.unlock();
    }
    promoteAndExecute();
  }

  /** Sets the callback run each time the scheduler becomes idle; null for none. */
  public void idleCallback(Runnable idleCallback) {
    lock.lock();
    try {
      this.idleCallback = idleCallback;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues {@code call} and starts it when the limits allow.
   *
   * @throws IllegalStateException if the scheduler is closed
   */
  void enqueue(AsyncCall call) {
    lock.lock();
    try {
      checkNotClosedLocked();
      // Calls to one host share a counter so the per-host limit is checked without scanning.
      AtomicInteger existing = findCallsPerHost(call.host());
      if (existing != null) {
        call.reuseCallsPerHostFrom(existing);
      }
      readyAsyncCalls.add(call);
    } finally {
      lock.unlock();
    }
    promoteAndExecute();
  }

  private AtomicInteger findCallsPerHost(String host) {
    for (AsyncCall running : runningAsyncCalls) {
      if (running.host().equals(host)) {
        return running.callsPerHost();
      }
    }
    for (AsyncCall ready : readyAsyncCalls) {
      if (ready.host().equals(host)) {
        return ready.callsPerHost();
      }
    }
    return null;
  }

  /**
   * Records that {@code call} runs synchronously on the caller's thread.
   *
   * @throws IllegalStateException if the scheduler is closed
   */
  void executed(RealCall call) {
    lock.lock();
    try {
      checkNotClosedLocked();
      runningSyncCalls.add(call);
    } finally {
      lock.unlock();
    }
  }

  /** Records that the asynchronous {@code call} finished, and starts queued calls. */
  void finished(AsyncCall call) {
    call.callsPerHost().decrementAndGet();
    Runnable idle;
    lock.lock();
    try {
      if (!runningAsyncCalls.remove(call)) {
        throw new AssertionError("Call wasn't in-flight: " + call);
      }
      idle = idleCallbackIfIdleLocked();
    } finally {
      lock.unlock();
    }
    promoteAndExecute();
    if (idle != null) {
      idle.run();
    }
  }

  /**
   * Records that the synchronous {@code call} finished. Synchronous calls do not count against
   * {@code maxRequests} or {@code maxRequestsPerHost}, so no queued call can start because of it.
   */
  void finished(RealCall call) {
    Runnable idle;
    lock.lock();
    try {
      if (!runningSyncCalls.remove(call)) {
        throw new AssertionError("Call wasn't in-flight: " + call);
      }
      idle = idleCallbackIfIdleLocked();
    } finally {
      lock.unlock();
    }
    if (idle != null) {
      idle.run();
    }
  }

  /**
   * Returns the idle callback if no call runs or waits, else null. Decided under the lock, so of
   * calls finishing together exactly one sees the last one go.
   */
  private Runnable idleCallbackIfIdleLocked() {
    return runningAsyncCalls.isEmpty() && runningSyncCalls.isEmpty() && readyAsyncCalls.isEmpty()
        ? idleCallback : null;
  }

  /** Moves eligible calls from the ready queue to the running set and starts them outside the lock. */
  private void promoteAndExecute() {
    List<AsyncCall> executable;
    lock.lock();
    try {
      if (readyAsyncCalls.isEmpty()) {
        return; // As after nearly every call: nothing waits.
      }
      executable = new ArrayList<>();
      for (Iterator<AsyncCall> i = readyAsyncCalls.iterator(); i.hasNext(); ) {
        AsyncCall call = i.next();
        if (runningAsyncCalls.size() >= maxRequests) {
          break;
        }
        if (call.callsPerHost().get() >= maxRequestsPerHost) {
          continue;
        }
        i.remove();
        call.callsPerHost().incrementAndGet();
        executable.add(call);
        runningAsyncCalls.add(call);
      }
    } finally {
      lock.unlock();
    }
    if (executable.isEmpty()) {
      return;
    }
    ExecutorService executor = executorService.get();
    for (AsyncCall call : executable) {
      try {
        executor.execute(call);
      } catch (RejectedExecutionException e) {
        InterruptedIOException rejected = new InterruptedIOException("executor rejected");
        rejected.initCause(e);
        call.rejected(rejected);
        finished(call);
      }
    }
  }

  /**
   * Refuses calls from now on, cancels every running call, and fails every queued one (which never
   * starts) with an IOException, calling its callback on this thread. Idempotent.
   */
  public void close() {
    List<AsyncCall> queued;
    List<Call> running;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      queued = new ArrayList<>(readyAsyncCalls);
      readyAsyncCalls.clear();
      running = new ArrayList<>(runningAsyncCalls.size() + runningSyncCalls.size());
      for (AsyncCall call : runningAsyncCalls) {
        running.add(call.call());
      }
      runningSyncCalls.addTo(running);
    } finally {
      lock.unlock();
    }
    for (Call call : running) {
      call.cancel();
    }
    for (AsyncCall call : queued) {
      call.call().cancel();
      call.rejected(new IOException("Canceled: the client was closed before the call started"));
    }
  }

  /** Returns true once {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  private void checkNotClosedLocked() {
    if (closed) {
      throw new IllegalStateException("CourierClient is closed: no calls can start after close()");
    }
  }

  /** Cancels every queued and running call. */
  public void cancelAll() {
    List<Call> calls;
    lock.lock();
    try {
      calls = new ArrayList<>(readyAsyncCalls.size() + runningAsyncCalls.size() + runningSyncCalls.size());
      for (AsyncCall call : readyAsyncCalls) {
        calls.add(call.call());
      }
      for (AsyncCall call : runningAsyncCalls) {
        calls.add(call.call());
      }
      runningSyncCalls.addTo(calls);
    } finally {
      lock.unlock();
    }
    for (Call call : calls) {
      call.cancel();
    }
  }

  /** Returns a snapshot of the calls waiting to run. */
  public List<Call> queuedCalls() {
    lock.lock();
    try {
      List<Call> result = new ArrayList<>(readyAsyncCalls.size());
      for (AsyncCall call : readyAsyncCalls) {
        result.add(call.call());
      }
      return Collections.unmodifiableList(result);
    } finally {
      lock.unlock();
    }
  }

  /** Returns a snapshot of the calls running now, synchronous ones included. */
  public List<Call> runningCalls() {
    lock.lock();
    try {
      List<Call> result = new ArrayList<>(runningAsyncCalls.size() + runningSyncCalls.size());
      for (AsyncCall call : runningAsyncCalls) {
        result.add(call.call());
      }
      runningSyncCalls.addTo(result);
      return Collections.unmodifiableList(result);
    } finally {
      lock.unlock();
    }
  }

  /** Returns how many calls wait to run. */
  public int queuedCallsCount() {
    lock.lock();
    try {
      return readyAsyncCalls.size();
    } finally {
      lock.unlock();
    }
  }

  /** Returns how many calls run now, synchronous ones included. */
  public int runningCallsCount() {
    lock.lock();
    try {
      return runningAsyncCalls.size() + runningSyncCalls.size();
    } finally {
      lock.unlock();
    }
  }
}
