package dev.courier.http1;

import dev.courier.Protocol;
import dev.courier.Route;
import dev.courier.http1.internal.ChannelLink;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.Transport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownServiceException;
import java.nio.channels.SocketChannel;
import java.nio.file.InvalidPathException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okio.BufferedSink;
import okio.BufferedSource;

/**
 * Provides HTTP/1.1 connections over a Unix domain socket instead of TCP: registered with {@link
 * java.util.ServiceLoader} as {@value #NAME}, priority -1, so it is used only when chosen, for
 * instance with {@code CourierClient.builder().protocolProvider(Protocol.HTTP_1_1,
 * "courier-http1-unix")}. It {@link #opensOwnTransport() opens its own transport}: every cleartext
 * HTTP/1.1 connection the client makes goes to the socket file, whatever the URL's host (which
 * still names the {@code Host} header).
 *
 * <p>Settings (see {@link dev.courier.spi.ProviderSettings}), on the builder with {@code
 * providerSetting("courier-http1-unix", key, value)} or as system properties {@code
 * courier.provider.courier-http1-unix.<key>}:
 * <ul>
 *   <li>{@code path}: the socket file to connect to. Required.
 * </ul>
 *
 * <p>HTTPS is not served: TLS over a Unix domain socket is not supported. Connecting does not
 * observe the connect timeout, since a local connect either succeeds or fails at once. Stateless
 * and thread-safe.
 */
public final class UnixSocketConnectionProvider implements ProtocolConnectionProvider {
  /** The name users select this provider by. */
  public static final String NAME = "courier-http1-unix";

  /** The setting naming the socket file. */
  public static final String PATH = "path";

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public UnixSocketConnectionProvider() {}

  /** Returns {@value #NAME}. */
  @Override
  public String name() {
    return NAME;
  }

  /** Returns -1: used only when chosen by name. */
  @Override
  public int priority() {
    return -1;
  }

  /** Returns {@code {HTTP_1_1}}. */
  @Override
  public Set<Protocol> protocols() {
    return Set.of(Protocol.HTTP_1_1);
  }

  /** Returns true: connections go over a Unix domain socket this provider opens. */
  @Override
  public boolean opensOwnTransport() {
    return true;
  }

  /** Returns false: the socket file is the destination, so the host is not resolved. */
  @Override
  public boolean usesResolvedRoutes() {
    return false;
  }

  /**
   * Connects to the socket file named by the {@code path} setting.
   *
   * @throws UnknownServiceException if the address is https, or {@code path} is not set or not a
   *     valid path
   * @throws ConnectException if nothing listens on the socket file; the message names it
   */
  @Override
  public Transport openTransport(Route route, Protocol protocol, ConnectionOptions options)
      throws IOException {
    String host = route.address().host() + ":" + route.address().port();
    if (route.address().isHttps()) {
      throw new UnknownServiceException(NAME + " serves cleartext HTTP only, not https to " + host);
    }
    String path = options.settings().get(PATH);
    if (path == null || path.isEmpty()) {
      throw new UnknownServiceException(NAME + " needs the setting '" + PATH + "' (the socket file) to reach "
          + host + ": set it with providerSetting(\"" + NAME + "\", \"" + PATH
          + "\", ...) or -Dcourier.provider." + NAME + "." + PATH + "=...");
    }
    UnixDomainSocketAddress socketAddress;
    try {
      socketAddress = UnixDomainSocketAddress.of(path);
    } catch (InvalidPathException e) {
      throw new UnknownServiceException(NAME + " setting '" + PATH + "' is not a valid path: " + path);
    }
    String description = "unix:" + path;
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(socketAddress);
    } catch (IOException e) {
      closeQuietly(channel);
      ConnectException refused = new ConnectException("Failed to connect to " + host + " over "
          + description + ": " + e.getMessage());
      refused.initCause(e);
      throw refused;
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
    ChannelLink link = new ChannelLink(channel, description);
    BufferedSource source = link.source();
    BufferedSink sink = link.sink();
    source.timeout().timeout(options.readTimeoutMillis(), TimeUnit.MILLISECONDS);
    sink.timeout().timeout(options.writeTimeoutMillis(), TimeUnit.MILLISECONDS);
    return new Transport(link, source, sink, route, null, protocol);
  }

  /**
   * Returns a new HTTP/1.1 connection over {@code transport}; nothing is sent until the first
   * exchange.
   *
   * @throws IllegalArgumentException if the transport's protocol is not HTTP/1.x
   */
  @Override
  public ProtocolConnection create(Transport transport, ConnectionOptions options,
      ProtocolConnection.Listener listener) {
    return new Http1Connection(transport, listener);
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Already failing.
    }
  }
}
