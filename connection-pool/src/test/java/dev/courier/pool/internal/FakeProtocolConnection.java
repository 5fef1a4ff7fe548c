package dev.courier.pool.internal;

import dev.courier.ConnectionShutdownException;
import dev.courier.Protocol;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.Transport;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A protocol connection whose capacity and health the test sets. It makes no codecs; it closes
 * the transport's socket when closed.
 */
public final class FakeProtocolConnection implements ProtocolConnection {
  private final Transport transport;
  private final ProtocolConnection.Listener listener;
  private volatile int capacity;
  private volatile boolean healthy = true;
  private volatile boolean noNewExchanges;
  private volatile boolean closed;
  private final CountDownLatch closedLatch = new CountDownLatch(1);

  public FakeProtocolConnection(Transport transport, ProtocolConnection.Listener listener) {
    this.transport = transport;
    this.listener = listener;
    this.capacity = transport.protocol().isMultiplexed() ? 100 : 1;
  }

  /** Sets the capacity and reports the change to the pool, as a reader thread would. */
  public void capacity(int capacity) {
    this.capacity = capacity;
    listener.capacityChanged(this);
  }

  public void healthy(boolean healthy) {
    this.healthy = healthy;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Waits up to 10 s for {@link #close()}; returns true if it was called. */
  public boolean awaitClosed() throws InterruptedException {
    return closedLatch.await(10, TimeUnit.SECONDS);
  }

  public boolean noNewExchangesCalled() {
    return noNewExchanges;
  }

  @Override
  public Protocol protocol() {
    return transport.protocol();
  }

  @Override
  public Transport transport() {
    return transport;
  }

  @Override
  public boolean isMultiplexed() {
    return transport.protocol().isMultiplexed();
  }

  @Override
  public int maxConcurrentExchanges() {
    return closed || noNewExchanges ? 0 : capacity;
  }

  @Override
  public boolean isHealthy(boolean extensiveChecks) {
    return healthy && !closed && !noNewExchanges;
  }

  @Override
  public ExchangeCodec newCodec(ExchangeOptions options) throws IOException {
    throw new ConnectionShutdownException("FakeProtocolConnection makes no codecs");
  }

  @Override
  public void noNewExchanges() {
    noNewExchanges = true;
  }

  @Override
  public void close() {
    closed = true;
    closedLatch.countDown();
    transport.link().close();
  }
}
