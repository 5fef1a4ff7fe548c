package dev.courier.http2.internal;

import java.io.IOException;
import java.util.Arrays;

/**
 * RST_STREAM and WINDOW_UPDATE frames waiting to be written: a reset or returned credit is queued
 * here and written by whichever thread holds the connection's writer as it lets go ({@link
 * WriterLock}), so the thread resetting or reading never waits for a writer another thread holds.
 * Connection credit is summed into one WINDOW_UPDATE, written after the other frames, which keep
 * their order.
 *
 * <p>A connection keeps two: the queue, guarded by the connection's lock (except {@link
 * #hasQueued()}), and the batch being written, guarded by the writer lock, into which the writer
 * moves the queue under the connection's lock before writing it without that lock.
 */
final class QueuedControlFrames {
  private static final int INITIAL_CAPACITY = 4;

  /** Per frame: its stream id, and whether it is a RST_STREAM (else a WINDOW_UPDATE). */
  private int[] streamIds = new int[INITIAL_CAPACITY];
  private boolean[] resets = new boolean[INITIAL_CAPACITY];
  /** Per frame: the error code of a RST_STREAM, the increment of a WINDOW_UPDATE. */
  private long[] values = new long[INITIAL_CAPACITY];
  private int size;
  private int resetCount;
  private long connectionIncrement;
  /** Whether anything is queued; read without the lock. */
  private volatile boolean queued;

  /** Queues RST_STREAM for {@code streamId} with {@code errorCode}. */
  void reset(int streamId, long errorCode) {
    add(streamId, true, errorCode);
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
      add(streamId, false, increment);
    }
  }

  private void add(int streamId, boolean reset, long value) {
    if (size == streamIds.length) {
      int capacity = size * 2;
      streamIds = Arrays.copyOf(streamIds, capacity);
      resets = Arrays.copyOf(resets, capacity);
      values = Arrays.copyOf(values, capacity);
    }
    streamIds[size] = streamId;
    resets[size] = reset;
    values[size] = value;
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
      batch.add(streamIds[i], resets[i], values[i]);
    }
    batch.resetCount = resetCount;
    batch.connectionIncrement = connectionIncrement;
    batch.queued = queued;
    clear();
  }

  /** Writes the frames in order, the connection's WINDOW_UPDATE last, unflushed, and forgets them. */
  void writeTo(FrameWriter writer) throws IOException {
    try {
      for (int i = 0; i < size; i++) {
        if (resets[i]) {
          writer.rstStream(streamIds[i], values[i]);
        } else {
          writer.windowUpdate(streamIds[i], values[i]);
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
    size = 0;
    resetCount = 0;
    connectionIncrement = 0;
    queued = false;
  }
}
