package dev.courier.http2.internal;

import java.io.IOException;
import java.util.Arrays;

/**
 * Control frames waiting to be written: a RST_STREAM, returned credit (WINDOW_UPDATE), a PING, or
 * the acknowledgement of the peer's PING or SETTINGS is queued here and written by whichever
 * thread holds the connection's writer as it lets go ({@link WriterLock}), so the thread
 * resetting, reading or pinging (the connection's reader included) never waits for a writer
 * another thread holds. Connection credit is summed into one WINDOW_UPDATE, written after the
 * other frames, which keep their order.
 *
 * <p>A connection keeps two: the queue, guarded by the connection's lock (except {@link
 * #hasQueued()}), and the batch being written, guarded by the writer lock, into which the writer
 * moves the queue under the connection's lock before writing it without that lock.
 */
final class QueuedControlFrames {
  private static final int INITIAL_CAPACITY = 4;
  private static final byte RST_STREAM = 0;
  private static final byte WINDOW_UPDATE = 1;
  private static final byte PING = 2;
  private static final byte PING_ACK = 3;
  private static final byte SETTINGS_ACK = 4;

  /** Per frame: its kind and stream id. */
  private byte[] kinds = new byte[INITIAL_CAPACITY];
  private int[] streamIds = new int[INITIAL_CAPACITY];
  /**
   * Per frame: the error code of a RST_STREAM, the increment of a WINDOW_UPDATE, the payload of a
   * PING.
   */
  private long[] values = new long[INITIAL_CAPACITY];
  /** Per SETTINGS ACK: the peer's settings that change how we write, applied as it is written. */
  private Settings[] settings = new Settings[INITIAL_CAPACITY];
  private int size;
  private int resetCount;
  private int acknowledgementCount;
  private long connectionIncrement;
  /** Whether anything is queued; read without the lock. */
  private volatile boolean queued;

  /** Queues RST_STREAM for {@code streamId} with {@code errorCode}. */
  void reset(int streamId, long errorCode) {
    add(RST_STREAM, streamId, errorCode, null);
    resetCount++;
  }

  /** Queues a WINDOW_UPDATE of {@code increment} for {@code streamId}, 0 for the connection; none if 0. */
  void windowUpdate(int streamId, long increment) {
    if (increment <= 0) {
      return;
    }
    if (streamId == 0) {
      connectionIncrement += increment;
      queued = true;
    } else {
      add(WINDOW_UPDATE, streamId, increment, null);
    }
  }

  /** Queues a PING carrying {@code payload}, or with {@code ack} the answer to the peer's. */
  void ping(boolean ack, long payload) {
    add(ack ? PING_ACK : PING, 0, payload, null);
    if (ack) {
      acknowledgementCount++;
    }
  }

  /**
   * Queues the acknowledgement of the peer's {@code peerSettings}; the ones that change how we
   * write (frame size, HPACK table size) are applied as it is written ({@link
   * FrameWriter#applyAndAcknowledge}).
   */
  void settingsAck(Settings peerSettings) {
    add(SETTINGS_ACK, 0, 0, peerSettings);
    acknowledgementCount++;
  }

  /** Returns the number of PING and SETTINGS acknowledgements among the frames. */
  int acknowledgementCount() {
    return acknowledgementCount;
  }

  private void add(byte kind, int streamId, long value, Settings peerSettings) {
    if (size == streamIds.length) {
      int capacity = size * 2;
      kinds = Arrays.copyOf(kinds, capacity);
      streamIds = Arrays.copyOf(streamIds, capacity);
      values = Arrays.copyOf(values, capacity);
      settings = Arrays.copyOf(settings, capacity);
    }
    kinds[size] = kind;
    streamIds[size] = streamId;
    values[size] = value;
    settings[size] = peerSettings;
    size++;
    queued = true;
  }

  /** Returns true if frames are queued; cheap and safe without any lock. */
  boolean hasQueued() {
    return queued;
  }

  /** Returns true if a RST_STREAM is among the frames. */
  boolean hasReset() {
    return resetCount > 0;
  }

  /** Moves every frame into {@code batch}, which must be empty, and leaves this empty. */
  void moveTo(QueuedControlFrames batch) {
    for (int i = 0; i < size; i++) {
      batch.add(kinds[i], streamIds[i], values[i], settings[i]);
    }
    batch.resetCount = resetCount;
    batch.acknowledgementCount = acknowledgementCount;
    batch.connectionIncrement = connectionIncrement;
    batch.queued = queued;
    clear();
  }

  /** Writes the frames in order, the connection's WINDOW_UPDATE last, unflushed, and forgets them. */
  void writeTo(FrameWriter writer) throws IOException {
    try {
      for (int i = 0; i < size; i++) {
        switch (kinds[i]) {
          case RST_STREAM -> writer.rstStream(streamIds[i], values[i]);
          case WINDOW_UPDATE -> writer.windowUpdate(streamIds[i], values[i]);
          case PING -> writer.ping(false, values[i]);
          case PING_ACK -> writer.ping(true, values[i]);
          default -> writer.applyAndAcknowledge(settings[i]);
        }
      }
      if (connectionIncrement > 0) {
        writer.windowUpdate(0, connectionIncrement);
      }
    } finally {
      clear();
    }
  }

  /** Forgets every frame. */
  void clear() {
    Arrays.fill(settings, 0, size, null);
    size = 0;
    resetCount = 0;
    acknowledgementCount = 0;
    connectionIncrement = 0;
    queued = false;
  }
}
