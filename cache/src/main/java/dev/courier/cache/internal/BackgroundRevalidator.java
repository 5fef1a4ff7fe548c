package dev.courier.cache.internal;

import dev.courier.Call;
import dev.courier.Response;
import java.io.Closeable;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okio.Okio;

/**
 * Revalidates responses served under {@code stale-while-revalidate} (RFC 5861 §3) after the
 * caller got them: it runs a clone of the caller's call on an executor, and the cache recognizes
 * that clone and sends the conditional request instead of serving the stale response again. The
 * outcome (a 304 or a new response) lands in the store as for any call.
 *
 * <p>At most one revalidation per URL runs at a time. When the executor refuses work, the
 * revalidation is skipped and a later request tries again. Thread-safe.
 */
public final class BackgroundRevalidator implements Closeable {
  private final Executor executor;
  private final boolean ownsExecutor;
  private final Set<Call> backgroundCalls = ConcurrentHashMap.newKeySet();
  private final Set<String> keysInFlight = ConcurrentHashMap.newKeySet();

  /**
   * Creates a revalidator running on {@code executor}, or, if it is null, on a daemon thread of
   * its own that ends after 30 seconds without work.
   */
  public BackgroundRevalidator(Executor executor) {
    if (executor != null) {
      this.executor = executor;
      this.ownsExecutor = false;
    } else {
      ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(64), runnable -> {
            Thread thread = new Thread(runnable, "Courier cache revalidation");
            thread.setDaemon(true);
            return thread;
          });
      pool.allowCoreThreadTimeOut(true);
      this.executor = pool;
      this.ownsExecutor = true;
    }
  }

  /** Returns true if {@code call} is a revalidation started here. */
  public boolean isBackgroundCall(Call call) {
    return backgroundCalls.contains(call);
  }

  /** Returns the number of revalidations scheduled or running. */
  public int inFlightCount() {
    return keysInFlight.size();
  }

  /** Schedules a revalidation of the entry {@code key} by a clone of {@code call}. */
  public void schedule(Call call, String key) {
    if (!keysInFlight.add(key)) return;
    Call clone;
    try {
      clone = call.clone();
    } catch (RuntimeException e) {
      keysInFlight.remove(key);
      return;
    }
    backgroundCalls.add(clone);
    try {
      executor.execute(() -> revalidate(clone, key));
    } catch (RejectedExecutionException e) {
      backgroundCalls.remove(clone);
      keysInFlight.remove(key);
    }
  }

  private void revalidate(Call clone, String key) {
    try (Response response = clone.execute()) {
      // Reading to the end is what commits a new response to the store.
      response.body().source().readAll(Okio.blackhole());
    } catch (IOException | RuntimeException e) {
      // The stale entry stays; a later request revalidates it.
    } finally {
      backgroundCalls.remove(clone);
      keysInFlight.remove(key);
    }
  }

  /**
   * Stops the executor if it is this revalidator's own, interrupting a running revalidation and
   * abandoning queued ones, and waits up to 5 seconds for its thread to end.
   */
  @Override
  public void close() {
    if (ownsExecutor) {
      ExecutorService service = (ExecutorService) executor;
      service.shutdownNow();
      try {
        service.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
