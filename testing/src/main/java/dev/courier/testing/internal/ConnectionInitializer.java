package dev.courier.testing.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Sets up each accepted connection: counts it, tracks it for shutdown, and adds TLS and the
 * handlers that pick the protocol.
 */
public final class ConnectionInitializer extends ChannelInitializer<SocketChannel> {
  private final ServerConfig config;
  private final ProtocolPipelines pipelines;
  private final ChannelGroup connections;
  private final AtomicInteger connectionCount;

  /**
   * Creates an initializer that serves {@code config} with responses from {@code responses},
   * adds every connection to {@code connections} and counts it in {@code connectionCount}.
   */
  public ConnectionInitializer(ServerConfig config, ResponseSource responses, ChannelGroup connections,
      AtomicInteger connectionCount) {
    this.config = config;
    this.pipelines = new ProtocolPipelines(config, responses);
    this.connections = connections;
    this.connectionCount = connectionCount;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    ConnectionInfo connection = new ConnectionInfo(connectionCount.getAndIncrement());
    connections.add(channel);
    ChannelPipeline pipeline = channel.pipeline();
    if (config.tls()) {
      SSLEngine engine = config.sslContext().createSSLEngine();
      engine.setUseClientMode(false);
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setApplicationProtocols(config.protocols().toArray(new String[0]));
      engine.setSSLParameters(parameters);
      pipeline.addLast("tls", new SslHandler(engine));
      pipeline.addLast("protocol", new AlpnProtocolSelector(pipelines, connection));
      return;
    }
    boolean http1 = config.protocols().contains(ServerConfig.HTTP_1_1);
    boolean h2c = config.protocols().contains(ServerConfig.H2C);
    if (http1 && h2c) {
      pipeline.addLast("protocol", new PriorKnowledgeDetector(pipelines, connection));
    } else {
      pipelines.install(pipeline, null, http1 ? ServerConfig.HTTP_1_1 : ServerConfig.H2C, connection);
    }
  }
}
