package dev.courier.examples;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Draws a one-line progress meter on standard error while a body is sent or received: bytes so far,
 * the percentage and the time left when the length is known, and the rate. Redraws at most every
 * {@value #REDRAW_INTERVAL_MS} ms, and draws nothing at all when disabled (standard error is not a
 * terminal, or {@code -s}). Not thread-safe: one transfer drives it.
 */
final class TransferProgress {
  static final long REDRAW_INTERVAL_MS = 200;

  private final PrintStream err;
  private final boolean enabled;
  private final LongSupplier nanoClock;
  private final String label;
  private final int width;
  private long totalBytes = -1;
  private long doneBytes;
  private long startNanos;
  private long lastDrawNanos;
  private boolean drawn;

  TransferProgress(PrintStream err, boolean enabled, LongSupplier nanoClock, String label, int width) {
    this.err = err;
    this.enabled = enabled;
    this.nanoClock = nanoClock;
    this.label = label;
    this.width = width;
  }

  /** Starts a transfer of {@code totalBytes}, or -1 if the length is not known. */
  void start(long totalBytes) {
    this.totalBytes = totalBytes;
    this.doneBytes = 0;
    this.startNanos = nanoClock.getAsLong();
    this.lastDrawNanos = startNanos;
    this.drawn = false;
  }

  /** Counts {@code byteCount} more bytes transferred, redrawing if it is time to. */
  void advance(long byteCount) {
    doneBytes += byteCount;
    if (!enabled) return;
    long now = nanoClock.getAsLong();
    if (now - lastDrawNanos >= REDRAW_INTERVAL_MS * 1_000_000L) {
      lastDrawNanos = now;
      draw(now);
    }
  }

  /** Draws the final state and ends the line, if anything was drawn. */
  void finish() {
    if (!enabled || !drawn) return;
    draw(nanoClock.getAsLong());
    err.print('\n');
    err.flush();
  }

  private void draw(long nowNanos) {
    String line = line(nowNanos);
    // Pad to the width so a shorter line wipes out the end of the previous one.
    StringBuilder out = new StringBuilder(width + 1).append('\r').append(line);
    for (int i = line.length(); i < width - 1; i++) out.append(' ');
    err.print(out);
    err.flush();
    drawn = true;
  }

  /** Returns the meter's text at {@code nowNanos}, such as {@code "  12.0 MiB / 200.0 MiB  6%  ..."}. */
  String line(long nowNanos) {
    double seconds = Math.max(1e-3, (nowNanos - startNanos) / 1e9);
    double rate = doneBytes / seconds;
    StringBuilder line = new StringBuilder(80).append(label).append(' ').append(bytes(doneBytes));
    if (totalBytes >= 0) {
      line.append(" / ").append(bytes(totalBytes));
      long percent = totalBytes == 0 ? 100 : doneBytes * 100 / totalBytes;
      line.append("  ").append(percent).append('%');
    }
    line.append("  ").append(bytes((long) rate)).append("/s");
    if (totalBytes >= 0 && rate > 0 && doneBytes < totalBytes) {
      line.append("  ETA ").append(duration((long) ((totalBytes - doneBytes) / rate)));
    } else if (totalBytes >= 0 && doneBytes >= totalBytes) {
      line.append("  in ").append(duration((long) seconds));
    }
    return line.toString();
  }

  /** Returns {@code count} bytes in binary units with one decimal: {@code 512 B}, {@code 1.5 MiB}. */
  static String bytes(long count) {
    if (count < 1024) return count + " B";
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = count;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    long tenths = Math.round(value * 10);
    return tenths / 10 + "." + tenths % 10 + " " + units[unit];
  }

  /** Returns {@code seconds} as {@code m:ss}, or {@code h:mm:ss} from an hour on. */
  static String duration(long seconds) {
    long h = seconds / 3600;
    long m = seconds / 60 % 60;
    long s = seconds % 60;
    String mmss = (h > 0 && m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
    return h > 0 ? h + ":" + mmss : mmss;
  }
}
