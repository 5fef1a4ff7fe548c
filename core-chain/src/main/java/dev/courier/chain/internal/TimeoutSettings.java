package dev.courier.chain.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Converts timeout settings to whole milliseconds, rejecting values that cannot be honoured. */
public final class TimeoutSettings {
  private TimeoutSettings() {}

  /**
   * Returns {@code duration} in milliseconds; 0 means no timeout.
   *
   * @throws IllegalArgumentException naming {@code setting} if the value is negative, too large for
   *     an int of milliseconds, or positive but shorter than one millisecond
   */
  public static int toMillis(String setting, long duration, TimeUnit unit) {
    if (unit == null) {
      throw new NullPointerException(setting + ": unit == null");
    }
    if (duration < 0) {
      throw new IllegalArgumentException(setting + " < 0: " + duration + " " + unit);
    }
    long millis = unit.toMillis(duration);
    if (millis > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(setting + " too large: " + duration + " " + unit);
    }
    if (millis == 0 && duration > 0) {
      throw new IllegalArgumentException(setting + " too small: " + duration + " " + unit);
    }
    return (int) millis;
  }

  /** Returns {@code duration} in milliseconds, validated as {@link #toMillis(String, long, TimeUnit)}. */
  public static int toMillis(String setting, Duration duration) {
    if (duration == null) {
      throw new NullPointerException(setting + " == null");
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException(setting + " < 0: " + duration);
    }
    long nanos;
    try {
      nanos = duration.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(setting + " too large: " + duration);
    }
    return toMillis(setting, nanos, TimeUnit.NANOSECONDS);
  }
}
