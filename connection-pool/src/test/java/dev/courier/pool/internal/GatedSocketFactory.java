package dev.courier.pool.internal;

import dev.courier.testing.UnconnectedSocketFactory;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes real sockets whose first connect (or another chosen one) waits until the test {@linkplain
 * #open() opens} the gate and then connects, or {@linkplain #failFirst() fails} it, so that other
 * connection searches can line up behind it. Optionally, the connects after the gated one wait at
 * a barrier until a given number of them are in progress at once, which proves they run
 * concurrently rather than one after another. Counts every connect.
 */
public final class GatedSocketFactory extends UnconnectedSocketFactory {
  /** Counted down when the gated connect starts waiting at the gate. */
  public final CountDownLatch firstConnectEntered = new CountDownLatch(1);
  private final int gatedConnect;
  private final AtomicInteger connects = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final CountDownLatch concurrent;

  // Guarded by lock.
  private boolean open;
  private boolean failFirst;

  /** Creates a factory whose later connects do not wait for each other. */
  public GatedSocketFactory() {
    this(1, 0);
  }

  /**
   * Creates a factory that gates the {@code gatedConnect}-th connect (counting from 1), and whose
   * connects after that one each wait, for up to 10 s, until {@code concurrentConnects} of them
   * have started; a connect that waits in vain fails.
   */
  public GatedSocketFactory(int gatedConnect, int concurrentConnects) {
    this.gatedConnect = gatedConnect;
    this.concurrent = new CountDownLatch(concurrentConnects);
  }

  /** Returns how many connects started so far. */
  public int connectCount() {
    return connects.get();
  }

  /** Lets the gated connect go ahead. */
  public void open() {
    lock.lock();
    try {
      open = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Makes the gated connect fail with a ConnectException. */
  public void failFirst() {
    lock.lock();
    try {
      failFirst = true;
      open = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Socket createSocket() {
    return new GatedSocket();
  }

  private final class GatedSocket extends Socket {
    private boolean closed; // Guarded by lock.

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      int index = connects.incrementAndGet();
      if (index == gatedConnect) {
        awaitGate();
      } else if (index > gatedConnect) {
        awaitConcurrentConnects();
      }
      super.connect(endpoint, timeout);
    }

    private void awaitGate() throws IOException {
      firstConnectEntered.countDown();
      lock.lock();
      try {
        while (!open && !closed) {
          changed.await();
        }
        if (closed) {
          throw new SocketException("Socket closed");
        }
        if (failFirst) {
          throw new ConnectException("Connection refused (test)");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SocketException("interrupted");
      } finally {
        lock.unlock();
      }
    }

    private void awaitConcurrentConnects() throws IOException {
      concurrent.countDown();
      try {
        if (!concurrent.await(10, TimeUnit.SECONDS)) {
          throw new SocketException("only " + (connects.get() - gatedConnect) + " connects ran concurrently");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SocketException("interrupted");
      }
    }

    @Override
    public void close() throws IOException {
      lock.lock();
      try {
        closed = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      super.close();
    }
  }
}
