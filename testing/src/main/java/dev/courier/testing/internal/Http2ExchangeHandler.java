package dev.courier.testing.internal;

import dev.courier.testing.ScriptedResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the frames decoded by Netty's {@code Http2FrameCodec} into recorded requests, one per
 * stream, and starts a {@link Http2ResponseWriter} for each. Request DATA is handed back to
 * the flow controller as soon as it is read, so large uploads never stall.
 */
final class Http2ExchangeHandler extends ChannelInboundHandlerAdapter {
  private final ResponseSource responses;
  private final ConnectionInfo connection;
  private final Map<Integer, RequestStream> streams = new HashMap<>();

  Http2ExchangeHandler(ResponseSource responses, ConnectionInfo connection) {
    this.responses = responses;
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof Http2HeadersFrame) {
        readHeaders(ctx, (Http2HeadersFrame) msg);
      } else if (msg instanceof Http2DataFrame) {
        readData(ctx, (Http2DataFrame) msg);
      } else if (msg instanceof Http2ResetFrame) {
        RequestStream stream = streams.remove(((Http2ResetFrame) msg).stream().id());
        if (stream != null) {
          stream.reset = true;
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // Window updates are written without flushing, one per DATA frame; send them in one go.
    ctx.flush();
    ctx.fireChannelReadComplete();
  }

  private void readHeaders(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
    int streamId = frame.stream().id();
    RequestStream stream = streams.get(streamId);
    if (stream == null) {
      if (responses.pollCloseAtConnect() != null) {
        ctx.close();
        return;
      }
      stream = new RequestStream(frame.stream(), frame.headers(), connection.nextSequenceNumber());
      streams.put(streamId, stream);
      if (!frame.isEndStream() && expectsContinue(frame.headers())) {
        ScriptedResponse next = responses.peek();
        if (next == null || next.expectContinue()) {
          Http2ResponseWriter.writeContinue(ctx.channel(), frame.stream());
        } else {
          // Answer without the body; later DATA on this stream is read and dropped.
          complete(ctx, stream);
        }
      }
    } else if (!stream.completed) {
      stream.trailers = frame.headers();
    }
    if (frame.isEndStream() && !stream.completed) {
      complete(ctx, stream);
    }
  }

  private void readData(ChannelHandlerContext ctx, Http2DataFrame frame) {
    int flowControlled = frame.initialFlowControlledBytes();
    if (flowControlled > 0) {
      ctx.write(new DefaultHttp2WindowUpdateFrame(flowControlled).stream(frame.stream()));
    }
    RequestStream stream = streams.get(frame.stream().id());
    if (stream == null || stream.completed) {
      return;
    }
    ByteBuf content = frame.content();
    stream.body.writeBytes(ByteBufUtil.getBytes(content));
    if (frame.isEndStream()) {
      complete(ctx, stream);
    }
  }

  private void complete(ChannelHandlerContext ctx, RequestStream stream) {
    stream.completed = true;
    Http2Headers headers = stream.headers;
    CharSequence authority = headers.authority() != null ? headers.authority() : headers.get("host");
    ReceivedRequest request = new ReceivedRequest(
        string(headers.method()),
        target(headers.path(), authority),
        "HTTP/2",
        regularFields(headers),
        stream.body.toByteArray(),
        stream.trailers != null ? regularFields(stream.trailers) : List.of(),
        string(authority),
        connection,
        stream.sequenceNumber,
        stream.frameStream.id());
    ScriptedResponse response = responses.respond(request);
    boolean headRequest = "HEAD".equals(request.method());
    new Http2ResponseWriter(ctx.channel(), stream.frameStream, response, headRequest,
        () -> !stream.reset, () -> streams.remove(stream.frameStream.id())).start();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    for (RequestStream stream : streams.values()) {
      stream.reset = true;
    }
    streams.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof Http2FrameStreamException) {
      // Netty has already reset the offending stream; the connection is fine.
      return;
    }
    ctx.close();
  }

  private static boolean expectsContinue(Http2Headers headers) {
    CharSequence expect = headers.get("expect");
    return expect != null && "100-continue".equalsIgnoreCase(expect.toString());
  }

  private static List<Map.Entry<String, String>> regularFields(Http2Headers headers) {
    List<Map.Entry<String, String>> result = new ArrayList<>(headers.size());
    for (Map.Entry<CharSequence, CharSequence> header : headers) {
      String name = header.getKey().toString();
      if (!name.startsWith(":")) {
        result.add(new SimpleImmutableEntry<>(name, header.getValue().toString()));
      }
    }
    return result;
  }

  private static String target(CharSequence path, CharSequence authority) {
    if (path != null) {
      return path.toString();
    }
    // CONNECT requests carry no :path; their target is the authority.
    return authority != null ? authority.toString() : "";
  }

  private static String string(CharSequence value) {
    return value != null ? value.toString() : null;
  }

  /** Collects one request as its frames arrive; touched only on the event loop. */
  private static final class RequestStream {
    final Http2FrameStream frameStream;
    final Http2Headers headers;
    final int sequenceNumber;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    Http2Headers trailers;
    boolean completed;
    boolean reset;

    RequestStream(Http2FrameStream frameStream, Http2Headers headers, int sequenceNumber) {
      this.frameStream = frameStream;
      this.headers = headers;
      this.sequenceNumber = sequenceNumber;
    }
  }
}
