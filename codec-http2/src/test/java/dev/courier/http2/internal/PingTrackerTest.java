package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PingTrackerTest {
  private final PingTracker pings = new PingTracker(1_000);

  @Test
  void unansweredDegradedPingMarksTheConnectionDegradedAfterItsDeadline() {
    long payload = pings.startDegradedPing(5_000);
    assertThat(payload).isNotEqualTo(-1);
    assertThat(pings.startDegradedPing(5_100)).as("one at a time").isEqualTo(-1);
    assertThat(pings.isDegraded(5_999)).isFalse();
    assertThat(pings.isDegraded(6_000)).isTrue();

    pings.pongReceived(payload);
    assertThat(pings.isDegraded(7_000)).isFalse();
    assertThat(pings.startDegradedPing(7_000)).isNotEqualTo(payload).isNotEqualTo(-1);
  }

  @Test
  void keepAlivePingIsRefusedWhileThePreviousIsUnanswered() {
    long first = pings.startKeepAlivePing();
    assertThat(pings.startKeepAlivePing()).isEqualTo(-1);

    pings.pongReceived(first);
    long second = pings.startKeepAlivePing();
    assertThat(second).isNotEqualTo(-1).isNotEqualTo(first);
  }

  @Test
  void pongsOfOneKindDoNotAnswerTheOther() {
    long keepAlive = pings.startKeepAlivePing();
    pings.startDegradedPing(0);

    pings.pongReceived(keepAlive);
    assertThat(pings.isDegraded(1_000)).isTrue();
    pings.pongReceived(0x0102030405060708L);
    assertThat(pings.isDegraded(1_000)).isTrue();
  }
}
