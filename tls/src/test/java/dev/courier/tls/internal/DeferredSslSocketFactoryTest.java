package dev.courier.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.testing.TestCertificateAuthority;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeferredSslSocketFactoryTest {
  private static final SSLSocketFactory REAL =
      TestCertificateAuthority.create("DeferredSslSocketFactory Test CA").clientSocketFactory();

  /** Counts its calls and the threads it ran on; fails its first {@code failures} calls. */
  private static final class Creator implements Callable<SSLSocketFactory> {
    final AtomicInteger calls = new AtomicInteger();
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    private final int failures;
    private final boolean waitForRelease;

    Creator(int failures, boolean waitForRelease) {
      this.failures = failures;
      this.waitForRelease = waitForRelease;
    }

    @Override
    public SSLSocketFactory call() throws Exception {
      threads.add(Thread.currentThread());
      int call = calls.incrementAndGet();
      if (waitForRelease) {
        release.await();
      }
      if (call <= failures) {
        throw new NoSuchAlgorithmException("no default context, attempt " + call);
      }
      return REAL;
    }
  }

  /** Makes daemon threads and keeps them, so a test can wait for them to end. */
  private static final class Threads implements ThreadFactory {
    final List<Thread> made = new CopyOnWriteArrayList<>();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "Courier TLS context (test)");
      thread.setDaemon(true);
      made.add(thread);
      return thread;
    }

    void awaitEnded() throws InterruptedException {
      for (Thread thread : made) {
        thread.join(10_000);
        assertThat(thread.isAlive()).as("thread %s ended", thread.getName()).isFalse();
      }
    }
  }

  @Test
  void createsTheFactoryOnceOnOneDaemonThreadThatEnds() throws Exception {
    Creator creator = new Creator(0, true);
    Threads threads = new Threads();
    DeferredSslSocketFactory factory = new DeferredSslSocketFactory(creator, threads);

    factory.startCreating();
    factory.startCreating();
    creator.release.countDown();

    assertThat(factory.get("example.test:443")).isSameAs(REAL);
    assertThat(factory.getSupportedCipherSuites()).isEqualTo(REAL.getSupportedCipherSuites());
    factory.startCreating();
    assertThat(creator.calls).hasValue(1);
    assertThat(threads.made).hasSize(1);
    assertThat(threads.made.get(0).isDaemon()).isTrue();
    assertThat(creator.threads).containsExactly(threads.made.get(0));
    threads.awaitEnded();
  }

  @Test
  void nothingIsCreatedUntilStartedOrUsed() throws Exception {
    Creator creator = new Creator(0, false);
    Threads threads = new Threads();
    new DeferredSslSocketFactory(creator, threads);

    assertThat(creator.calls).hasValue(0);
    assertThat(threads.made).isEmpty();
  }

  @Test
  void useWithoutStartCreatesOnTheCallersThread() throws Exception {
    Creator creator = new Creator(0, false);
    Threads threads = new Threads();
    DeferredSslSocketFactory factory = new DeferredSslSocketFactory(creator, threads);

    assertThat(factory.get(null)).isSameAs(REAL);
    factory.startCreating();

    assertThat(creator.threads).containsExactly(Thread.currentThread());
    assertThat(threads.made).isEmpty();
  }

  @Test
  void failedBackgroundCreationIsRetriedOnTheCallersThread() throws Exception {
    Creator creator = new Creator(1, false);
    Threads threads = new Threads();
    DeferredSslSocketFactory factory = new DeferredSslSocketFactory(creator, threads);

    factory.startCreating();

    assertThat(factory.get("example.test:443")).isSameAs(REAL);
    assertThat(creator.calls).hasValue(2);
    assertThat(creator.threads).containsExactly(threads.made.get(0), Thread.currentThread());
    threads.awaitEnded();
  }

  @Test
  void threadThatCannotStartLeavesCreationToTheFirstUse() throws Exception {
    Creator creator = new Creator(0, false);
    ThreadFactory refusing = task -> {
      throw new OutOfMemoryError("unable to create native thread");
    };
    DeferredSslSocketFactory factory = new DeferredSslSocketFactory(creator, refusing);

    factory.startCreating();

    assertThat(factory.get("example.test:443")).isSameAs(REAL);
    assertThat(creator.threads).containsExactly(Thread.currentThread());
  }

  @Test
  void failureToCreateSurfacesOnCreateSocketNamingHostAndPortAndIsRetriedNextTime() throws Exception {
    Creator creator = new Creator(3, false);
    Threads threads = new Threads();
    DeferredSslSocketFactory factory = new DeferredSslSocketFactory(creator, threads);
    factory.startCreating();

    try (Socket unconnected = new Socket()) {
      assertThatThrownBy(() -> factory.createSocket(unconnected, "example.test", 8443, true))
          .isInstanceOf(SSLException.class)
          .hasMessageContaining("default TLS context")
          .hasMessageContaining("example.test:8443")
          .hasRootCauseInstanceOf(NoSuchAlgorithmException.class)
          .hasRootCauseMessage("no default context, attempt 2");
    }
    assertThatThrownBy(factory::getDefaultCipherSuites)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("default TLS context")
        .hasRootCauseMessage("no default context, attempt 3");
    assertThat(factory.get("example.test:8443")).isSameAs(REAL);
    assertThat(creator.calls).hasValue(4);
    threads.awaitEnded();
  }

  @Test
  void interruptedWaitFailsWithInterruptedIoExceptionAndKeepsTheInterrupt() throws Exception {
    Creator creator = new Creator(0, true);
    Threads threads = new Threads();
    DeferredSslSocketFactory factory = new DeferredSslSocketFactory(creator, threads);
    factory.startCreating();

    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> factory.get("example.test:443"))
          .isInstanceOf(InterruptedIOException.class)
          .hasMessageContaining("example.test:443");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
      creator.release.countDown();
    }
    assertThat(factory.get("example.test:443")).isSameAs(REAL);
    assertThat(creator.calls).hasValue(1);
    threads.awaitEnded();
  }
}
