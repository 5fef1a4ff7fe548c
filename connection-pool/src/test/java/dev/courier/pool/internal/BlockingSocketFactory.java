package dev.courier.pool.internal;

import dev.courier.testing.UnconnectedSocketFactory;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Makes sockets whose connect never succeeds: it waits until the socket is closed (failing with a
 * SocketException) or the connect timeout elapses (failing with a SocketTimeoutException), as a
 * connect to an unresponsive host would. Records the timeout it was given and whether it was
 * closed.
 */
public final class BlockingSocketFactory extends UnconnectedSocketFactory {
  public final CountDownLatch connectEntered = new CountDownLatch(1);
  public volatile int lastConnectTimeoutMillis = -1;
  public volatile boolean lastSocketClosed;

  @Override
  public Socket createSocket() {
    return new BlockingSocket();
  }

  private final class BlockingSocket extends Socket {
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      lastConnectTimeoutMillis = timeout;
      connectEntered.countDown();
      try {
        boolean wasClosed = closed.await(timeout == 0 ? Long.MAX_VALUE : timeout, TimeUnit.MILLISECONDS);
        if (wasClosed) {
          throw new SocketException("Socket closed");
        }
        throw new SocketTimeoutException("Connect timed out");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SocketException("interrupted");
      }
    }

    @Override
    public synchronized void close() throws IOException {
      lastSocketClosed = true;
      closed.countDown();
      super.close();
    }
  }
}
