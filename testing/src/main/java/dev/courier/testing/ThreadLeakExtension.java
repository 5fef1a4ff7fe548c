package dev.courier.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves threads running: records the live threads before each test and,
 * after it, waits up to a grace period (2 seconds by default) for any new thread whose name
 * starts with the watched prefix ({@code "Courier"} by default) to end, then fails the test
 * naming those still alive.
 *
 * <p>Use {@code @ExtendWith(ThreadLeakExtension.class)} for the defaults, or register an
 * instance to watch another prefix:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ThreadLeakExtension threads = new ThreadLeakExtension("TestServer");
 * }</pre>
 *
 * <p>Threads that existed before the test are never reported, so a shared pool started by an
 * earlier test does not fail later ones. Safe to use with tests running in parallel only if
 * their threads do not share the prefix.
 */
public final class ThreadLeakExtension implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ThreadLeakExtension.class);
  private static final String THREADS_BEFORE = "threadsBefore";

  private final String prefix;
  private final Duration gracePeriod;

  /** Creates an extension watching threads named {@code Courier...} with a 2-second grace period. */
  public ThreadLeakExtension() {
    this("Courier");
  }

  /** Creates an extension watching threads whose names start with {@code prefix}, 2-second grace. */
  public ThreadLeakExtension(String prefix) {
    this(prefix, Duration.ofSeconds(2));
  }

  /**
   * Creates an extension watching threads whose names start with {@code prefix}, waiting up to
   * {@code gracePeriod} for them to end.
   *
   * @throws IllegalArgumentException if the grace period is negative
   */
  public ThreadLeakExtension(String prefix, Duration gracePeriod) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    if (gracePeriod.isNegative()) {
      throw new IllegalArgumentException("gracePeriod must not be negative: " + gracePeriod);
    }
    this.gracePeriod = gracePeriod;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NAMESPACE).put(THREADS_BEFORE, liveThreads());
  }

  /**
   * Waits for new watched threads to end.
   *
   * @throws AssertionError naming the threads still alive after the grace period
   * @throws InterruptedException if interrupted while waiting
   */
  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    @SuppressWarnings("unchecked")
    Set<Thread> before = (Set<Thread>) context.getStore(NAMESPACE).remove(THREADS_BEFORE, Set.class);
    if (before == null) {
      return;
    }
    assertNoNewThreads(before);
  }

  static Set<Thread> liveThreads() {
    return Set.copyOf(Thread.getAllStackTraces().keySet());
  }

  /** Waits out the grace period for watched threads absent from {@code before}, then fails if any remain. */
  void assertNoNewThreads(Set<Thread> before) throws InterruptedException {
    long deadlineNanos = System.nanoTime() + gracePeriod.toNanos();
    List<Thread> leaked = newWatchedThreads(before);
    for (Thread thread : leaked) {
      long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
      if (remainingMillis > 0) {
        thread.join(remainingMillis);
      }
    }
    leaked.removeIf(thread -> !thread.isAlive());
    if (!leaked.isEmpty()) {
      throw new AssertionError(leaked.size() + " thread(s) named " + prefix + "* still running "
          + gracePeriod.toMillis() + " ms after the test: "
          + leaked.stream().map(Thread::getName).sorted().collect(Collectors.joining(", ")));
    }
  }

  private List<Thread> newWatchedThreads(Set<Thread> before) {
    List<Thread> result = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.isAlive() && thread.getName().startsWith(prefix) && !before.contains(thread)) {
        result.add(thread);
      }
    }
    return result;
  }
}
