package dev.courier.pool.internal;

import dev.courier.Address;
import dev.courier.Call;
import dev.courier.EventListener;
import dev.courier.Handshake;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Route;
import dev.courier.internal.SocketLink;
import dev.courier.internal.SocketSink;
import dev.courier.internal.SocketSource;
import dev.courier.internal.WatchedOperation;
import dev.courier.spi.ConnectionOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.ProtocolConnectionProvider;
import dev.courier.spi.Transport;
import dev.courier.spi.TransportLink;
import dev.courier.tls.TlsConnector;
import dev.courier.tls.TlsResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.Okio;
import okio.Timeout;

/**
 * Opens one connection over one route: TCP, an HTTP proxy tunnel if needed, TLS with ALPN if the
 * address is https, and the protocol connection for the negotiated protocol. Reports connect
 * events. Used by one {@link ExchangeFinder}, so by one call at a time; {@link #cancel()} may be
 * called from any thread.
 */
final class Connector {
  private final RealConnectionPool pool;
  private final ConnectSettings settings;
  private final Call call;
  private final EventListener listener;

  private volatile boolean canceled;
  /** The socket being connected, closed by {@link #cancel()} to unblock connect and handshake. */
  private volatile Socket connectingSocket;
  /** The provider's own transport being started, closed by {@link #cancel()}. */
  private volatile TransportLink connectingLink;

  Connector(RealConnectionPool pool, ConnectSettings settings, Call call, EventListener listener) {
    this.pool = pool;
    this.settings = settings;
    this.call = call;
    this.listener = listener;
  }

  /**
   * Connects over {@code route} and returns the new connection, not yet pooled.
   *
   * @throws UnknownServiceException if no protocol provider can speak to the address
   * @throws IOException if connecting, tunnelling, the TLS handshake or starting the protocol
   *     failed, or the connect was canceled
   */
  RealConnection connect(Route route, int connectTimeoutMillis, int readTimeoutMillis,
      int writeTimeoutMillis) throws IOException {
    Address address = route.address();
    ProtocolConnectionProvider own = settings.protocols().ownTransportProvider(address);
    if (own != null) {
      return OwnTransportConnect.connect(this, own,
          settings.protocols().spokenFor(settings.protocols().firstProtocol(address)),
          route, connectTimeoutMillis, readTimeoutMillis, writeTimeoutMillis);
    }
    List<Protocol> alpnOffer = address.isHttps() ? alpnOffer(address) : null;
    Protocol protocol = address.isHttps() ? null : cleartextProtocol(address);

    Socket socket = null;
    try {
      listener.connectStart(call, route.socketAddress(), route.proxy());
      socket = connectSocket(route, connectTimeoutMillis);
      if (route.requiresTunnel()) {
        socket = tunnel(socket, route, connectTimeoutMillis, readTimeoutMillis, writeTimeoutMillis);
      }
      Handshake handshake = null;
      Socket tcpSocket = socket;
      if (address.isHttps()) {
        listener.secureConnectStart(call);
        TlsResult tls = TlsConnector.connect(socket, address, alpnOffer, readTimeoutMillis);
        socket = tls.socket();
        handshake = tls.handshake();
        protocol = tls.negotiated();
        listener.secureConnectEnd(call, handshake);
      }
      checkNotCanceled();
      ProtocolConnectionProvider provider = settings.protocols().forProtocol(protocol);
      if (provider == null) {
        throw new UnknownServiceException("No ProtocolConnectionProvider for " + protocol
            + " negotiated with " + address.host() + "; available: " + settings.protocols().supported());
      }
      // From here on timeouts are the streams', set per exchange and enforced by the watchdog,
      // the socket's reads blocking. Clear any socket timeout (a socket factory's), so that
      // nothing reading the socket outside the streams inherits it.
      socket.setSoTimeout(0);
      String peer = address.host() + ":" + address.port();
      // Over TLS a timeout closes the TCP socket under the TLS socket, whose own close would
      // wait behind a blocked write (SocketSink's constructor says why).
      SocketSource socketSource = new SocketSource(socket, tcpSocket, peer);
      BufferedSource source = Okio.buffer(socketSource);
      SocketSink socketSink = new SocketSink(socket, tcpSocket, peer);
      BufferedSink sink = Okio.buffer(socketSink);
      source.timeout().timeout(readTimeoutMillis, TimeUnit.MILLISECONDS);
      sink.timeout().timeout(writeTimeoutMillis, TimeUnit.MILLISECONDS);
      TransportLink link = socket == tcpSocket
          ? TransportLink.of(socket) : new SocketLink(socket, tcpSocket, socketSink);
      // Large request-body writes go straight to a cleartext socket; over TLS they go through the
      // buffer as before (measured: straight writes under SSLSocket lowered upload throughput).
      Transport transport = new Transport(link, source, socketSource, sink,
          socket == tcpSocket ? socketSink : null, route, handshake,
          settings.protocols().spokenFor(protocol));
      RealConnection connection = startProtocol(provider, transport,
          options(provider, connectTimeoutMillis, readTimeoutMillis, writeTimeoutMillis));
      connectingSocket = null;
      listener.connectEnd(call, route.socketAddress(), route.proxy(), protocol);
      return connection;
    } catch (IOException | RuntimeException e) {
      connectingSocket = null;
      if (socket != null) {
        closeQuietly(socket);
      }
      IOException failure;
      if (canceled && !(e instanceof UnknownServiceException)) {
        failure = new IOException("Canceled");
        failure.initCause(e);
      } else if (e instanceof IOException) {
        failure = (IOException) e;
      } else {
        listener.connectFailed(call, route.socketAddress(), route.proxy(), protocol, new IOException(e));
        throw (RuntimeException) e;
      }
      listener.connectFailed(call, route.socketAddress(), route.proxy(), protocol, failure);
      throw failure;
    }
  }

  /**
   * Starts {@code provider}'s protocol over {@code transport} and wraps it for the pool; closes the
   * protocol connection and fails if the connect was canceled meanwhile.
   */
  RealConnection startProtocol(ProtocolConnectionProvider provider, Transport transport,
      ConnectionOptions options) throws IOException {
    CapacityListener capacityListener = new CapacityListener();
    ProtocolConnection protocolConnection = provider.create(transport, options, capacityListener);
    RealConnection connection = new RealConnection(pool, transport.route(), protocolConnection, pool.nowNanos());
    capacityListener.attach(connection);
    checkNotCanceled(protocolConnection);
    return connection;
  }

  /** Returns the options {@code provider}'s connections are created with. */
  ConnectionOptions options(ProtocolConnectionProvider provider, int connectTimeoutMillis,
      int readTimeoutMillis, int writeTimeoutMillis) {
    return new ConnectionOptions(settings.pingIntervalMillis(), readTimeoutMillis, connectTimeoutMillis,
        writeTimeoutMillis, settings.protocols().settings(provider.name()));
  }

  Call call() {
    return call;
  }

  EventListener listener() {
    return listener;
  }

  ConnectSettings settings() {
    return settings;
  }

  /** Records the link being opened so {@link #cancel()} can close it. */
  void connecting(TransportLink link) {
    connectingLink = link;
    if (link != null && canceled) {
      link.close();
    }
  }

  /** Closes the socket being connected, if any, and fails any later connect attempt. Idempotent. */
  void cancel() {
    canceled = true;
    Socket socket = connectingSocket;
    if (socket != null) {
      closeQuietly(socket);
    }
    TransportLink link = connectingLink;
    if (link != null) {
      link.close();
    }
  }

  boolean isCanceled() {
    return canceled;
  }

  private Socket connectSocket(Route route, int connectTimeoutMillis) throws IOException {
    Proxy proxy = route.proxy();
    Socket socket = proxy.type() == Proxy.Type.SOCKS
        ? new Socket(proxy)
        : route.address().socketFactory().createSocket();
    connectingSocket = socket;
    if (canceled) {
      closeQuietly(socket);
      throw new IOException("Canceled");
    }
    InetSocketAddress target = route.socketAddress();
    // The connect timeout is the watchdog's, not the socket's: a timed connect would leave the
    // socket non-blocking for good, so that every read finding no data cost a poll as well.
    String timeoutMessage = "Connect to " + describe(route) + " timed out after " + connectTimeoutMillis + " ms";
    WatchedOperation connect = WatchedOperation.onSocket(socket, timeoutMessage);
    boolean timed = false;
    try {
      timed = connect.begin(new Timeout().timeout(connectTimeoutMillis, TimeUnit.MILLISECONDS));
      socket.connect(target);
      if (timed && connect.timedOut()) {
        throw connect.failure(null); // Connected as the watchdog closed the socket.
      }
    } catch (IOException e) {
      if (connect.timedOut() || e instanceof SocketTimeoutException) {
        closeQuietly(socket);
        SocketTimeoutException timeout = new SocketTimeoutException(timeoutMessage);
        timeout.initCause(e);
        throw timeout;
      }
      throw connectFailed(socket, route, e);
    } catch (RuntimeException e) {
      closeQuietly(socket);
      throw e;
    } finally {
      if (timed) {
        connect.end();
      }
    }
    return socket;
  }

  /** Closes {@code socket} and returns what a failed connect throws, naming the route. */
  private static IOException connectFailed(Socket socket, Route route, IOException e) {
    closeQuietly(socket);
    if (e instanceof ConnectException) {
      ConnectException refused = new ConnectException("Failed to connect to " + describe(route));
      refused.initCause(e);
      return refused;
    }
    if (e instanceof SocketException && route.proxy().type() == Proxy.Type.SOCKS) {
      // The JDK reports a SOCKS proxy's failure reply ("SOCKS: Connection refused") naming
      // neither the origin nor the proxy.
      SocketException failed =
          new SocketException("Failed to connect to " + describe(route) + ": " + e.getMessage());
      failed.initCause(e);
      return failed;
    }
    return e;
  }

  /** Opens the CONNECT tunnel, reconnecting when the proxy closes the connection after a 407. */
  private Socket tunnel(Socket socket, Route route, int connectTimeoutMillis, int readTimeoutMillis,
      int writeTimeoutMillis) throws IOException {
    Request request = ProxyTunnel.initialRequest(route);
    Socket current = socket;
    for (int attempt = 1; ; attempt++) {
      if (attempt > ProxyTunnel.MAX_ATTEMPTS) {
        closeQuietly(current);
        throw new ProtocolException("Too many tunnel connections attempted: " + ProxyTunnel.MAX_ATTEMPTS
            + " to " + route.address().host() + " through " + route.proxy());
      }
      checkNotCanceled();
      ProxyTunnel.Outcome outcome;
      try {
        outcome = ProxyTunnel.attempt(current, route, request, readTimeoutMillis, writeTimeoutMillis);
      } catch (IOException | RuntimeException e) {
        closeQuietly(current);
        throw e;
      }
      if (outcome.nextRequest == null) {
        return current;
      }
      request = outcome.nextRequest;
      if (outcome.closeConnection) {
        closeQuietly(current);
        current = connectSocket(route, connectTimeoutMillis);
      }
    }
  }

  /**
   * Returns the protocols offered in ALPN: the address's, minus those no provider speaks and those
   * whose provider opens its own transport.
   */
  private List<Protocol> alpnOffer(Address address) throws UnknownServiceException {
    List<Protocol> result = new ArrayList<>(address.protocols().size());
    for (Protocol protocol : address.protocols()) {
      ProtocolConnectionProvider provider = settings.protocols().forProtocol(protocol);
      if (negotiableInAlpn(protocol) && provider != null && !provider.opensOwnTransport()) {
        result.add(protocol);
      }
    }
    if (result.isEmpty()) {
      throw new UnknownServiceException("No ProtocolConnectionProvider speaks any of "
          + address.protocols() + " for " + address.host() + "; available: " + settings.protocols().supported());
    }
    return result;
  }

  /** Returns true if {@code protocol} may be offered in ALPN: all but h2_prior_knowledge and http/1.0. */
  static boolean negotiableInAlpn(Protocol protocol) {
    return !protocol.equals(Protocol.H2_PRIOR_KNOWLEDGE) && !protocol.equals(Protocol.HTTP_1_0);
  }

  /**
   * Returns the protocol a cleartext connection to {@code address} speaks: prior-knowledge HTTP/2
   * only if it is the only one the address lists, else HTTP/1.1.
   */
  static Protocol cleartextProtocolOf(Address address) {
    return address.protocols().equals(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
        ? Protocol.H2_PRIOR_KNOWLEDGE
        : Protocol.HTTP_1_1;
  }

  /**
   * Refuses a cleartext {@code address} whose connection specs do not include {@link
   * dev.courier.ConnectionSpec#CLEARTEXT}.
   *
   * @throws UnknownServiceException naming host:port and the specs
   */
  static void checkCleartextAllowed(Address address) throws UnknownServiceException {
    if (!address.isHttps() && !address.allowsCleartext()) {
      throw new UnknownServiceException("CLEARTEXT communication to " + address.host() + ":"
          + address.port() + " is not allowed: the client's connection specs "
          + address.connectionSpecs() + " do not include ConnectionSpec.CLEARTEXT");
    }
  }

  /** Returns {@link #cleartextProtocolOf} {@code address}, refusing it if not allowed or not spoken. */
  private Protocol cleartextProtocol(Address address) throws UnknownServiceException {
    checkCleartextAllowed(address);
    Protocol protocol = cleartextProtocolOf(address);
    if (settings.protocols().forProtocol(protocol) == null) {
      throw new UnknownServiceException("No ProtocolConnectionProvider for " + protocol + " to "
          + address.host() + "; available: " + settings.protocols().supported());
    }
    return protocol;
  }

  void checkNotCanceled() throws IOException {
    if (canceled) {
      throw new IOException("Canceled");
    }
  }

  private void checkNotCanceled(ProtocolConnection protocolConnection) throws IOException {
    if (canceled) {
      protocolConnection.close();
      throw new IOException("Canceled");
    }
  }

  static String describe(Route route) {
    return route.address().host() + " (" + route.socketAddress() + ")"
        + (route.proxy().type() == Proxy.Type.DIRECT ? "" : " via " + route.proxy());
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException | RuntimeException ignored) {
      // Already failing or canceled; the close failure adds nothing.
    }
  }
}
