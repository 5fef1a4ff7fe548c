package dev.courier.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Logs {@link ProviderLoader}'s DEBUG lines (the providers found and chosen) without obtaining a
 * {@link System.Logger} on the caller's thread.
 *
 * <p>Obtaining the first {@code System.Logger} of a JVM starts its logging back end
 * ({@code java.util.logging} unless another is installed: its configuration, levels and handlers,
 * about 10 ms in a fresh JVM), and providers are discovered while the first client is built. So
 * the lines logged before the logger exists wait in a list, and one thread, {@code Courier
 * provider log}, obtains the logger, logs them in order if DEBUG is enabled for it, and ends;
 * later lines are logged at once. If that thread cannot start, the caller does its work. Warnings
 * do not come here: they are logged at once through {@code System.getLogger}, so one may appear
 * before DEBUG lines logged earlier. Thread-safe.
 */
final class ProviderLog {
  /** Logs under {@code ProviderLoader}'s class name. */
  static final ProviderLog INSTANCE = new ProviderLog(ProviderLoader.class.getName());

  private final String loggerName;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock. Null until the logger has been obtained.
  private System.Logger logger;
  // Guarded by lock. Lines waiting for the logger; non-null while the thread is obtaining it.
  private List<String> pending;

  ProviderLog(String loggerName) {
    this.loggerName = loggerName;
  }

  /** Logs {@code line} at DEBUG: at once if the logger exists, else once it does. */
  void debug(String line) {
    System.Logger ready;
    boolean start = false;
    lock.lock();
    try {
      ready = logger;
      if (ready == null) {
        if (pending == null) {
          pending = new ArrayList<>();
          start = true;
        }
        pending.add(line);
      }
    } finally {
      lock.unlock();
    }
    if (ready != null) {
      if (ready.isLoggable(System.Logger.Level.DEBUG)) {
        ready.log(System.Logger.Level.DEBUG, line);
      }
    } else if (start) {
      Drain drain = new Drain();
      try {
        Thread thread = new Thread(drain, "Courier provider log");
        thread.start();
      } catch (RuntimeException | OutOfMemoryError e) {
        drain.run();
      }
    }
  }

  /** Obtains the logger, logs the waiting lines in order, then lets later lines log at once. */
  private final class Drain implements Runnable {
    @Override
    public void run() {
      System.Logger obtained = System.getLogger(loggerName);
      while (true) {
        List<String> lines;
        lock.lock();
        try {
          lines = pending;
          if (lines.isEmpty()) {
            pending = null;
            logger = obtained;
            return;
          }
          pending = new ArrayList<>();
        } finally {
          lock.unlock();
        }
        if (obtained.isLoggable(System.Logger.Level.DEBUG)) {
          for (String line : lines) {
            obtained.log(System.Logger.Level.DEBUG, line);
          }
        }
      }
    }
  }
}
