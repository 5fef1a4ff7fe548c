package dev.courier.testing.internal;

import dev.courier.testing.ScriptedResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns the HTTP/1.x messages decoded by Netty's {@code HttpRequestDecoder} into recorded
 * requests and answers them in order, one response at a time, on one connection.
 */
final class Http1ExchangeHandler extends ChannelInboundHandlerAdapter {
  private static final byte[] BAD_REQUEST =
      "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final ResponseSource responses;
  private final ConnectionInfo connection;
  private final ArrayDeque<PendingResponse> pending = new ArrayDeque<>();

  private HttpRequest requestHead;
  private int sequenceNumber;
  private ByteArrayOutputStream body;
  /** Set once the connection is going to close; later input is dropped. */
  private boolean discardInput;
  /** Set when the current request must close the connection after its response. */
  private boolean closeAfterResponse;
  private boolean responding;

  Http1ExchangeHandler(ResponseSource responses, ConnectionInfo connection) {
    this.responses = responses;
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (discardInput || !(msg instanceof HttpObject)) {
        return;
      }
      if (((HttpObject) msg).decoderResult().isFailure()) {
        rejectMalformedRequest(ctx);
        return;
      }
      if (msg instanceof HttpRequest) {
        readHead(ctx, (HttpRequest) msg);
      }
      if (msg instanceof HttpContent && requestHead != null) {
        readContent(ctx, (HttpContent) msg);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void readHead(ChannelHandlerContext ctx, HttpRequest head) {
    if (responses.pollCloseAtConnect() != null) {
      discardInput = true;
      ctx.close();
      return;
    }
    requestHead = head;
    sequenceNumber = connection.nextSequenceNumber();
    body = new ByteArrayOutputStream();
    closeAfterResponse = false;
    if (HttpUtil.is100ContinueExpected(head)) {
      ScriptedResponse next = responses.peek();
      if (next == null || next.expectContinue()) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(Http1ResponseWriter.continueResponse()));
      } else {
        // Answer without the body; the client may send it anyway, so this connection can't be reused.
        discardInput = true;
        closeAfterResponse = true;
        completeRequest(ctx, List.of());
      }
    }
  }

  private void readContent(ChannelHandlerContext ctx, HttpContent content) {
    ByteBuf bytes = content.content();
    body.writeBytes(ByteBufUtil.getBytes(bytes));
    if (content instanceof LastHttpContent) {
      completeRequest(ctx, entries(((LastHttpContent) content).trailingHeaders()));
    }
  }

  private void completeRequest(ChannelHandlerContext ctx, List<Map.Entry<String, String>> trailers) {
    HttpRequest head = requestHead;
    requestHead = null;
    ReceivedRequest request = new ReceivedRequest(
        head.method().name(),
        head.uri(),
        head.protocolVersion().text(),
        entries(head.headers()),
        body.toByteArray(),
        trailers,
        head.headers().get(HttpHeaderNames.HOST),
        connection,
        sequenceNumber,
        0);
    body = null;
    boolean keepAlive = HttpUtil.isKeepAlive(head) && !closeAfterResponse;
    ScriptedResponse response = responses.respond(request);
    if (response.webSocket()) {
      discardInput = true; // The connection speaks WebSocket from here on.
      WebSocketEndpoint.upgrade(ctx, head, response);
      return;
    }
    pending.add(new PendingResponse(response, keepAlive, HttpMethod.HEAD.equals(head.method())));
    writeNextResponse(ctx);
  }

  private void writeNextResponse(ChannelHandlerContext ctx) {
    if (responding || pending.isEmpty() || !ctx.channel().isActive()) {
      return;
    }
    PendingResponse next = pending.poll();
    responding = true;
    new Http1ResponseWriter(ctx.channel(), next.response, next.headRequest, keepOpen -> {
      responding = false;
      if (keepOpen && next.keepAlive) {
        writeNextResponse(ctx);
      } else {
        discardInput = true;
        ctx.close();
      }
    }).start();
  }

  private void rejectMalformedRequest(ChannelHandlerContext ctx) {
    discardInput = true;
    ctx.writeAndFlush(Unpooled.wrappedBuffer(BAD_REQUEST)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    pending.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Peers reset connections all the time in fault tests; closing is the whole story.
    ctx.close();
  }

  private static List<Map.Entry<String, String>> entries(HttpHeaders headers) {
    if (headers.isEmpty()) {
      return List.of();
    }
    List<Map.Entry<String, String>> result = new ArrayList<>(headers.size());
    for (Iterator<Map.Entry<CharSequence, CharSequence>> i = headers.iteratorCharSequence(); i.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> header = i.next();
      result.add(new SimpleImmutableEntry<>(header.getKey().toString(), header.getValue().toString()));
    }
    return result;
  }

  private static final class PendingResponse {
    final ScriptedResponse response;
    final boolean keepAlive;
    final boolean headRequest;

    PendingResponse(ScriptedResponse response, boolean keepAlive, boolean headRequest) {
      this.response = response;
      this.keepAlive = keepAlive;
      this.headRequest = headRequest;
    }
  }
}
