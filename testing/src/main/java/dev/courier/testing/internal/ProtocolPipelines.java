package dev.courier.testing.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;

/** Adds the handlers that serve one protocol to a connection's pipeline. */
final class ProtocolPipelines {
  private static final int MAX_REQUEST_HEAD_BYTES = 64 * 1024;

  private final ServerConfig config;
  private final ResponseSource responses;

  ProtocolPipelines(ServerConfig config, ResponseSource responses) {
    this.config = config;
    this.responses = responses;
  }

  /**
   * Adds the handlers for {@code protocol} ({@code "http/1.1"}, {@code "h2"} or {@code "h2c"})
   * after the handler named {@code after}, or at the end when {@code after} is null.
   */
  void install(ChannelPipeline pipeline, String after, String protocol, ConnectionInfo connection) {
    if (ServerConfig.HTTP_1_1.equals(protocol)) {
      HttpDecoderConfig decoderConfig = new HttpDecoderConfig()
          .setMaxInitialLineLength(MAX_REQUEST_HEAD_BYTES)
          .setMaxHeaderSize(MAX_REQUEST_HEAD_BYTES);
      String last = add(pipeline, after, "http1-decoder", new HttpRequestDecoder(decoderConfig));
      add(pipeline, last, "http1-exchanges", new Http1ExchangeHandler(responses, connection));
    } else {
      throw new IllegalStateException("HTTP/2 is not supported yet: " + protocol);
    }
  }

  private static String add(ChannelPipeline pipeline, String after, String name, ChannelHandler handler) {
    if (after == null) {
      pipeline.addLast(name, handler);
    } else {
      pipeline.addAfter(after, name, handler);
    }
    return name;
  }

  ServerConfig config() {
    return config;
  }
}
