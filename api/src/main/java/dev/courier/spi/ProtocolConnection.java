package dev.courier.spi;

import dev.courier.Protocol;
import java.io.Closeable;
import java.io.IOException;

/**
 * Speaks one protocol over an established {@link Transport} and makes an {@link ExchangeCodec}
 * for each exchange. The pool owns it: it decides when to hand it out, and closes it.
 *
 * <p>A non-multiplexed protocol (HTTP/1.1) carries one exchange at a time; a multiplexed one
 * (HTTP/2) carries up to {@link #maxConcurrentExchanges()} at once. Implementations must be
 * thread-safe: the pool reads the capacity and health from any thread.
 */
public interface ProtocolConnection extends Closeable {
  /** Returns the protocol spoken. */
  Protocol protocol();

  /** Returns the transport this connection runs over. */
  Transport transport();

  /** Returns true if several exchanges may run at once. */
  boolean isMultiplexed();

  /**
   * Returns how many exchanges this connection may carry at once now, in flight ones included:
   * 1 for HTTP/1.1, the peer's MAX_CONCURRENT_STREAMS for HTTP/2, and 0 once the connection takes
   * no new exchanges (closed, shut down by the peer, or left unusable by an exchange).
   */
  int maxConcurrentExchanges();

  /**
   * Returns true if the connection can carry a new exchange. With {@code extensiveChecks} the
   * connection may probe the socket (for HTTP/1, whether the peer closed it while idle; for
   * HTTP/2, whether pings are answered), which costs a little time.
   */
  boolean isHealthy(boolean extensiveChecks);

  /**
   * Returns a codec for a new exchange.
   *
   * @throws dev.courier.ConnectionShutdownException if the connection takes no new exchanges
   * @throws IOException if the exchange could not be started
   */
  ExchangeCodec newCodec(ExchangeOptions options) throws IOException;

  /** Stops this connection from taking new exchanges; exchanges in flight complete. Idempotent. */
  void noNewExchanges();

  /** Closes the transport immediately, failing exchanges in flight. Idempotent. */
  @Override
  void close();

  /**
   * Receives changes a protocol connection reports on its own, from its reader thread. The pool
   * implements it. Methods must return quickly and not block on I/O.
   */
  interface Listener {
    /** Does nothing. */
    Listener NONE = new Listener() {};

    /**
     * Called when {@link #maxConcurrentExchanges()} changed, for instance when the peer sent new
     * settings or GOAWAY, or when the connection closed.
     */
    default void capacityChanged(ProtocolConnection connection) {}
  }
}
