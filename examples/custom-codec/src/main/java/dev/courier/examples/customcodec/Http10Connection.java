package dev.courier.examples.customcodec;

import dev.courier.ConnectionShutdownException;
import dev.courier.Protocol;
import dev.courier.http1.toolkit.HeadReader;
import dev.courier.http1.toolkit.PeerName;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.Transport;
import java.util.concurrent.TimeUnit;

/**
 * Speaks HTTP/1.0 with keep-alive over one {@link Transport}: one exchange at a time, and the
 * connection is reused only when the server agreed to keep it open. Thread-safe for the pool's
 * capacity and health questions; one thread drives each exchange.
 */
final class Http10Connection implements ProtocolConnection {
  private final Transport transport;
  private final String peer;
  private final HeadReader headReader;
  private volatile boolean noNewExchanges;
  private volatile Http10ExchangeCodec current;

  Http10Connection(Transport transport) {
    this.transport = transport;
    this.peer = PeerName.of(transport.route().address());
    this.headReader = new HeadReader(transport.source(), peer);
  }

  @Override
  public Protocol protocol() {
    return Protocol.HTTP_1_0;
  }

  @Override
  public Transport transport() {
    return transport;
  }

  @Override
  public boolean isMultiplexed() {
    return false;
  }

  // snippet: codec-connection
  @Override
  public int maxConcurrentExchanges() {
    return noNewExchanges ? 0 : 1;
  }

  /** Returns true if the transport is open and, between exchanges, no unasked-for byte waits. */
  @Override
  public boolean isHealthy(boolean extensiveChecks) {
    Http10ExchangeCodec exchange = current;
    boolean between = exchange == null || exchange.hasEnded();
    return !noNewExchanges && transport.link().isOpen()
        && (!between || transport.source().getBuffer().size() == 0L);
  }

  @Override
  public ExchangeCodec newCodec(ExchangeOptions options) throws ConnectionShutdownException {
    if (current != null && !current.hasEnded()) {
      noNewExchanges = true; // The previous response was abandoned: its rest would come first.
    }
    if (noNewExchanges) {
      throw new ConnectionShutdownException("Connection to " + peer + " takes no new exchanges");
    }
    // The transport's stream timeouts close the link when they fire.
    transport.source().timeout().timeout(options.readTimeoutMillis(), TimeUnit.MILLISECONDS);
    transport.sink().timeout().timeout(options.writeTimeoutMillis(), TimeUnit.MILLISECONDS);
    current = new Http10ExchangeCodec(this, headReader);
    return current;
  }
  // end snippet

  @Override
  public void noNewExchanges() {
    noNewExchanges = true;
  }

  @Override
  public void close() {
    noNewExchanges = true;
    transport.link().close();
  }

  String peer() {
    return peer;
  }
}
