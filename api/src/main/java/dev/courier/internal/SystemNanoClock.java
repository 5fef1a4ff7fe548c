package dev.courier.internal;

import java.util.function.LongSupplier;

/**
 * Reads {@link System#nanoTime()}: the clock every Courier component uses unless a test injects
 * another. A class rather than {@code System::nanoTime}, so that a fresh JVM building a client
 * links no method reference for it. Thread-safe.
 */
public final class SystemNanoClock implements LongSupplier {
  /** The only instance. */
  public static final SystemNanoClock INSTANCE = new SystemNanoClock();

  private SystemNanoClock() {}

  /** Returns {@link System#nanoTime()}. */
  @Override
  public long getAsLong() {
    return System.nanoTime();
  }
}
