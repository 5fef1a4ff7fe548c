package dev.courier.testing.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.concurrent.TimeUnit;

/**
 * Writes a run of bytes in slices, pausing between slices, on a channel's event loop. Used for
 * throttled bodies; an unthrottled run is written as a single slice.
 */
final class Pacer {
  /** Writes the bytes in {@code [offset, offset + length)} and returns the write's future. */
  interface SliceWriter {
    ChannelFuture write(int offset, int length, boolean last);
  }

  private final Channel channel;
  private final int totalBytes;
  private final long bytesPerPeriod;
  private final long periodNanos;
  private final SliceWriter writer;
  private final Runnable onWritten;
  private int offset;

  private Pacer(Channel channel, int totalBytes, long bytesPerPeriod, long periodNanos,
      SliceWriter writer, Runnable onWritten) {
    this.channel = channel;
    this.totalBytes = totalBytes;
    this.bytesPerPeriod = bytesPerPeriod > 0 ? bytesPerPeriod : Math.max(totalBytes, 1);
    this.periodNanos = periodNanos;
    this.writer = writer;
    this.onWritten = onWritten;
  }

  /**
   * Writes {@code totalBytes} through {@code writer} in slices of {@code bytesPerPeriod} (all at
   * once when it is 0), then runs {@code onWritten} once the last slice has been written to the
   * socket. Nothing more happens if the channel closes or a write fails. Call on the event loop.
   */
  static void write(Channel channel, int totalBytes, long bytesPerPeriod, long periodNanos,
      SliceWriter writer, Runnable onWritten) {
    new Pacer(channel, totalBytes, bytesPerPeriod, periodNanos, writer, onWritten).writeSlice();
  }

  /** Runs {@code task} on the channel's event loop after {@code delayNanos}, if still open then. */
  static void schedule(Channel channel, long delayNanos, Runnable task) {
    if (delayNanos <= 0) {
      task.run();
      return;
    }
    channel.eventLoop().schedule(() -> {
      if (channel.isActive()) {
        task.run();
      }
    }, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void writeSlice() {
    if (!channel.isActive()) {
      return;
    }
    int length = (int) Math.min(bytesPerPeriod, totalBytes - offset);
    boolean last = offset + length >= totalBytes;
    ChannelFuture future = writer.write(offset, length, last);
    offset += length;
    if (last) {
      future.addListener(written -> {
        if (written.isSuccess()) {
          onWritten.run();
        } else {
          channel.close();
        }
      });
    } else if (periodNanos <= 0) {
      // Go through the task queue rather than recursing, so long bodies cannot overflow the stack.
      channel.eventLoop().execute(this::writeSlice);
    } else {
      schedule(channel, periodNanos, this::writeSlice);
    }
  }
}
