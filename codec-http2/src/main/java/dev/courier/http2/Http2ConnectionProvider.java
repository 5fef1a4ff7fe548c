package dev.courier.http2;

import dev.courier.Protocol;
import dev.courier.http2.internal.HpackWarmup;
import dev.courier.http2.internal.Http2Config;
import dev.courier.http2.internal.Http2Connection;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.ProviderSettings;
import dev.courier.spi.Transport;
import java.io.IOException;
import java.util.Set;

/**
 * Provides HTTP/2 connections, over TLS with ALPN ({@code h2}) and over cleartext with prior
 * knowledge. Registered for {@link java.util.ServiceLoader} under the name {@code courier-http2}.
 *
 * <p>Each connection advertises SETTINGS_ENABLE_PUSH 0, 16 MiB stream and connection receive
 * windows and a 256 KiB header list limit (settings {@code streamWindowSize},
 * {@code connectionWindowSize} and {@code maxHeaderListSize} change them, in bytes; see
 * {@link ProviderSettings}), and runs one daemon reader thread named
 * {@code Courier h2 reader <host>}. Body bytes are returned to the peer's window only once the
 * application has read them, so a slow reader slows the sender instead of filling memory.
 *
 * <p>Failures callers see: {@link dev.courier.ConnectionShutdownException} (retryable) for
 * streams the server never processed, whether it sent GOAWAY or refused the stream with
 * REFUSED_STREAM; {@link dev.courier.StreamResetException} for other resets;
 * {@link Http2ConnectionException} when the connection fails with an HTTP/2 error code; and
 * {@link java.net.ProtocolException} for a malformed response. Socket failures keep their type
 * ({@link java.io.EOFException} when the server closes the connection with exchanges in flight,
 * {@link java.net.SocketTimeoutException} for read timeouts). Every message names the server's
 * host:port and {@code h2} (TLS) or {@code h2c} (cleartext), and the stream where there is one.
 *
 * <p>A response is malformed, its stream reset with PROTOCOL_ERROR, when its header fields break
 * RFC 9113 §8.2 (names with uppercase or control characters, values with NUL, CR or LF,
 * connection-specific fields), or its DATA adds up to more or less than its content-length (RFC
 * 9113 §8.1.1; responses to HEAD and 204 or 304 responses have no content). More DATA than the
 * content-length fails as soon as it arrives. After 16 interim (1xx) responses on one stream the
 * next resets it with ENHANCE_YOUR_CALM. A connection where the server broke the protocol takes
 * no new exchanges; DATA or HEADERS after a stream's END_STREAM fail the whole connection with
 * STREAM_CLOSED, so stray bytes are never read as a later response. Thread-safe.
 */
public final class Http2ConnectionProvider implements ProtocolConnectionProvider {
  private static final Set<Protocol> PROTOCOLS = Set.of(Protocol.HTTP_2, Protocol.H2_PRIOR_KNOWLEDGE);

  /** Creates the provider; ServiceLoader calls this. */
  public Http2ConnectionProvider() {}

  /** Returns {@code "courier-http2"}. */
  @Override
  public String name() {
    return "courier-http2";
  }

  /** Returns {@code HTTP_2} and {@code H2_PRIOR_KNOWLEDGE}. */
  @Override
  public Set<Protocol> protocols() {
    return PROTOCOLS;
  }

  /**
   * Starts loading and initialising what HTTP/2's HPACK coding needs from Netty on a daemon thread
   * named {@code Courier h2 warm-up}, the first time in this JVM, so that it overlaps DNS, TCP and
   * TLS; returns at once, and does nothing after the first time.
   */
  @Override
  public void connectionPending() {
    HpackWarmup.start();
  }

  /**
   * Sends the connection preface, our SETTINGS and a connection WINDOW_UPDATE, starts the reader
   * thread (and a pinger thread if {@code options} enables pings), and returns the connection.
   * The peer's SETTINGS must arrive within {@code options.readTimeoutMillis()}. Turns on
   * TCP_NODELAY: with Nagle's algorithm, flow-control round trips stall on delayed ACKs.
   *
   * @throws IllegalArgumentException if the transport's protocol is not HTTP/2
   * @throws IOException if the preface could not be written; the socket is then closed
   */
  @Override
  public ProtocolConnection create(Transport transport, ConnectionOptions options,
      ProtocolConnection.Listener listener) throws IOException {
    if (!PROTOCOLS.contains(transport.protocol())) {
      throw new IllegalArgumentException(name() + " does not speak " + transport.protocol());
    }
    return Http2Connection.start(transport, options, listener, config(options.settings()));
  }

  /**
   * Returns the connection settings {@code settings} ask for: {@code streamWindowSize},
   * {@code connectionWindowSize} and {@code maxHeaderListSize} in bytes, each defaulting to
   * {@link Http2Config#DEFAULT}'s. The last result is kept, since every connection of a client
   * carries the same settings.
   *
   * @throws IllegalArgumentException naming the provider and the values if one is malformed or
   *     out of range (windows below 65,535 bytes, a header list limit not positive)
   */
  Http2Config config(ProviderSettings settings) {
    if (settings.asMap().isEmpty()) {
      return Http2Config.DEFAULT;
    }
    ConfiguredFor cached = lastConfig;
    if (cached != null && cached.settings.equals(settings)) {
      return cached.config;
    }
    Http2Config defaults = Http2Config.DEFAULT;
    int streamWindowSize = settings.getInt("streamWindowSize", defaults.streamWindowSize());
    int connectionWindowSize = settings.getInt("connectionWindowSize", defaults.connectionWindowSize());
    int maxHeaderListSize = settings.getInt("maxHeaderListSize", defaults.maxHeaderListSize());
    Http2Config config;
    try {
      config = new Http2Config(streamWindowSize, connectionWindowSize, maxHeaderListSize,
          defaults.degradedPongTimeoutNanos(), defaults.nanoClock());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Provider '" + name() + "' settings: " + e.getMessage(), e);
    }
    lastConfig = new ConfiguredFor(settings, config);
    return config;
  }

  private volatile ConfiguredFor lastConfig;

  private record ConfiguredFor(ProviderSettings settings, Http2Config config) {}

  @Override
  public String toString() {
    return name();
  }
}
