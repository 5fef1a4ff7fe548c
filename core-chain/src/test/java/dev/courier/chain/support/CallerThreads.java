package dev.courier.chain.support;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Threads a test makes its calls on, stopped after it: register one with {@code
 * @RegisterExtension} and submit the calls to it. After the test its threads are interrupted and
 * the test fails if any still runs 10 seconds later, so no call is left running into the next
 * test.
 */
public final class CallerThreads implements AfterEachCallback {
  private final ExecutorService executor;

  /** Creates {@code threads} caller threads. */
  public CallerThreads(int threads) {
    this(Executors.newFixedThreadPool(threads));
  }

  /** Creates caller threads as they are needed. */
  public CallerThreads() {
    this(Executors.newCachedThreadPool());
  }

  private CallerThreads(ExecutorService executor) {
    this.executor = executor;
  }

  /** Runs {@code call} on a caller thread; returns its result to come. */
  public <T> Future<T> submit(Callable<T> call) {
    return executor.submit(call);
  }

  /** Runs {@code task} on a caller thread. */
  public Future<?> submit(Runnable task) {
    return executor.submit(task);
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    executor.shutdownNow();
    if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new AssertionError("caller threads still running 10 s after the test");
    }
  }
}
