package dev.courier.testing.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * Tells HTTP/1.1 from HTTP/2 with prior knowledge on a cleartext connection by the first bytes
 * (the HTTP/2 connection preface), then replaces itself with that protocol's handlers. Bytes
 * read so far are passed on to them.
 */
final class PriorKnowledgeDetector extends ByteToMessageDecoder {
  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

  private final ProtocolPipelines pipelines;
  private final ConnectionInfo connection;

  PriorKnowledgeDetector(ProtocolPipelines pipelines, ConnectionInfo connection) {
    this.pipelines = pipelines;
    this.connection = connection;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int length = Math.min(in.readableBytes(), PREFACE.readableBytes());
    boolean prefixMatches =
        ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), length);
    if (!prefixMatches) {
      pipelines.install(ctx.pipeline(), ctx.name(), ServerConfig.HTTP_1_1, connection);
      ctx.pipeline().remove(this);
    } else if (length == PREFACE.readableBytes()) {
      pipelines.install(ctx.pipeline(), ctx.name(), ServerConfig.H2C, connection);
      ctx.pipeline().remove(this);
    }
  }
}
