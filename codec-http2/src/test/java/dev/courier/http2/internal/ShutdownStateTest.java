package dev.courier.http2.internal;

import static dev.courier.http2.internal.ErrorCodes.NO_ERROR;
import static dev.courier.http2.internal.ErrorCodes.PROTOCOL_ERROR;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ShutdownStateTest {
  private final ShutdownState state = new ShutdownState();

  @Test
  void newConnectionTakesNewStreams() {
    assertThat(state.takesNewStreams()).isTrue();
    assertThat(state.isClosed()).isFalse();
    assertThat(state.goAwayReceived()).isFalse();
    assertThat(state.closeWhenDrained()).isFalse();
  }

  @Test
  void noNewStreamsRefusesStreamsWithoutClosing() {
    state.noNewStreams();

    assertThat(state.takesNewStreams()).isFalse();
    assertThat(state.isClosed()).isFalse();
  }

  @Test
  void closeStopsNewStreams() {
    assertThat(state.close(new IOException("boom"))).isTrue();

    assertThat(state.isClosed()).isTrue();
    assertThat(state.takesNewStreams()).isFalse();
  }

  @Test
  void secondCloseReportsAlreadyClosedAndFirstCauseWins() {
    state.close(new IOException("first"));

    assertThat(state.close(new IOException("second"))).isFalse();

    assertThat(state.newStreamRefused("example.com"))
        .hasMessage("HTTP/2 connection to example.com takes no new streams: first");
  }

  @Test
  void onlyTheFirstGoAwayIsSent() {
    assertThat(state.claimGoAway(NO_ERROR)).isTrue();
    assertThat(state.claimGoAway(PROTOCOL_ERROR)).isFalse();
    assertThat(state.claimGoAway(NO_ERROR)).isFalse();
  }

  @Test
  void goAwayCodeMinusOneSendsNothingAndKeepsTheClaimAvailable() {
    assertThat(state.claimGoAway(-1)).isFalse();

    assertThat(state.claimGoAway(PROTOCOL_ERROR)).isTrue();
  }

  @Test
  void goAwayReceivedWithOpenStreamsStopsNewStreamsAndWaitsForTheLast() {
    state.goAwayReceived(PROTOCOL_ERROR, false);

    assertThat(state.goAwayReceived()).isTrue();
    assertThat(state.goAwayErrorCode()).isEqualTo(PROTOCOL_ERROR);
    assertThat(state.takesNewStreams()).isFalse();
    assertThat(state.isClosed()).isFalse();
    assertThat(state.closeWhenDrained()).isFalse();

    state.lastStreamEnded();

    assertThat(state.closeWhenDrained()).isTrue();
  }

  @Test
  void goAwayReceivedWhenAlreadyDrainedClosesAtOnce() {
    state.goAwayReceived(NO_ERROR, true);

    assertThat(state.closeWhenDrained()).isTrue();
    assertThat(state.takesNewStreams()).isFalse();
  }

  @Test
  void lastStreamEndingWithoutGoAwayKeepsTheConnection() {
    state.lastStreamEnded();

    assertThat(state.closeWhenDrained()).isFalse();
    assertThat(state.takesNewStreams()).isTrue();
  }

  @Test
  void closingClearsClosingWhenDrained() {
    state.goAwayReceived(NO_ERROR, true);

    state.close(new IOException("closed after GOAWAY"));

    assertThat(state.closeWhenDrained()).isFalse();
  }

  @Test
  void lastStreamEndingAfterCloseDoesNotAskToCloseAgain() {
    state.goAwayReceived(NO_ERROR, false);
    state.close(new IOException("boom"));

    state.lastStreamEnded();

    assertThat(state.closeWhenDrained()).isFalse();
  }

  @Test
  void refusedStreamAfterNoNewStreamsNamesTheHost() {
    state.noNewStreams();

    assertThat(state.newStreamRefused("example.com"))
        .hasMessage("HTTP/2 connection to example.com takes no new streams");
  }

  @Test
  void refusedStreamGivesTheFirstReasonForNoNewStreams() {
    state.noNewStreams("the server broke the protocol on stream 3");
    state.noNewStreams("later");

    assertThat(state.takesNewStreams()).isFalse();
    assertThat(state.newStreamRefused("example.com")).hasMessage(
        "HTTP/2 connection to example.com takes no new streams: the server broke the protocol on stream 3");
  }

  @Test
  void refusedStreamAfterFailureGivesTheCause() {
    state.close(new IOException("connection reset"));

    assertThat(state.newStreamRefused("example.com"))
        .hasMessage("HTTP/2 connection to example.com takes no new streams: connection reset");
  }

  @Test
  void refusedStreamAfterGoAwayNamesTheErrorCode() {
    state.goAwayReceived(PROTOCOL_ERROR, false);

    assertThat(state.newStreamRefused("example.com")).hasMessage(
        "HTTP/2 connection to example.com received GOAWAY (PROTOCOL_ERROR (0x1))"
            + " and takes no new streams");
  }

  @Test
  void goAwayExplainsARefusalBetterThanTheLaterFailure() {
    state.goAwayReceived(NO_ERROR, true);
    state.close(new IOException("closed after GOAWAY"));

    assertThat(state.newStreamRefused("example.com")).hasMessage(
        "HTTP/2 connection to example.com received GOAWAY (NO_ERROR (0x0))"
            + " and takes no new streams");
  }
}
