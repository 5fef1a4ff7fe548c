package dev.courier.http2.internal;

import dev.courier.ConnectionShutdownException;
import dev.courier.Handshake;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.ResponseBody;
import dev.courier.StreamResetException;
import dev.courier.http2.Http2ConnectionException;
import dev.courier.internal.ArrayReadable;
import dev.courier.internal.BodyInputStream;
import dev.courier.internal.LargeBufferPool;
import dev.courier.internal.SocketLink;
import dev.courier.internal.SocketSink;
import dev.courier.internal.SocketSource;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.Transport;
import dev.courier.spi.UpgradedStreams;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.atomic.AtomicBoolean;
import okio.Buffer;
import okio.Okio;
import okio.Sink;
import okio.Source;

/**
 * Loads and initialises what the first HTTP/2 connection's HPACK coding needs from Netty (platform
 * probing, logger lookup, the buffer allocator, the static table and Huffman codes: some hundreds
 * of classes and 100 ms or more in a cold JVM) on a daemon thread, once per JVM, so that the work
 * overlaps DNS, TCP and TLS of the connection being opened instead of following them. Then it loads
 * and verifies, without initialising them, Courier's classes that the connection uses once its
 * handshake is done (see {@link #linkConnectionClasses}). The thread ends when done; if it cannot
 * start or fails, the first connection does the work itself.
 */
public final class HpackWarmup implements Runnable {
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  /**
   * A request header block with Huffman-coded strings, from RFC 7541 Appendix C.4.1:
   * {@code :method GET, :scheme http, :path /, :authority www.example.com}.
   */
  private static final byte[] HUFFMAN_BLOCK = {
      (byte) 0x82, (byte) 0x86, (byte) 0x84, 0x41, (byte) 0x8c, (byte) 0xf1, (byte) 0xe3,
      (byte) 0xc2, (byte) 0xe5, (byte) 0xf2, 0x3a, 0x6b, (byte) 0xa0, (byte) 0xab, (byte) 0x90,
      (byte) 0xf4, (byte) 0xff,
  };

  private HpackWarmup() {}

  /** Starts the warm-up thread unless one was started before in this JVM; returns at once. */
  public static void start() {
    if (STARTED.get() || !STARTED.compareAndSet(false, true)) {
      return;
    }
    try {
      Thread thread = new Thread(new HpackWarmup(), "Courier h2 warm-up");
      thread.setDaemon(true);
      thread.start();
    } catch (RuntimeException | Error e) {
      // Out of threads or memory, or not permitted: the first connection warms up on its own.
    }
  }

  /** Warms up; ignores any failure. */
  @Override
  public void run() {
    try {
      warm();
      linkConnectionClasses();
    } catch (Exception | LinkageError e) {
      // Whatever failed here fails again, and is reported, where a connection uses it.
    }
  }

  /**
   * Loads and verifies the classes an HTTP/2 connection uses from the end of its TLS handshake to
   * the first response (the connection, its frame reader and writer, streams, the exchange codec,
   * the socket adapters, the response), and okio's buffered source and sink, and returns the
   * number of classes linked, for tests.
   *
   * <p>In a cold JVM the first connection otherwise loads them from the jars and verifies them on
   * the call's thread after the handshake, some 20 ms of it; here they load while the call waits
   * for its TLS context and handshake. Courier's classes are only linked, not initialised: their
   * static initialisers still run on the thread that first uses them, so this thread and the call's
   * never initialise the same classes at once. The class literals are resolved when this method
   * runs, on the warm-up thread, not when this class is initialised by the caller of
   * {@link #start}.
   */
  static int linkConnectionClasses() {
    int linked = link(Http2Connection.class, FrameReader.class, FrameReader.Handler.class,
        FrameWriter.class, ReaderLoop.class, Settings.class, WriterLock.class,
        WriterLock.Backlog.class, QueuedControlFrames.class, ConnectionFlowControl.class,
        PingSender.class, PingTracker.class, ShutdownState.class, ExtendedConnect.class,
        StreamRegistry.class, StreamTable.class,
        Http2Stream.class, Http2Stream.StreamSource.class, ReceiveBuffer.class,
        ReceiveBuffer.Chunk.class, ReceiveBuffer.Pool.class, ResponseFraming.class,
        ResponseHeaders.class, DeferredWakes.class, ErrorCodes.class, StreamErrorException.class,
        Http2ExchangeCodec.class, Http2ConnectionException.class, ExchangeCodec.class,
        UpgradedStreams.class, Transport.class, SocketSource.class, SocketSink.class,
        SocketLink.class, ArrayReadable.class, LargeBufferPool.class, BodyInputStream.class,
        Handshake.class, Response.class, Response.Builder.class, ResponseBody.class,
        StreamResetException.class, ConnectionShutdownException.class);
    // okio's, through its public API: a buffered source and sink over a buffer.
    Okio.buffer((Source) new Buffer());
    Okio.buffer((Sink) new Buffer());
    return linked;
  }

  /**
   * Links each of {@code types} without initialising it, and returns how many there were. Asking
   * for a class's declared fields has the JVM (HotSpot) verify and link it; its static
   * initialiser does not run.
   */
  static int link(Class<?>... types) {
    for (Class<?> type : types) {
      type.getDeclaredFields();
    }
    return types.length;
  }

  /**
   * Encodes a request and decodes a Huffman-coded block as a connection does, and returns the
   * number of fields decoded from each, for tests.
   */
  static int[] warm() throws ConnectionErrorException {
    HpackWriter writer = new HpackWriter();
    ByteBuf encoded = writer.encode(1, new Request.Builder().url("https://localhost/").build());
    byte[] requestBlock = new byte[encoded.readableBytes()];
    encoded.getBytes(encoded.readerIndex(), requestBlock);

    HpackReader reader = new HpackReader(Http2Config.DEFAULT.maxHeaderListSize());
    int requestFields = reader.decode(1, new Buffer().write(requestBlock)).size();
    int huffmanFields = reader.decode(3, new Buffer().write(HUFFMAN_BLOCK)).size();
    return new int[] {requestFields, huffmanFields};
  }
}
