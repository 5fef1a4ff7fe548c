package dev.courier.spi;

import dev.courier.Handshake;
import dev.courier.Protocol;
import dev.courier.Route;
import java.net.Socket;
import java.util.Objects;
import okio.BufferedSink;
import okio.BufferedSource;

/**
 * Hands an established transport to a protocol: the socket (TCP, or TLS over TCP), its buffered
 * okio streams, the route it followed and the negotiated protocol.
 *
 * <p>The streams are the only ones a protocol may use on this socket; they apply okio timeouts
 * that close the socket when they expire. Instances are immutable.
 */
public final class Transport {
  private final Socket socket;
  private final BufferedSource source;
  private final BufferedSink sink;
  private final Route route;
  private final Handshake handshake;
  private final Protocol protocol;

  /**
   * Creates a transport.
   *
   * @param handshake the TLS handshake, or null for cleartext
   */
  public Transport(Socket socket, BufferedSource source, BufferedSink sink, Route route,
      Handshake handshake, Protocol protocol) {
    this.socket = Objects.requireNonNull(socket, "socket == null");
    this.source = Objects.requireNonNull(source, "source == null");
    this.sink = Objects.requireNonNull(sink, "sink == null");
    this.route = Objects.requireNonNull(route, "route == null");
    this.handshake = handshake;
    this.protocol = Objects.requireNonNull(protocol, "protocol == null");
  }

  /** Returns the socket; for TLS, the {@code SSLSocket}. */
  public Socket socket() {
    return socket;
  }

  /** Returns the buffered stream from the peer. */
  public BufferedSource source() {
    return source;
  }

  /** Returns the buffered stream to the peer. */
  public BufferedSink sink() {
    return sink;
  }

  /** Returns the route the connection followed. */
  public Route route() {
    return route;
  }

  /** Returns the TLS handshake, or null for cleartext. */
  public Handshake handshake() {
    return handshake;
  }

  /** Returns the negotiated protocol. */
  public Protocol protocol() {
    return protocol;
  }
}
