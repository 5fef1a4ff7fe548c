package dev.courier.http2.internal;

import static dev.courier.http2.internal.ErrorCodes.FLOW_CONTROL_ERROR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConnectionFlowControlTest {
  private final ConnectionFlowControl flowControl = new ConnectionFlowControl(1_000);

  @Test
  void dataFillingTheReceiveWindowExactlyIsAccepted() throws ConnectionErrorException {
    flowControl.dataReceived(600);
    flowControl.dataReceived(400);

    assertThatThrownBy(() -> flowControl.dataReceived(1))
        .isInstanceOf(ConnectionErrorException.class);
  }

  @Test
  void dataBeyondTheReceiveWindowIsAFlowControlError() throws ConnectionErrorException {
    flowControl.dataReceived(900);

    assertThatThrownBy(() -> flowControl.dataReceived(101))
        .isInstanceOfSatisfying(ConnectionErrorException.class,
            e -> assertThat(e.errorCode).isEqualTo(FLOW_CONTROL_ERROR))
        .hasMessage("DATA of 101 bytes exceeds the connection's receive window of 100");
  }

  @Test
  void rejectedDataIsNotChargedToTheWindow() throws ConnectionErrorException {
    flowControl.dataReceived(900);
    assertThatThrownBy(() -> flowControl.dataReceived(101))
        .isInstanceOf(ConnectionErrorException.class);

    flowControl.dataReceived(100);
  }

  @Test
  void noWindowUpdateIsDueBeforeHalfTheWindowIsConsumed() {
    assertThat(flowControl.consumed(300, false)).isZero();
    assertThat(flowControl.consumed(199, false)).isZero();
  }

  @Test
  void windowUpdateReturnsEverythingConsumedOnceHalfTheWindowIs() {
    assertThat(flowControl.consumed(300, false)).isZero();

    assertThat(flowControl.consumed(250, false)).isEqualTo(550);

    assertThat(flowControl.consumed(499, false)).as("counting starts over").isZero();
    assertThat(flowControl.consumed(1, false)).isEqualTo(500);
  }

  @Test
  void windowUpdateReopensTheReceiveWindow() throws ConnectionErrorException {
    flowControl.dataReceived(1_000);
    assertThat(flowControl.consumed(500, false)).isEqualTo(500);

    flowControl.dataReceived(500);
    assertThatThrownBy(() -> flowControl.dataReceived(1))
        .isInstanceOf(ConnectionErrorException.class);
  }

  @Test
  void noWindowUpdateIsDueOnceTheConnectionIsClosed() throws ConnectionErrorException {
    flowControl.dataReceived(1_000);

    assertThat(flowControl.consumed(1_000, true)).isZero();

    assertThatThrownBy(() -> flowControl.dataReceived(1))
        .as("the window was not reopened")
        .isInstanceOf(ConnectionErrorException.class);
  }

  @Test
  void bufferedBytesFollowAdditionsAndRemovals() {
    assertThat(flowControl.bufferedBytes()).isZero();

    flowControl.bufferedBytesAdded(300);
    flowControl.bufferedBytesAdded(200);
    assertThat(flowControl.bufferedBytes()).isEqualTo(500);

    flowControl.bufferedBytesRemoved(450);
    assertThat(flowControl.bufferedBytes()).isEqualTo(50);
  }

  @Test
  void maxBufferedBytesKeepsTheHighWaterMark() {
    flowControl.bufferedBytesAdded(300);
    flowControl.bufferedBytesAdded(200);
    flowControl.bufferedBytesRemoved(500);
    flowControl.bufferedBytesAdded(100);

    assertThat(flowControl.maxBufferedBytes()).isEqualTo(500);
    assertThat(flowControl.bufferedBytes()).isEqualTo(100);
  }

  @Test
  void peerInitialWindowSizeStartsAtTheProtocolDefault() {
    assertThat(flowControl.peerInitialWindowSize()).isEqualTo(65_535);
  }

  @Test
  void peerInitialWindowSizeChangeReturnsTheDeltaForOpenStreams() {
    assertThat(flowControl.peerInitialWindowSizeChanged(100_000)).isEqualTo(34_465);
    assertThat(flowControl.peerInitialWindowSize()).isEqualTo(100_000);

    assertThat(flowControl.peerInitialWindowSizeChanged(1_000)).isEqualTo(-99_000);
    assertThat(flowControl.peerInitialWindowSize()).isEqualTo(1_000);
  }

  @Test
  void peerInitialWindowSizeDeltaSpansTheWholeRangeWithoutOverflow() {
    flowControl.peerInitialWindowSizeChanged(0);

    assertThat(flowControl.peerInitialWindowSizeChanged(Integer.MAX_VALUE))
        .isEqualTo(Integer.MAX_VALUE);
    assertThat(flowControl.peerInitialWindowSizeChanged(0)).isEqualTo(-Integer.MAX_VALUE);
  }

  @Test
  void sendWindowStartsAtTheProtocolDefaultWhateverOurReceiveWindow() {
    assertThat(new ConnectionFlowControl(16 * 1024 * 1024).sendWindow()).isEqualTo(65_535);
    assertThat(flowControl.sendWindow()).isEqualTo(65_535);
  }

  @Test
  void claimedBytesLeaveTheSendWindowAndWindowUpdateReturnsThem()
      throws ConnectionErrorException {
    flowControl.sendWindowClaimed(65_000);
    assertThat(flowControl.sendWindow()).isEqualTo(535);

    flowControl.sendWindowClaimed(535);
    assertThat(flowControl.sendWindow()).isZero();

    flowControl.windowUpdate(10_000);
    assertThat(flowControl.sendWindow()).isEqualTo(10_000);
  }

  @Test
  void sendWindowMayGrowToTwoToTheThirtyOneMinusOne() throws ConnectionErrorException {
    flowControl.windowUpdate(Integer.MAX_VALUE - 65_535L);

    assertThat(flowControl.sendWindow()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void windowUpdateOverflowingTheSendWindowIsAFlowControlError() {
    assertThatThrownBy(() -> flowControl.windowUpdate(Integer.MAX_VALUE - 65_534L))
        .isInstanceOfSatisfying(ConnectionErrorException.class,
            e -> assertThat(e.errorCode).isEqualTo(FLOW_CONTROL_ERROR))
        .hasMessageContaining("overflows the connection's send window");
  }
}
