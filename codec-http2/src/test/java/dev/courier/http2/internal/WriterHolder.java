package dev.courier.http2.internal;

import java.util.concurrent.CountDownLatch;

/**
 * Holds a connection's writer lock on a thread of its own until closed, as a caller blocked in a
 * socket write would; letting go writes what other threads left to the holder meanwhile.
 */
final class WriterHolder implements AutoCloseable {
  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final Thread thread;

  /** Takes {@code connection}'s writer on a new thread, returning once it holds it. */
  WriterHolder(Http2Connection connection) throws InterruptedException {
    thread = new Thread(() -> {
      connection.writer.lock().lock();
      try {
        held.countDown();
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        connection.writer.lock().unlock(); // Writes what was queued meanwhile.
      }
    }, "writer holder");
    thread.setDaemon(true);
    thread.start();
    held.await();
  }

  /** Returns true while the thread still holds the writer. */
  boolean isHolding() {
    return release.getCount() > 0 && thread.isAlive();
  }

  /** Lets go of the writer, which writes what was left to it, and waits for that. */
  @Override
  public void close() throws InterruptedException {
    release.countDown();
    thread.join();
  }
}
