package dev.courier.spi;

import dev.courier.Handshake;
import dev.courier.Protocol;
import dev.courier.Route;
import java.net.Socket;
import java.util.Objects;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.Sink;
import okio.Source;

/**
 * Hands an established transport to a protocol: the {@link TransportLink} that carries its bytes
 * (a TCP or TLS socket the pool connected, or a provider's own, such as a Unix domain socket or a
 * QUIC connection), its buffered okio streams, the route it followed and the protocol to speak.
 *
 * <p>The streams are the only ones a protocol may use on this link; they apply okio timeouts that
 * close the link when they expire. A transport without one byte stream (a QUIC connection, whose
 * protocol opens streams on its own link) has none. Instances are immutable.
 */
public final class Transport {
  private final TransportLink link;
  private final BufferedSource source;
  private final Source unbufferedSource;
  private final BufferedSink sink;
  private final Sink unbufferedSink;
  private final Route route;
  private final Handshake handshake;
  private final Protocol protocol;

  /**
   * Creates a transport over a socket.
   *
   * @param handshake the TLS handshake, or null for cleartext
   */
  public Transport(Socket socket, BufferedSource source, BufferedSink sink, Route route,
      Handshake handshake, Protocol protocol) {
    this(TransportLink.of(Objects.requireNonNull(socket, "socket == null")),
        Objects.requireNonNull(source, "source == null"),
        Objects.requireNonNull(sink, "sink == null"), route, handshake, protocol);
  }

  /**
   * Creates a transport over any link.
   *
   * @param source the stream from the peer, or null if the transport has no single byte stream
   * @param sink the stream to the peer; null exactly when {@code source} is
   * @param handshake the TLS handshake (or the equivalent a secure transport performed), or null
   *     for cleartext
   * @throws IllegalArgumentException if only one of {@code source} and {@code sink} is null
   */
  public Transport(TransportLink link, BufferedSource source, BufferedSink sink, Route route,
      Handshake handshake, Protocol protocol) {
    this(link, source, null, sink, route, handshake, protocol);
  }

  /**
   * Creates a transport over any link, naming the source that {@code source} buffers, so that a
   * protocol may read large bodies from it without going through the buffer (see {@link
   * #unbufferedSource()}).
   *
   * @param source the stream from the peer, or null if the transport has no single byte stream
   * @param unbufferedSource the source {@code source} reads from (its timeout must be {@code
   *     source}'s), or null to offer none; must be null if {@code source} is
   * @param sink the stream to the peer; null exactly when {@code source} is
   * @param handshake the TLS handshake (or the equivalent a secure transport performed), or null
   *     for cleartext
   * @throws IllegalArgumentException if only one of {@code source} and {@code sink} is null, or
   *     {@code unbufferedSource} is given without {@code source}
   */
  public Transport(TransportLink link, BufferedSource source, Source unbufferedSource,
      BufferedSink sink, Route route, Handshake handshake, Protocol protocol) {
    this(link, source, unbufferedSource, sink, null, route, handshake, protocol);
  }

  /**
   * Creates a transport over any link, naming the source that {@code source} buffers and the sink
   * that {@code sink} buffers, so that a protocol may read and write large bodies without going
   * through the buffers (see {@link #unbufferedSource()} and {@link #unbufferedSink()}).
   *
   * @param source the stream from the peer, or null if the transport has no single byte stream
   * @param unbufferedSource the source {@code source} reads from (its timeout must be {@code
   *     source}'s), or null to offer none; must be null if {@code source} is
   * @param sink the stream to the peer; null exactly when {@code source} is
   * @param unbufferedSink the sink {@code sink} writes to (its timeout must be {@code sink}'s), or
   *     null to offer none; must be null if {@code sink} is
   * @param handshake the TLS handshake (or the equivalent a secure transport performed), or null
   *     for cleartext
   * @throws IllegalArgumentException if only one of {@code source} and {@code sink} is null, or
   *     {@code unbufferedSource} or {@code unbufferedSink} is given without its buffered stream
   */
  public Transport(TransportLink link, BufferedSource source, Source unbufferedSource,
      BufferedSink sink, Sink unbufferedSink, Route route, Handshake handshake,
      Protocol protocol) {
    this.link = Objects.requireNonNull(link, "link == null");
    if ((source == null) != (sink == null)) {
      throw new IllegalArgumentException("source and sink must both be given or both be null");
    }
    if (source == null && unbufferedSource != null) {
      throw new IllegalArgumentException("unbufferedSource given without a source");
    }
    if (sink == null && unbufferedSink != null) {
      throw new IllegalArgumentException("unbufferedSink given without a sink");
    }
    this.source = source;
    this.unbufferedSource = unbufferedSource;
    this.sink = sink;
    this.unbufferedSink = unbufferedSink;
    this.route = Objects.requireNonNull(route, "route == null");
    this.handshake = handshake;
    this.protocol = Objects.requireNonNull(protocol, "protocol == null");
  }

  /** Returns what carries this transport's bytes. */
  public TransportLink link() {
    return link;
  }

  /**
   * Returns the socket; for TLS, the {@code SSLSocket}. Null if the transport is not a socket, as
   * for a Unix domain socket channel or a provider's own transport.
   */
  public Socket socket() {
    return link.socket();
  }

  /** Returns the buffered stream from the peer, or null if the transport has no single stream. */
  public BufferedSource source() {
    return source;
  }

  /**
   * Returns the source that {@link #source()} buffers, or null if the transport's maker did not
   * offer it. A protocol may read from it only while {@code source()}'s buffer is empty (else it
   * would skip the buffered bytes), and must not read past its own framing; it shares {@code
   * source()}'s timeout. Courier's socket transports offer it.
   */
  public Source unbufferedSource() {
    return unbufferedSource;
  }

  /** Returns the buffered stream to the peer, or null if the transport has no single stream. */
  public BufferedSink sink() {
    return sink;
  }

  /**
   * Returns the sink that {@link #sink()} buffers, or null if the transport's maker did not offer
   * it. A protocol may write to it only after {@link BufferedSink#emit() emitting} {@code sink()}
   * (else the buffered bytes would follow), and must not write past its own framing; it shares
   * {@code sink()}'s timeout. Courier's cleartext socket transports offer it (over TLS, writes
   * go through the buffer).
   */
  public Sink unbufferedSink() {
    return unbufferedSink;
  }

  /** Returns the route the connection followed. */
  public Route route() {
    return route;
  }

  /** Returns the TLS handshake, or null for cleartext. */
  public Handshake handshake() {
    return handshake;
  }

  /**
   * Returns the protocol to speak: the one negotiated, or, when a provider speaking only HTTP/1.0
   * was chosen for HTTP/1.1 connections, {@link Protocol#HTTP_1_0}.
   */
  public Protocol protocol() {
    return protocol;
  }
}
