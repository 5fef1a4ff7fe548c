package dev.courier.http2.internal;

import static dev.courier.http2.internal.ErrorCodes.FLOW_CONTROL_ERROR;

/**
 * Keeps the connection-level flow-control windows (RFC 9113 §6.9) in both directions, the peer's
 * SETTINGS_INITIAL_WINDOW_SIZE for new streams, and the count of body bytes buffered across all
 * streams. Guarded by the connection's lock; does no I/O, it only says what to send.
 */
final class ConnectionFlowControl {
  private final int receiveWindowSize;
  private int peerInitialWindowSize = FrameReader.DEFAULT_WINDOW_SIZE;
  private long sendWindow = FrameReader.DEFAULT_WINDOW_SIZE;
  private long receiveWindowRemaining;
  private long unacknowledgedBytes;
  private long bufferedBytes;
  private long maxBufferedBytes;

  /** Starts with our receive window at {@code receiveWindowSize}, already announced to the peer. */
  ConnectionFlowControl(int receiveWindowSize) {
    this.receiveWindowSize = receiveWindowSize;
    this.receiveWindowRemaining = receiveWindowSize;
  }

  // ---- Receiving.

  /**
   * Charges a DATA frame of {@code frameLength} bytes (padding included) to our receive window.
   *
   * @throws ConnectionErrorException FLOW_CONTROL_ERROR if the peer overran the window
   */
  void dataReceived(int frameLength) throws ConnectionErrorException {
    if (frameLength > receiveWindowRemaining) {
      throw new ConnectionErrorException(FLOW_CONTROL_ERROR, "DATA of " + frameLength
          + " bytes exceeds the connection's receive window of " + receiveWindowRemaining);
    }
    receiveWindowRemaining -= frameLength;
  }

  /**
   * Counts {@code byteCount} bytes as consumed; returns the connection WINDOW_UPDATE due now, or 0.
   * Once half the window is consumed it is returned to the peer in one increment, unless
   * {@code connectionClosed}, when nothing will be sent again.
   */
  long consumed(long byteCount, boolean connectionClosed) {
    unacknowledgedBytes += byteCount;
    if (connectionClosed || unacknowledgedBytes < receiveWindowSize / 2) {
      return 0;
    }
    long increment = unacknowledgedBytes;
    unacknowledgedBytes = 0;
    receiveWindowRemaining += increment;
    return increment;
  }

  void bufferedBytesAdded(long byteCount) {
    bufferedBytes += byteCount;
    maxBufferedBytes = Math.max(maxBufferedBytes, bufferedBytes);
  }

  void bufferedBytesRemoved(long byteCount) {
    bufferedBytes -= byteCount;
  }

  /** Returns the body bytes received and not yet read by the application, across all streams. */
  long bufferedBytes() {
    return bufferedBytes;
  }

  /** Returns the most body bytes ever buffered at once. */
  long maxBufferedBytes() {
    return maxBufferedBytes;
  }

  // ---- Sending.

  /** Returns the send window a new stream starts with: the peer's SETTINGS_INITIAL_WINDOW_SIZE. */
  int peerInitialWindowSize() {
    return peerInitialWindowSize;
  }

  /**
   * Records the peer's new SETTINGS_INITIAL_WINDOW_SIZE and returns how much every open stream's
   * send window changes by (RFC 9113 §6.9.2); negative if it shrank.
   */
  long peerInitialWindowSizeChanged(int newSize) {
    long delta = newSize - peerInitialWindowSize;
    peerInitialWindowSize = newSize;
    return delta;
  }

  /** Returns the bytes of DATA the connection window lets us send now. */
  long sendWindow() {
    return sendWindow;
  }

  /** Takes {@code byteCount} bytes, at most {@link #sendWindow()}, out of the send window. */
  void sendWindowClaimed(long byteCount) {
    sendWindow -= byteCount;
  }

  /**
   * Adds a connection WINDOW_UPDATE's {@code increment} to the send window.
   *
   * @throws ConnectionErrorException FLOW_CONTROL_ERROR if the window would exceed 2^31-1
   */
  void windowUpdate(long increment) throws ConnectionErrorException {
    sendWindow += increment;
    if (sendWindow > FrameReader.MAX_WINDOW_SIZE) {
      throw new ConnectionErrorException(FLOW_CONTROL_ERROR,
          "WINDOW_UPDATE overflows the connection's send window");
    }
  }
}
