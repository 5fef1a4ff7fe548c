package dev.courier.chain.internal.ws;

import dev.courier.chain.support.TestTls;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Runs Jetty 12's server, an RFC 8441 implementation nobody here wrote, with a WebSocket echo
 * endpoint at {@code /echo}, a plain {@code "hello"} for other requests and 404 for an extended
 * CONNECT to any other path. Two listeners: TLS
 * with ALPN ({@code h2}, {@code http/1.1}) and cleartext (HTTP/1.1 and h2c with prior knowledge).
 * Counts the TCP connections each accepts.
 */
final class JettyWebSocketServer implements AutoCloseable {
  private final Server server;
  private final CountingConnector tlsConnector;
  private final CountingConnector clearConnector;

  /** Starts the server; {@code connectProtocolEnabled} says if its SETTINGS enable RFC 8441. */
  JettyWebSocketServer(boolean connectProtocolEnabled) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(256, 8);
    threads.setName("jetty-ws-test");
    server = new Server(threads);
    HttpConfiguration config = new HttpConfiguration();
    HttpConnectionFactory http1 = new HttpConnectionFactory(config);
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
    h2.setConnectProtocolEnabled(connectProtocolEnabled);
    h2.setMaxConcurrentStreams(256);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol(http1.getProtocol());
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(TestTls.serverContext());
    SslConnectionFactory tls = new SslConnectionFactory(ssl, alpn.getProtocol());
    tlsConnector = new CountingConnector(server, tls, alpn, h2, http1);
    HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(config);
    h2c.setConnectProtocolEnabled(connectProtocolEnabled);
    h2c.setMaxConcurrentStreams(256);
    clearConnector = new CountingConnector(server, new HttpConnectionFactory(config), h2c);
    for (ServerConnector connector : new ServerConnector[] {tlsConnector, clearConnector}) {
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
    }
    WebSocketUpgradeHandler webSockets = WebSocketUpgradeHandler.from(server, container -> {
      container.setIdleTimeout(Duration.ofSeconds(30));
      container.setMaxBinaryMessageSize(2L << 20);
      container.setMaxTextMessageSize(2L << 20);
      container.addMapping("/echo", (request, response, callback) -> new Echo());
    });
    webSockets.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        if (request.getMethod().equals("CONNECT")) {
          // An extended CONNECT for a path without an endpoint: refuse it.
          response.setStatus(404);
          response.write(true, ByteBuffer.wrap("no WebSocket here".getBytes(StandardCharsets.UTF_8)),
              callback);
          return true;
        }
        response.setStatus(200);
        response.write(true, ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)), callback);
        return true;
      }
    });
    server.setHandler(webSockets);
    server.start();
  }

  int tlsPort() {
    return tlsConnector.getLocalPort();
  }

  int clearPort() {
    return clearConnector.getLocalPort();
  }

  /** Returns how many TCP connections the server accepted, on both listeners. */
  int acceptedConnections() {
    return tlsConnector.accepted.get() + clearConnector.accepted.get();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  /** Echoes every message back as it came; binary payloads are copied before their callback. */
  public static final class Echo implements Session.Listener.AutoDemanding {
    private Session session;

    @Override
    public void onWebSocketOpen(Session session) {
      this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
      session.sendText(message, org.eclipse.jetty.websocket.api.Callback.NOOP);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload,
        org.eclipse.jetty.websocket.api.Callback callback) {
      ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
      callback.succeed();
      session.sendBinary(copy, org.eclipse.jetty.websocket.api.Callback.NOOP);
    }
  }

  /** Counts accepted TCP connections. */
  private static final class CountingConnector extends ServerConnector {
    final AtomicInteger accepted = new AtomicInteger();

    CountingConnector(Server server, org.eclipse.jetty.server.ConnectionFactory... factories) {
      super(server, factories);
    }

    @Override
    protected void onEndPointOpened(org.eclipse.jetty.io.EndPoint endPoint) {
      accepted.incrementAndGet(); // One end point per accepted TCP connection.
      super.onEndPointOpened(endPoint);
    }
  }
}
