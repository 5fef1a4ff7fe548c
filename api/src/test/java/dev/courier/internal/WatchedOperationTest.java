package dev.courier.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okio.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watchdog's timing of channel operations, on a pipe and with the watchdog's clock in hand. */
@org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class WatchedOperationTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final IoWatchdog watchdog = new IoWatchdog("WatchedOperationTest Watchdog",
      TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.MILLISECONDS.toNanos(1), now::get);
  private Pipe pipe;
  private WatchedOperation reads;

  @BeforeEach
  void openPipe() throws IOException {
    pipe = Pipe.open();
    reads = new WatchedOperation(pipe.source(), "read from pipe", watchdog);
  }

  @AfterEach
  void closePipe() throws Exception {
    pipe.source().close();
    pipe.sink().close();
    Thread thread = watchdog.thread();
    if (thread != null) {
      now.addAndGet(TimeUnit.SECONDS.toNanos(1)); // Quiet long enough for the watchdog to end.
      thread.join(10_000);
      assertThat(thread.isAlive()).isFalse();
    }
  }

  @Test
  void operationPastItsDeadlineClosesTheChannelAndFailsAsATimeoutNamingIt() throws Exception {
    Timeout timeout = new Timeout().timeout(10, TimeUnit.SECONDS);
    CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
      boolean timed = false;
      try {
        timed = reads.begin(timeout);
        return pipe.source().read(ByteBuffer.allocate(1));
      } catch (IOException e) {
        throw new RuntimeException(reads.failure(e));
      } finally {
        if (timed) {
          reads.end();
        }
      }
    });
    while (watchdog.thread() == null) {
      Thread.onSpinWait(); // The read has begun once the watchdog runs.
    }

    now.addAndGet(TimeUnit.SECONDS.toNanos(10));

    assertThatThrownBy(reader::get)
        .isInstanceOf(ExecutionException.class)
        .cause().cause()
        .isInstanceOf(SocketTimeoutException.class)
        .hasMessage("read from pipe timed out")
        .hasCauseInstanceOf(ClosedChannelException.class);
    assertThat(reads.timedOut()).isTrue();
    assertThat(pipe.source().isOpen()).isFalse();
  }

  @Test
  void operationEndedInTimeLeavesTheChannelOpenAndItsFailuresAsTheyAre() throws Exception {
    Timeout timeout = new Timeout().timeout(10, TimeUnit.SECONDS);
    assertThat(reads.begin(timeout)).isTrue();
    reads.end();
    Thread thread = watchdog.thread();

    now.addAndGet(TimeUnit.SECONDS.toNanos(20)); // Past the deadline, but nothing runs.
    thread.join(10_000);

    assertThat(thread.isAlive()).isFalse();
    assertThat(pipe.source().isOpen()).isTrue();
    assertThat(reads.timedOut()).isFalse();
    IOException failure = new IOException("broken pipe");
    assertThat(reads.failure(failure)).isSameAs(failure);
  }

  @Test
  void untimedOperationIsNotWatched() throws Exception {
    assertThat(reads.begin(new Timeout())).isFalse();

    assertThat(watchdog.thread()).isNull();
  }

  @Test
  void passedDeadlineFailsBeforeTheOperation() {
    Timeout timeout = new Timeout().deadlineNanoTime(System.nanoTime() - 1);

    assertThatThrownBy(() -> reads.begin(timeout)).isInstanceOf(InterruptedIOException.class);
    assertThat(pipe.source().isOpen()).isTrue();
  }
  @Test
  void operationBegunWithinATimeoutClosesItsTargetPastIt() throws Exception {
    AtomicInteger closes = new AtomicInteger();
    WatchedOperation stuck = WatchedOperation.closing(closes::incrementAndGet, () -> closes.get() > 0,
        "connection stuck", watchdog);
    // An interrupted thread may begin it: nothing about the thread is checked.
    Thread.currentThread().interrupt();
    try {
      stuck.beginWithin(TimeUnit.SECONDS.toNanos(1));
    } finally {
      assertThat(Thread.interrupted()).isTrue();
    }
    Thread thread = watchdog.thread();

    now.addAndGet(TimeUnit.SECONDS.toNanos(1));

    thread.join(10_000); // It ends once the target it closed counts as closed.
    assertThat(thread.isAlive()).isFalse();
    assertThat(closes).hasValue(1);
    assertThat(stuck.timedOut()).isTrue();
    assertThat(stuck.failure(null)).isInstanceOf(SocketTimeoutException.class).hasMessage("connection stuck");
  }

  @Test
  void operationBegunWithinATimeoutAndEndedByAnotherThreadInTimeLeavesItsTargetAlone() throws Exception {
    AtomicInteger closes = new AtomicInteger();
    WatchedOperation queued = WatchedOperation.closing(closes::incrementAndGet, () -> closes.get() > 0,
        "connection stuck", watchdog);
    queued.beginWithin(TimeUnit.SECONDS.toNanos(1));
    CompletableFuture.runAsync(queued::end).get();
    Thread thread = watchdog.thread();

    now.addAndGet(TimeUnit.SECONDS.toNanos(5)); // Past the deadline, but nothing runs.
    thread.join(10_000);

    assertThat(thread.isAlive()).isFalse();
    assertThat(closes).hasValue(0);
    assertThat(queued.timedOut()).isFalse();
  }

  @Test
  void operationBegunWithinNoTimeIsRefused() {
    WatchedOperation operation = WatchedOperation.closing(() -> { }, () -> false, "never", watchdog);

    assertThatThrownBy(() -> operation.beginWithin(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(watchdog.thread()).isNull();
  }
}
