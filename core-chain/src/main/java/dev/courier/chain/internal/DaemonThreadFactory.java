package dev.courier.chain.internal;

import java.util.concurrent.ThreadFactory;

/** Makes daemon threads that all carry one name, so they never keep the JVM alive. Thread-safe. */
public final class DaemonThreadFactory implements ThreadFactory {
  private final String name;

  /** Creates a factory for threads named {@code name}. */
  public DaemonThreadFactory(String name) {
    this.name = name;
  }

  @Override
  public Thread newThread(Runnable runnable) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
