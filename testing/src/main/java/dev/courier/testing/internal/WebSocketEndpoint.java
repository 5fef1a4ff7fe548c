package dev.courier.testing.internal;

import dev.courier.testing.ScriptedResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * Turns an HTTP/1.1 connection into the WebSocket echo endpoint described by {@link
 * ScriptedResponse.Builder#webSocket()}: Netty's RFC 6455 frame decoder (which requires masked
 * client frames and refuses reserved bits), encoder and fragment aggregator, and an echo handler.
 * When the script asks for it, Netty's permessage-deflate handshaker accepts the client's offer and
 * its compression encoder and decoder join the pipeline.
 */
final class WebSocketEndpoint extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final int MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

  private boolean closeSent;

  private WebSocketEndpoint() {}

  /** Answers {@code head} with 101 and swaps the HTTP handlers of the pipeline for WebSocket ones. */
  static void upgrade(ChannelHandlerContext ctx, HttpRequest head, ScriptedResponse response) {
    String key = head.headers().get("Sec-WebSocket-Key");
    if (key == null || !"13".equals(head.headers().get("Sec-WebSocket-Version"))) {
      ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
          + "Connection: close\r\n\r\n", StandardCharsets.US_ASCII))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    StringBuilder answer = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ")
        .append(accept(key)).append("\r\n");
    WebSocketServerExtension deflate = response.webSocketDeflate()
        ? deflate(head.headers().get("Sec-WebSocket-Extensions")) : null;
    if (deflate != null) {
      WebSocketExtensionData agreed = deflate.newReponseData();
      answer.append("Sec-WebSocket-Extensions: ").append(agreed.name());
      for (Map.Entry<String, String> parameter : agreed.parameters().entrySet()) {
        answer.append("; ").append(parameter.getKey());
        if (parameter.getValue() != null) {
          answer.append('=').append(parameter.getValue());
        }
      }
      answer.append("\r\n");
    }
    for (Map.Entry<String, String> header : response.headers()) {
      if (!header.getKey().equalsIgnoreCase("Content-Length")) {
        answer.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
      }
    }
    answer.append("\r\n");
    ChannelPipeline pipeline = ctx.pipeline();
    // Bytes the HTTP decoder holds beyond the request go on to the frame decoder that replaces it.
    pipeline.replace("http1-decoder", "ws-decoder", new WebSocket13FrameDecoder(
        WebSocketDecoderConfig.newBuilder()
            .expectMaskedFrames(true)
            .allowMaskMismatch(false)
            .allowExtensions(deflate != null)
            .maxFramePayloadLength(MAX_MESSAGE_BYTES)
            .build()));
    pipeline.addAfter("ws-decoder", "ws-encoder", new WebSocket13FrameEncoder(false));
    String beforeAggregator = "ws-encoder";
    if (deflate != null) {
      // Inbound frames are inflated after the frame decoder; outbound ones deflated before the encoder.
      pipeline.addAfter("ws-encoder", "ws-inflater", deflate.newExtensionDecoder());
      pipeline.addAfter("ws-inflater", "ws-deflater", deflate.newExtensionEncoder());
      beforeAggregator = "ws-deflater";
    }
    pipeline.addAfter(beforeAggregator, "ws-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
    pipeline.addAfter("ws-aggregator", "ws-echo", new WebSocketEndpoint());
    pipeline.remove(ctx.handler());
    ctx.channel().writeAndFlush(
        Unpooled.copiedBuffer(answer.toString(), StandardCharsets.ISO_8859_1));
  }

  /** Returns permessage-deflate as Netty agrees to the first acceptable offer, or null. */
  private static WebSocketServerExtension deflate(String offers) {
    if (offers == null) {
      return null;
    }
    PerMessageDeflateServerExtensionHandshaker handshaker = new PerMessageDeflateServerExtensionHandshaker();
    for (WebSocketExtensionData offer : WebSocketExtensionUtil.extractExtensions(offers)) {
      WebSocketServerExtension extension = handshaker.handshakeExtension(offer);
      if (extension != null) {
        return extension;
      }
    }
    return null;
  }

  private static String accept(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(
          (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame) {
      String text = ((TextWebSocketFrame) frame).text();
      if (text.startsWith("close:")) {
        String[] parts = text.split(":", 3);
        closeSent = true;
        ctx.writeAndFlush(new CloseWebSocketFrame(Integer.parseInt(parts[1]), parts[2]));
      } else if (text.startsWith("ping:")) {
        ctx.writeAndFlush(new PingWebSocketFrame(
            Unpooled.copiedBuffer(text.substring(5), StandardCharsets.UTF_8)));
      } else {
        ctx.writeAndFlush(new TextWebSocketFrame(text));
      }
    } else if (frame instanceof BinaryWebSocketFrame) {
      ctx.writeAndFlush(new BinaryWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof PongWebSocketFrame) {
      ctx.writeAndFlush(new TextWebSocketFrame(
          "pong:" + frame.content().toString(StandardCharsets.UTF_8)));
    } else if (frame instanceof CloseWebSocketFrame) {
      if (closeSent) {
        ctx.close();
        return;
      }
      closeSent = true;
      CloseWebSocketFrame close = (CloseWebSocketFrame) frame;
      ctx.writeAndFlush(new CloseWebSocketFrame(true, 0, close.content().retain()))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }
}
