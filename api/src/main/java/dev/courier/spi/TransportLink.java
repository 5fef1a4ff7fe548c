package dev.courier.spi;

import dev.courier.internal.SocketLink;
import java.io.Closeable;
import java.net.Socket;

/**
 * Holds what carries a {@link Transport}'s bytes: a TCP (or TLS) socket, a Unix domain socket
 * channel, or a provider's own, such as a QUIC connection over UDP. Protocols and the pool use it
 * to check and close the transport without knowing what it is.
 *
 * <p>Implementations must be thread-safe: {@link #close()} may be called from any thread, and
 * must make blocked reads and writes fail promptly.
 */
public interface TransportLink extends Closeable {
  /** Returns a link over {@code socket}; for TLS, the {@code SSLSocket}. */
  static TransportLink of(Socket socket) {
    return new SocketLink(socket);
  }

  /** Returns true until the link is closed or either direction was shut down. */
  boolean isOpen();

  /**
   * Returns true if bytes from the peer wait in the link, without blocking; false if none do or
   * the link cannot tell. Call only while nobody reads from the link.
   */
  boolean hasReadableBytes();

  /**
   * Returns true if the next read of the transport's source is sure to return without waiting for
   * the peer; false if it may wait, or the link cannot tell. Unlike {@link #hasReadableBytes()},
   * this may count bytes that are not yet readable as such (over TLS, a whole encrypted record),
   * and it is meant for the thread that reads: a protocol asks it to decide whether work can wait
   * until after the next read. Call only from the thread reading the link, between reads. The
   * default is {@link #hasReadableBytes()}.
   */
  default boolean readsWithoutWaiting() {
    return hasReadableBytes();
  }

  /**
   * Returns how many bytes the next reads of the transport's source are sure to deliver without
   * waiting for the peer, at least: a lower bound, 0 if a read may wait or the link cannot tell.
   * A reader that remembers the count and subtracts what it has read since need not ask again
   * until that reaches 0. Call only from the thread reading the link, between reads. The default
   * is 1 if {@link #readsWithoutWaiting()}, else 0.
   */
  default int bytesReadableWithoutWaiting() {
    return readsWithoutWaiting() ? 1 : 0;
  }

  /**
   * Waits at most {@code timeoutMillis} for the peer to send a byte or end its stream, and returns
   * true if it did neither. Call only while nobody reads from the link; a byte that arrives may be
   * consumed, since a peer that sends one unasked leaves the link unusable anyway.
   */
  boolean staysQuiet(int timeoutMillis);

  /**
   * Returns the socket under this link, or null if there is none (a Unix domain socket channel, a
   * QUIC connection).
   */
  default Socket socket() {
    return null;
  }

  /** Closes the link, failing blocked reads and writes. Idempotent; never throws. */
  @Override
  void close();
}
