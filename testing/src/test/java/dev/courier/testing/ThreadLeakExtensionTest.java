package dev.courier.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ThreadLeakExtensionTest {
  @Test
  void newWatchedThreadStillRunningFailsNamingIt() throws Exception {
    ThreadLeakExtension extension = new ThreadLeakExtension("CourierLeakTest", Duration.ofMillis(100));
    Set<Thread> before = ThreadLeakExtension.liveThreads();
    CountDownLatch release = new CountDownLatch(1);
    Thread leaked = startThread("CourierLeakTest-worker", release);
    try {
      assertThatThrownBy(() -> extension.assertNoNewThreads(before))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("CourierLeakTest-worker");
    } finally {
      release.countDown();
      leaked.join();
    }
  }

  @Test
  void threadEndingWithinGracePeriodPasses() throws Exception {
    ThreadLeakExtension extension = new ThreadLeakExtension("CourierLeakTest", Duration.ofSeconds(2));
    Set<Thread> before = ThreadLeakExtension.liveThreads();
    CountDownLatch release = new CountDownLatch(1);
    startThread("CourierLeakTest-short", release);
    release.countDown();

    assertThatCode(() -> extension.assertNoNewThreads(before)).doesNotThrowAnyException();
  }

  @Test
  void threadsWithOtherNamesOrAlreadyRunningAreIgnored() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Thread earlier = startThread("CourierLeakTest-earlier", release);
    ThreadLeakExtension extension = new ThreadLeakExtension("CourierLeakTest", Duration.ofMillis(50));
    Set<Thread> before = ThreadLeakExtension.liveThreads();
    Thread other = startThread("SomethingElse", release);
    try {
      assertThatCode(() -> extension.assertNoNewThreads(before)).doesNotThrowAnyException();
    } finally {
      release.countDown();
      earlier.join();
      other.join();
    }
  }

  @Test
  void negativeGracePeriodIsRejected() {
    assertThatThrownBy(() -> new ThreadLeakExtension("Courier", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Thread startThread(String name, CountDownLatch release) {
    Thread thread = new Thread(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
