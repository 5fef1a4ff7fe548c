package dev.courier.testing.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * Waits for the TLS handshake, records the session on the connection, and replaces itself with
 * the handlers for the protocol chosen by ALPN (HTTP/1.1, if served, when the client offered
 * none).
 */
final class AlpnProtocolSelector extends ChannelInboundHandlerAdapter {
  private final ProtocolPipelines pipelines;
  private final ConnectionInfo connection;
  private final List<Object> earlyMessages = new ArrayList<>();

  AlpnProtocolSelector(ProtocolPipelines pipelines, ConnectionInfo connection) {
    this.pipelines = pipelines;
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    earlyMessages.add(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (!(event instanceof SslHandshakeCompletionEvent)) {
      ctx.fireUserEventTriggered(event);
      return;
    }
    if (!((SslHandshakeCompletionEvent) event).isSuccess()) {
      ctx.close();
      return;
    }
    SSLEngine engine = ctx.pipeline().get(SslHandler.class).engine();
    SSLSession session = engine.getSession();
    connection.tlsEstablished(session.getProtocol(), sniHostName(session));
    String protocol = engine.getApplicationProtocol();
    if (protocol == null || protocol.isEmpty()) {
      // HTTP/2 over TLS requires ALPN (RFC 9113, 3.2), so a client without it speaks HTTP/1.1.
      List<String> offered = pipelines.config().protocols();
      protocol = offered.contains(ServerConfig.HTTP_1_1) ? ServerConfig.HTTP_1_1 : offered.get(0);
    }
    pipelines.install(ctx.pipeline(), ctx.name(), protocol, connection);
    for (Object message : earlyMessages) {
      ctx.fireChannelRead(message);
    }
    earlyMessages.clear();
    ctx.pipeline().remove(this);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    for (Object message : earlyMessages) {
      ReferenceCountUtil.release(message);
    }
    earlyMessages.clear();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Failed handshakes are expected in tests of certificate checks; the client sees the alert.
    ctx.close();
  }

  private static String sniHostName(SSLSession session) {
    if (session instanceof ExtendedSSLSession) {
      for (SNIServerName name : ((ExtendedSSLSession) session).getRequestedServerNames()) {
        if (name instanceof SNIHostName) {
          return ((SNIHostName) name).getAsciiName();
        }
      }
    }
    return null;
  }
}
