package dev.courier.http1;

import dev.courier.Address;
import dev.courier.ConnectionShutdownException;
import dev.courier.Protocol;
import dev.courier.Route;
import dev.courier.http1.toolkit.HeadReader;
import dev.courier.http1.toolkit.Http1Limits;
import dev.courier.http1.toolkit.PeerName;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.Transport;
import dev.courier.spi.TransportLink;
import java.io.IOException;
import java.net.Proxy;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import okio.BufferedSink;
import okio.BufferedSource;

/**
 * Speaks HTTP/1.1 over one {@link Transport}: a persistent connection that carries one exchange
 * at a time (RFC 9112 §9.3).
 *
 * <p>The connection takes no new exchanges once {@link #noNewExchanges()} or {@link #close()} was
 * called, or once an exchange left it unusable: an I/O failure, a body that ends only when the
 * server closes, a response that asks to close, a body abandoned before its end that could not
 * be discarded quickly, or bytes from the server beyond the end of a response (RFC 9112 §6.3
 * frames each response; anything after it is not the answer to the next request). Capacity and health may be read from any thread; the pool must not hand
 * the connection to a second exchange before the first has ended. Thread-safe.
 */
public final class Http1Connection implements ProtocolConnection {
  /** How long the extensive health check waits for a sign that the peer closed the socket. */
  static final int HEALTH_PROBE_TIMEOUT_MILLIS = 1;

  private final Transport transport;
  private final TransportLink link;
  private final BufferedSource source;
  private final BufferedSink sink;
  private final ProtocolConnection.Listener listener;
  private final String peer;
  private final boolean absoluteFormTarget;
  private final HeadReader headReader;
  private final AtomicBoolean noNewExchanges = new AtomicBoolean();
  private final ReentrantLock probeLock = new ReentrantLock();
  private volatile boolean closed;
  private volatile Http1ExchangeCodec currentExchange;

  /**
   * Creates a connection over {@code transport}, whose protocol must be HTTP/1.1, with the
   * {@linkplain Http1Limits#DEFAULT default limits}.
   *
   * @param listener hears when the connection stops taking new exchanges on its own
   * @throws IllegalArgumentException if the transport negotiated another protocol
   */
  public Http1Connection(Transport transport, ProtocolConnection.Listener listener) {
    this(transport, listener, Http1Limits.DEFAULT);
  }

  /**
   * Creates a connection over {@code transport}, whose protocol must be HTTP/1.1, that applies
   * {@code limits} to every response it reads.
   *
   * @param listener hears when the connection stops taking new exchanges on its own
   * @throws IllegalArgumentException if the transport negotiated another protocol
   */
  public Http1Connection(Transport transport, ProtocolConnection.Listener listener,
      Http1Limits limits) {
    this.transport = Objects.requireNonNull(transport, "transport == null");
    this.listener = Objects.requireNonNull(listener, "listener == null");
    if (transport.protocol() != Protocol.HTTP_1_1 && transport.protocol() != Protocol.HTTP_1_0) {
      throw new IllegalArgumentException("Http1Connection cannot speak " + transport.protocol());
    }
    this.link = transport.link();
    this.source = transport.source();
    this.sink = transport.sink();
    Route route = transport.route();
    Address address = route.address();
    this.peer = PeerName.of(address);
    this.absoluteFormTarget = route.proxy().type() == Proxy.Type.HTTP && !address.isHttps();
    this.headReader = new HeadReader(source, peer, limits);
  }

  /** Returns {@link Protocol#HTTP_1_1}, the version requests are sent with. */
  @Override
  public Protocol protocol() {
    return Protocol.HTTP_1_1;
  }

  @Override
  public Transport transport() {
    return transport;
  }

  /** Returns false: HTTP/1.1 carries one exchange at a time. */
  @Override
  public boolean isMultiplexed() {
    return false;
  }

  /** Returns 1, or 0 once the connection takes no new exchanges. */
  @Override
  public int maxConcurrentExchanges() {
    return noNewExchanges.get() ? 0 : 1;
  }

  /**
   * Returns true if the connection takes new exchanges, its socket is open in both directions and,
   * between exchanges, no byte from the server is waiting: a byte that no request asked for is
   * a response the server sent beyond the previous one's framing, and reading it as the next
   * response would hand one caller another's data. With {@code extensiveChecks}, also reads from
   * the idle socket for at most 1 ms: any byte, or the end of the stream, makes it unhealthy.
   * Without them only bytes already buffered or, for cleartext, queued in the socket count; over
   * TLS, bytes still encrypted in the socket are found only by the extensive check.
   * The byte checks are skipped while an exchange is in flight.
   */
  @Override
  public boolean isHealthy(boolean extensiveChecks) {
    if (closed || noNewExchanges.get() || !link.isOpen()) {
      return false;
    }
    Http1ExchangeCodec exchange = currentExchange;
    if (exchange != null && !exchange.hasEnded()) {
      // Probing would race the exchange's own reads; an exchange in flight vouches for the socket.
      return true;
    }
    if (hasUnreadBytes()) {
      return false;
    }
    return !extensiveChecks || idleSocketIsQuiet();
  }

  /**
   * Returns a codec for the next exchange and applies the options' read and write timeouts to the
   * connection's streams.
   *
   * @throws ConnectionShutdownException if the connection takes no new exchanges, or the previous
   *     exchange did not end (the connection is then left unusable)
   */
  @Override
  public ExchangeCodec newCodec(ExchangeOptions options) throws IOException {
    if (noNewExchanges.get()) {
      throw new ConnectionShutdownException("Connection to " + peer + " takes no new exchanges");
    }
    Http1ExchangeCodec previous = currentExchange;
    if (previous != null && !previous.hasEnded()) {
      markUnusable();
      throw new ConnectionShutdownException("Connection to " + peer
          + " takes no new exchanges: the previous exchange did not end");
    }
    source.timeout().timeout(options.readTimeoutMillis(), TimeUnit.MILLISECONDS);
    sink.timeout().timeout(options.writeTimeoutMillis(), TimeUnit.MILLISECONDS);
    Http1ExchangeCodec codec = new Http1ExchangeCodec(this, headReader, absoluteFormTarget);
    currentExchange = codec;
    return codec;
  }

  @Override
  public void noNewExchanges() {
    noNewExchanges.set(true);
  }

  /** Closes the socket, failing any exchange in flight. Idempotent. */
  @Override
  public void close() {
    closed = true;
    noNewExchanges.set(true);
    closeSocket();
  }

  @Override
  public String toString() {
    return "Http1Connection{" + peer + (noNewExchanges.get() ? ", no new exchanges" : "") + "}";
  }

  /** Returns the server's name for error messages, such as {@code example.com:443}. */
  String peer() {
    return peer;
  }

  /** Stops new exchanges because one left the connection unusable, and tells the listener. */
  void markUnusable() {
    if (noNewExchanges.compareAndSet(false, true)) {
      listener.capacityChanged(this);
    }
  }

  /** Closes the socket from any thread so that a blocked read or write fails at once. */
  void cancel() {
    markUnusable();
    closeSocket();
  }

  /**
   * Returns true if bytes from the server wait in the connection's buffer. Call only between
   * exchanges, or at the end of one. Costs nothing: the end of every exchange checks it.
   */
  boolean hasBufferedBytes() {
    return source.getBuffer().size() > 0L;
  }

  /**
   * Returns true if bytes from the server wait unread: in the connection's buffer, or (without
   * blocking) in the socket. Call only between exchanges. Costs a system call, so only the
   * health check before reuse asks the socket.
   */
  boolean hasUnreadBytes() {
    if (hasBufferedBytes()) {
      return true;
    }
    return link.hasReadableBytes();
  }

  /** Reads for at most 1 ms: true if nothing arrived and the stream did not end. */
  private boolean idleSocketIsQuiet() {
    probeLock.lock();
    try {
      return link.staysQuiet(HEALTH_PROBE_TIMEOUT_MILLIS);
    } finally {
      probeLock.unlock();
    }
  }

  private void closeSocket() {
    link.close();
  }
}
