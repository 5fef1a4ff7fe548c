package dev.courier.testing.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Writes a run of bytes in slices, pausing between slices, on a channel's event loop. Used for
 * throttled bodies and for HTTP/2 DATA frames of a chosen size; an unthrottled run without a
 * slice size is written at once.
 */
final class Pacer {
  /** Writes the bytes in {@code [offset, offset + length)} and returns the write's future. */
  interface SliceWriter {
    ChannelFuture write(int offset, int length, boolean last);
  }

  private final Channel channel;
  private final BooleanSupplier wanted;
  private final int totalBytes;
  private final long bytesPerSlice;
  private final long periodNanos;
  private final SliceWriter writer;
  private final Runnable onWritten;
  private final Runnable onFailed;
  private int offset;

  private Pacer(Channel channel, BooleanSupplier wanted, int totalBytes, long bytesPerSlice, long periodNanos,
      SliceWriter writer, Runnable onWritten, Runnable onFailed) {
    this.channel = channel;
    this.wanted = wanted;
    this.totalBytes = totalBytes;
    this.bytesPerSlice = bytesPerSlice > 0 ? bytesPerSlice : Math.max(totalBytes, 1);
    this.periodNanos = periodNanos;
    this.writer = writer;
    this.onWritten = onWritten;
    this.onFailed = onFailed;
  }

  /**
   * Writes {@code totalBytes} through {@code writer} in slices of {@code bytesPerSlice} (all at
   * once when it is 0), waiting {@code periodNanos} between slices, then runs {@code onWritten}
   * once the last slice has been written. Stops quietly when {@code wanted} turns false, and
   * runs {@code onFailed} if the last write fails. Call on the event loop.
   */
  static void write(Channel channel, BooleanSupplier wanted, int totalBytes, long bytesPerSlice, long periodNanos,
      SliceWriter writer, Runnable onWritten, Runnable onFailed) {
    new Pacer(channel, wanted, totalBytes, bytesPerSlice, periodNanos, writer, onWritten, onFailed).writeSlice();
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
    if (!channel.isActive() || !wanted.getAsBoolean()) {
      return;
    }
    int length = (int) Math.min(bytesPerSlice, totalBytes - offset);
    boolean last = offset + length >= totalBytes;
    ChannelFuture future = writer.write(offset, length, last);
    offset += length;
    if (last) {
      future.addListener(written -> {
        if (written.isSuccess()) {
          onWritten.run();
        } else {
          onFailed.run();
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
