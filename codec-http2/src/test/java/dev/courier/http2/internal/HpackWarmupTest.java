package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HpackWarmupTest {
  @Test
  void warmUpEncodesARequestAndDecodesAHuffmanCodedBlock() throws Exception {
    // :method, :scheme, :authority, :path; and the four fields of RFC 7541 C.4.1.
    assertThat(HpackWarmup.warm()).containsExactly(4, 4);
  }

  @Test
  void linksTheConnectionClasses() {
    assertThat(HpackWarmup.linkConnectionClasses()).isGreaterThan(30);
  }

  @Test
  void linkingLeavesStaticInitialisersToTheFirstUse() {
    assertThat(HpackWarmup.link(InitialisedOnFirstUse.class)).isEqualTo(1);
    assertThat(INITIALISED).isFalse();

    assertThat(InitialisedOnFirstUse.value()).isEqualTo(42);
    assertThat(INITIALISED).isTrue();
  }

  /** Set by {@link InitialisedOnFirstUse}'s static initialiser (reading a field of it would run it). */
  private static final AtomicBoolean INITIALISED = new AtomicBoolean();

  static final class InitialisedOnFirstUse {
    private static final int VALUE = compute();

    private static int compute() {
      INITIALISED.set(true);
      return 42;
    }

    static int value() {
      return VALUE;
    }
  }

  @Test
  void startsAtMostOneDaemonThreadThatEnds() throws Exception {
    HpackWarmup.start();
    HpackWarmup.start();

    List<Thread> warmUps = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("Courier h2 warm-up")) {
        warmUps.add(thread);
      }
    }
    assertThat(warmUps).hasSizeLessThanOrEqualTo(1);
    for (Thread thread : warmUps) {
      assertThat(thread.isDaemon()).isTrue();
      thread.join(10_000);
      assertThat(thread.isAlive()).isFalse();
    }
  }
}
