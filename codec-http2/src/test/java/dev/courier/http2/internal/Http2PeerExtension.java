package dev.courier.http2.internal;

import static dev.courier.http2.internal.TestTransports.get;

import dev.courier.Request;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test a scripted HTTP/2 server, an {@link Http2TestPeer} listening on loopback, and
 * after the test closes every {@link Http2Connection} the test started through it, then the peer.
 * Register it with {@code @RegisterExtension} on an instance field, so that each test gets a peer
 * of its own (JUnit makes a test instance per test), and take the peer in a field initializer:
 *
 * <pre>{@code
 * final Http2PeerExtension h2 = new Http2PeerExtension(); // annotated @RegisterExtension
 * private final Http2TestPeer peer = h2.peer();
 * ...
 *   Http2Connection connection = h2.start();
 *   peer.handshake();
 *   // or, to go on to the response of a first stream:
 *   ExchangeCodec codec = h2.handshakeAndOpenStream(h2.start(), options);
 * }</pre>
 *
 * <p>Extensions registered with {@code @ExtendWith} on the class come before those on fields, and
 * JUnit runs after-each callbacks in the reverse order, so the connections' reader threads have
 * been told to end before {@code ThreadLeakExtension} looks for leaked threads.
 */
final class Http2PeerExtension implements AfterEachCallback {
  private final Http2TestPeer peer;
  private final List<Http2Connection> connections = new ArrayList<>();

  /**
   * Opens the peer, listening on a free loopback port.
   *
   * @throws UncheckedIOException if the peer cannot listen
   */
  Http2PeerExtension() {
    try {
      peer = new Http2TestPeer();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the HTTP/2 test peer", e);
    }
  }

  /** Returns this test's peer. */
  Http2TestPeer peer() {
    return peer;
  }

  /**
   * Connects to the peer and starts an HTTP/2 connection with prior knowledge and the default
   * settings (no PING interval, no listener), closed after the test.
   */
  Http2Connection start() throws IOException {
    return closeAfterTest(TestTransports.start(peer.port()));
  }

  /**
   * Connects to the peer and starts an HTTP/2 connection with {@code config}, a PING every
   * {@code pingIntervalMillis} (0 for none) and {@code listener}, closed after the test.
   */
  Http2Connection start(Http2Config config, int pingIntervalMillis, ProtocolConnection.Listener listener)
      throws IOException {
    return closeAfterTest(TestTransports.start(peer.port(), config, pingIntervalMillis, listener));
  }

  /**
   * Has the peer complete the handshake of {@code connection}, a connection to it that the test
   * started, then opens its first stream with {@code options}: a GET of {@code /} without a body,
   * whose HEADERS the peer reads on stream 1 and decodes. Returns the stream's codec, ready to read
   * the response.
   */
  ExchangeCodec handshakeAndOpenStream(Http2Connection connection, ExchangeOptions options)
      throws IOException {
    return handshakeAndOpenStream(connection, options, "/");
  }

  /** Like {@link #handshakeAndOpenStream(Http2Connection, ExchangeOptions)}, a GET of {@code path}. */
  ExchangeCodec handshakeAndOpenStream(Http2Connection connection, ExchangeOptions options,
      String path) throws IOException {
    peer.handshake();
    return openStream(connection, options, path, 1);
  }

  /**
   * Opens a stream on {@code connection}, whose handshake is done, with {@code options}: a GET of
   * {@code path} without a body, whose HEADERS the peer reads on {@code streamId} and decodes.
   * Returns the stream's codec, ready to read the response.
   */
  ExchangeCodec openStream(Http2Connection connection, ExchangeOptions options, String path,
      int streamId) throws IOException {
    ExchangeCodec codec = connection.newCodec(options);
    codec.writeRequestHeaders(get(peer.port(), path));
    codec.finishRequest();
    peer.expectHeaders(streamId);
    return codec;
  }

  /**
   * Opens a stream on {@code connection}, whose handshake is done, with {@code options} for
   * {@code request}, which has a body: writes and flushes its HEADERS and leaves the body to the
   * test; the peer reads the HEADERS on {@code streamId} and decodes them. Returns the stream's
   * codec.
   */
  ExchangeCodec openStreamWithBody(Http2Connection connection, ExchangeOptions options,
      Request request, int streamId) throws IOException {
    ExchangeCodec codec = connection.newCodec(options);
    codec.writeRequestHeaders(request);
    codec.flushRequest();
    peer.expectHeaders(streamId);
    return codec;
  }

  /** Closes {@code connection}, which the test started itself, after the test; returns it. */
  Http2Connection closeAfterTest(Http2Connection connection) {
    connections.add(connection);
    return connection;
  }

  /** Closes the test's connections, newest first, then the peer, even if the test closed them. */
  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    try {
      for (int i = connections.size() - 1; i >= 0; i--) {
        connections.get(i).close();
      }
    } finally {
      connections.clear();
      peer.close();
    }
  }
}
