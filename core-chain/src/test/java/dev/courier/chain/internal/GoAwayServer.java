package dev.courier.chain.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves cleartext HTTP/2 (prior knowledge) on 127.0.0.1 and shuts its first connection down the
 * way a server that stops taking work does: once that connection carries two streams, it answers
 * the first and sends GOAWAY whose last-stream-id is that first stream, so the second stream was
 * never processed and is never answered. Every later connection answers every stream. A response
 * body names the connection (numbered from 1 in accept order), e.g. {@code "connection 2: /b"}.
 *
 * <p>Netty's own frame codec derives GOAWAY's last-stream-id from the streams it created, so this
 * server writes the frame itself through {@link Http2ConnectionHandler#goAway}. With a non-zero
 * error code Netty closes the connection once the GOAWAY is written; with NO_ERROR the server
 * never closes it, leaving that to the client.
 *
 * <p>Thread-safe: the recorded facts may be read from any thread while the server runs.
 */
final class GoAwayServer implements AutoCloseable {
  private final long goAwayErrorCode;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final AtomicInteger acceptedConnections = new AtomicInteger();
  private final List<String> receivedStreams = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstStreamReceived = new CountDownLatch(1);
  private final CountDownLatch goAwaySent = new CountDownLatch(1);
  private final CountDownLatch firstConnectionClosed = new CountDownLatch(1);
  private final AtomicBoolean firstConnectionClosedByServer = new AtomicBoolean();
  private Channel serverChannel;

  /** Creates a server whose first connection's GOAWAY carries {@code goAwayErrorCode}. */
  GoAwayServer(long goAwayErrorCode) {
    this.goAwayErrorCode = goAwayErrorCode;
  }

  /** Binds to an ephemeral port on 127.0.0.1; returns this. */
  GoAwayServer start() throws InterruptedException {
    serverChannel = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            int number = acceptedConnections.incrementAndGet();
            StreamAnswerer answerer = new StreamAnswerer(number);
            Http2ConnectionHandler http2 = new Http2ConnectionHandlerBuilder()
                .server(true)
                .frameListener(answerer)
                .build();
            answerer.http2 = http2;
            channel.pipeline().addLast(new CloseWatcher(number), http2);
          }
        })
        .bind(InetAddress.getLoopbackAddress(), 0)
        .sync()
        .channel();
    return this;
  }

  /** Returns the URL of {@code path} on this server. */
  String url(String path) {
    InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
    return "http://127.0.0.1:" + address.getPort() + path;
  }

  /** Returns how many connections the server accepted. */
  int acceptedConnections() {
    return acceptedConnections.get();
  }

  /**
   * Returns every request stream received, in order, as {@code "connection N stream S PATH"}; on
   * the first connection this includes the stream GOAWAY refused.
   */
  List<String> receivedStreams() {
    return List.copyOf(receivedStreams);
  }

  /** Waits until the first connection received its first stream's headers. */
  boolean awaitFirstStream(long timeout, TimeUnit unit) throws InterruptedException {
    return firstStreamReceived.await(timeout, unit);
  }

  /** Waits until the first connection wrote its GOAWAY. */
  boolean awaitGoAwaySent(long timeout, TimeUnit unit) throws InterruptedException {
    return goAwaySent.await(timeout, unit);
  }

  /** Waits until the first connection is closed, by either end. */
  boolean awaitFirstConnectionClosed(long timeout, TimeUnit unit) throws InterruptedException {
    return firstConnectionClosed.await(timeout, unit);
  }

  /** Returns true if the server, not the peer, closed the first connection. */
  boolean firstConnectionClosedByServer() {
    return firstConnectionClosedByServer.get();
  }

  /** Closes the listening socket and every connection, and stops the event loop thread. */
  @Override
  public void close() throws InterruptedException {
    if (!group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the GOAWAY test server's event loop did not stop");
    }
  }

  /** Answers streams, and shuts the first connection down when its second stream arrives. */
  private final class StreamAnswerer extends Http2FrameAdapter {
    private final int connection;
    private Http2ConnectionHandler http2;
    private int streamCount;
    private int heldStream;
    private String heldPath;

    StreamAnswerer(int connection) {
      this.connection = connection;
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
        int streamDependency, short weight, boolean exclusive, int padding, boolean endOfStream) {
      onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
        int padding, boolean endOfStream) {
      String path = String.valueOf(headers.path());
      receivedStreams.add("connection " + connection + " stream " + streamId + " " + path);
      if (connection != 1) {
        answer(ctx, streamId, path);
        http2.flush(ctx);
        return;
      }
      streamCount++;
      if (streamCount == 1) {
        heldStream = streamId;
        heldPath = path;
        firstStreamReceived.countDown();
      } else if (streamCount == 2) {
        answer(ctx, heldStream, heldPath);
        // DATA waits in Netty's flow controller, which only the handler's own flush drains;
        // GOAWAY bypasses it, and with an error code Netty closes the channel once it is written,
        // so the answer must be on the wire first.
        http2.flush(ctx);
        // The stream just received is above last-stream-id: it is dropped, never answered.
        http2.goAway(ctx, heldStream, goAwayErrorCode, Unpooled.EMPTY_BUFFER, ctx.newPromise())
            .addListener(written -> goAwaySent.countDown());
        http2.flush(ctx);
      }
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
        boolean endOfStream) {
      return data.readableBytes() + padding;
    }

    private void answer(ChannelHandlerContext ctx, int streamId, String path) {
      Http2Headers headers = new DefaultHttp2Headers().status("200");
      ByteBuf body = Unpooled.copiedBuffer("connection " + connection + ": " + path, StandardCharsets.UTF_8);
      http2.encoder().writeHeaders(ctx, streamId, headers, 0, false, ctx.newPromise());
      http2.encoder().writeData(ctx, streamId, body, 0, true, ctx.newPromise());
    }
  }

  /**
   * Tells who closed the first connection: a close() passing through the pipeline before the peer
   * ended or broke the connection is the server's own; the peer's end closes the channel without
   * one.
   */
  private final class CloseWatcher extends ChannelDuplexHandler {
    private final int connection;
    private boolean peerGone;

    CloseWatcher(int connection) {
      this.connection = connection;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
      peerGone = true;
      super.exceptionCaught(ctx, cause);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
      if (connection == 1 && !peerGone && ctx.channel().isActive()) {
        firstConnectionClosedByServer.set(true);
      }
      super.close(ctx, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (connection == 1) {
        firstConnectionClosed.countDown();
      }
      super.channelInactive(ctx);
    }
  }
}
