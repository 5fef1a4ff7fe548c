package dev.courier.testing.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;

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
      String last = add(pipeline, after, "http2-codec", Http2FrameCodecBuilder.forServer()
          .initialSettings(http2Settings())
          // Faults must close the socket at once, not after a graceful GOAWAY exchange.
          .decoupleCloseAndGoAway(true)
          .gracefulShutdownTimeoutMillis(0)
          .build());
      add(pipeline, last, "http2-exchanges", new Http2ExchangeHandler(responses, connection));
    }
  }

  private Http2Settings http2Settings() {
    Http2ServerSettings configured = config.http2Settings();
    Http2Settings settings = Http2Settings.defaultSettings().maxHeaderListSize(MAX_REQUEST_HEAD_BYTES);
    if (configured.maxConcurrentStreams() >= 0) {
      settings.maxConcurrentStreams(configured.maxConcurrentStreams());
    }
    if (configured.initialWindowSize() >= 0) {
      settings.initialWindowSize(configured.initialWindowSize());
    }
    if (configured.maxFrameSize() >= 0) {
      settings.maxFrameSize(configured.maxFrameSize());
    }
    return settings;
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
