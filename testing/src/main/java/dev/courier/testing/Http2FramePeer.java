package dev.courier.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.util.Set;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;

/**
 * Plays an HTTP/2 server (cleartext, prior knowledge) frame by frame on a {@link LoopbackPeer}, so
 * that a test writes exactly the frames it wants, including ones that break the protocol, and
 * reads exactly what the client sent. The test thread drives it, one connection at a time. HPACK
 * by Netty. A test's peer may extend it with frames of its own (such as WebSocket frames in DATA).
 * Not thread-safe.
 */
public class Http2FramePeer implements Closeable {
  /** The DATA frame type. */
  public static final int DATA = 0x0;
  /** The HEADERS frame type. */
  public static final int HEADERS = 0x1;
  /** The PRIORITY frame type. */
  public static final int PRIORITY = 0x2;
  /** The RST_STREAM frame type. */
  public static final int RST_STREAM = 0x3;
  /** The SETTINGS frame type. */
  public static final int SETTINGS = 0x4;
  /** The PUSH_PROMISE frame type. */
  public static final int PUSH_PROMISE = 0x5;
  /** The PING frame type. */
  public static final int PING = 0x6;
  /** The GOAWAY frame type. */
  public static final int GOAWAY = 0x7;
  /** The WINDOW_UPDATE frame type. */
  public static final int WINDOW_UPDATE = 0x8;
  /** The CONTINUATION frame type. */
  public static final int CONTINUATION = 0x9;
  /** The END_STREAM flag of DATA and HEADERS. */
  public static final int END_STREAM = 0x1;
  /** The ACK flag of SETTINGS and PING. */
  public static final int ACK = 0x1;
  /** The END_HEADERS flag of HEADERS and CONTINUATION. */
  public static final int END_HEADERS = 0x4;

  private static final ByteString PREFACE = ByteString.encodeUtf8("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  private static final Set<Integer> SKIPPABLE = Set.of(SETTINGS, WINDOW_UPDATE, PING);
  private static final int FRAME_SIZE = 16_384;

  private final LoopbackPeer peer = LoopbackPeer.open();
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false, 1 << 20);
  private Socket socket;
  private BufferedSource source;
  private BufferedSink sink;

  /** One frame as read from the client. */
  public record Frame(int type, int flags, int streamId, ByteString payload) {
    /** Returns true if {@code flag} is set. */
    public boolean has(int flag) {
      return (flags & flag) != 0;
    }

    /** Returns the 32-bit big-endian number at {@code offset} of the payload. */
    public int intAt(int offset) {
      return (payload.getByte(offset) & 0xff) << 24 | (payload.getByte(offset + 1) & 0xff) << 16
          | (payload.getByte(offset + 2) & 0xff) << 8 | (payload.getByte(offset + 3) & 0xff);
    }

    /** Returns the 64-bit big-endian number at {@code offset} of the payload. */
    public long longAt(int offset) {
      return (intAt(offset) & 0xffffffffL) << 32 | (intAt(offset + 4) & 0xffffffffL);
    }
  }

  /**
   * Listens on the loopback address.
   *
   * @throws IOException if no port can be bound
   */
  public Http2FramePeer() throws IOException {}

  /** Returns the port listened on. */
  public int port() {
    return peer.port();
  }

  /** Returns {@code host:port} as a client names this peer in messages. */
  public String hostAndPort() {
    return peer.hostAndPort();
  }

  /**
   * Accepts the next connection and returns its socket untouched, for a peer that speaks some
   * other protocol on it; {@link #close()} closes it.
   */
  public Socket acceptRaw() throws IOException {
    return peer.accept();
  }

  /**
   * Accepts the client, checks its connection preface and returns its SETTINGS.
   *
   * @throws AssertionError if the client sent something else
   */
  public Frame acceptPreface() throws IOException {
    socket = peer.accept();
    source = Okio.buffer(Okio.source(socket));
    sink = Okio.buffer(Okio.sink(socket));
    ByteString preface = source.readByteString(PREFACE.size());
    check(preface.equals(PREFACE), "expected the HTTP/2 preface but got " + preface);
    Frame settings = readFrame();
    check(settings.type() == SETTINGS, "expected the client's SETTINGS but got " + settings);
    return settings;
  }

  /**
   * Accepts the client and completes the settings exchange with {@code settings} (id, value
   * pairs), returning once the client acknowledged them, so they are in force.
   */
  public void handshake(long... settings) throws IOException {
    acceptPreface();
    writeSettings(settings);
    writeFrame(SETTINGS, ACK, 0, ByteString.EMPTY);
    Frame ack = expect(SETTINGS);
    check(ack.has(ACK), "expected the client's SETTINGS ACK but got " + ack);
  }

  /** Reads the next frame, whatever it is. */
  public Frame readFrame() throws IOException {
    int length = (source.readByte() & 0xff) << 16 | (source.readByte() & 0xff) << 8 | (source.readByte() & 0xff);
    int type = source.readByte() & 0xff;
    int flags = source.readByte() & 0xff;
    int streamId = source.readInt() & 0x7fffffff;
    return new Frame(type, flags, streamId, source.readByteString(length));
  }

  /**
   * Reads frames until one of {@code type}, skipping settings ACKs, window updates and pings and
   * handing any other frame to {@link #unexpected}.
   */
  public Frame expect(int type) throws IOException {
    while (true) {
      Frame frame = readFrame();
      if (frame.type() == type) {
        return frame;
      }
      if (!SKIPPABLE.contains(frame.type())) {
        unexpected(frame);
      }
    }
  }

  /**
   * Takes a frame {@link #expect} met before the one it waits for; fails by default. A subclass
   * may keep such frames instead.
   *
   * @throws AssertionError unless overridden
   */
  protected void unexpected(Frame frame) throws IOException {
    throw new AssertionError("unexpected frame type " + frame.type() + ": " + frame);
  }

  /** Reads a request's HEADERS (and CONTINUATIONs) on {@code streamId} and decodes them. */
  public Http2Headers expectHeaders(int streamId) throws IOException {
    Frame frame = expect(HEADERS);
    check(frame.streamId() == streamId, "expected HEADERS on stream " + streamId + " but got " + frame);
    return decode(frame);
  }

  /** Decodes the header block that starts with {@code frame}, reading its CONTINUATIONs. */
  public Http2Headers decode(Frame frame) throws IOException {
    Buffer block = new Buffer().write(frame.payload());
    Frame last = frame;
    while (!last.has(END_HEADERS)) {
      last = readFrame();
      check(last.type() == CONTINUATION, "expected CONTINUATION but got " + last);
      block.write(last.payload());
    }
    try {
      return decoder.decodeHeaders(frame.streamId(), Unpooled.wrappedBuffer(block.readByteArray()));
    } catch (Http2Exception e) {
      throw new IOException(e);
    }
  }

  /** Writes and flushes one frame. */
  public void writeFrame(int type, int flags, int streamId, ByteString payload) throws IOException {
    int length = payload.size();
    sink.writeByte(length >>> 16).writeByte(length >>> 8).writeByte(length);
    sink.writeByte(type).writeByte(flags).writeInt(streamId);
    sink.write(payload);
    sink.flush();
  }

  /** Writes and flushes {@code bytes} as they are. */
  public void writeRaw(ByteString bytes) throws IOException {
    sink.write(bytes);
    sink.flush();
  }

  /** Writes a SETTINGS frame of {@code idsAndValues} pairs. */
  public void writeSettings(long... idsAndValues) throws IOException {
    Buffer payload = new Buffer();
    for (int i = 0; i < idsAndValues.length; i += 2) {
      payload.writeShort((int) idsAndValues[i]).writeInt((int) idsAndValues[i + 1]);
    }
    writeFrame(SETTINGS, 0, 0, payload.readByteString());
  }

  /** Writes a HEADERS frame holding {@code namesAndValues}, encoded with HPACK. */
  public void writeHeaders(int streamId, boolean endStream, String... namesAndValues) throws IOException {
    writeFrame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId,
        encode(streamId, namesAndValues));
  }

  /** Writes {@code block} as HEADERS and as many CONTINUATION frames as 16 KiB frames need. */
  public void writeHeaderBlock(int streamId, boolean endStream, ByteString block) throws IOException {
    int first = Math.min(FRAME_SIZE, block.size());
    writeFrame(HEADERS, (endStream ? END_STREAM : 0) | (first == block.size() ? END_HEADERS : 0),
        streamId, block.substring(0, first));
    for (int offset = first; offset < block.size(); offset += FRAME_SIZE) {
      int end = Math.min(block.size(), offset + FRAME_SIZE);
      writeFrame(CONTINUATION, end == block.size() ? END_HEADERS : 0, streamId, block.substring(offset, end));
    }
  }

  /**
   * Encodes fields as HPACK literals without indexing, in exactly the given order and case, for
   * blocks a real encoder would tidy up. Names and values must be shorter than 127 bytes.
   */
  public static ByteString encodeLiterally(String... namesAndValues) {
    Buffer block = new Buffer();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      block.writeByte(0x00);
      block.writeByte(namesAndValues[i].length()).writeUtf8(namesAndValues[i]);
      block.writeByte(namesAndValues[i + 1].length()).writeUtf8(namesAndValues[i + 1]);
    }
    return block.readByteString();
  }

  /** Encodes {@code namesAndValues} with this connection's HPACK encoder. */
  public ByteString encode(int streamId, String... namesAndValues) throws IOException {
    Http2Headers headers = new DefaultHttp2Headers(false);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    ByteBuf out = Unpooled.buffer();
    try {
      encoder.encodeHeaders(streamId, headers, out);
      byte[] bytes = new byte[out.readableBytes()];
      out.readBytes(bytes);
      return ByteString.of(bytes);
    } catch (Http2Exception e) {
      throw new IOException(e);
    } finally {
      out.release();
    }
  }

  /** Writes a DATA frame of {@code utf8}. */
  public void writeData(int streamId, boolean endStream, String utf8) throws IOException {
    writeData(streamId, endStream, ByteString.encodeUtf8(utf8));
  }

  /** Writes a DATA frame of {@code data}. */
  public void writeData(int streamId, boolean endStream, ByteString data) throws IOException {
    writeFrame(DATA, endStream ? END_STREAM : 0, streamId, data);
  }

  /** Writes RST_STREAM with {@code errorCode}. */
  public void writeRstStream(int streamId, long errorCode) throws IOException {
    writeFrame(RST_STREAM, 0, streamId, new Buffer().writeInt((int) errorCode).readByteString());
  }

  /** Writes GOAWAY naming {@code lastStreamId}, with {@code errorCode} and {@code debug} data. */
  public void writeGoAway(int lastStreamId, long errorCode, String debug) throws IOException {
    writeFrame(GOAWAY, 0, 0, new Buffer().writeInt(lastStreamId).writeInt((int) errorCode)
        .writeUtf8(debug).readByteString());
  }

  /** Writes WINDOW_UPDATE of {@code increment} for {@code streamId} (0: the connection). */
  public void writeWindowUpdate(int streamId, long increment) throws IOException {
    writeFrame(WINDOW_UPDATE, 0, streamId, new Buffer().writeInt((int) increment).readByteString());
  }

  /** Writes PING carrying {@code payload}, or its ACK. */
  public void writePing(boolean ack, long payload) throws IOException {
    writeFrame(PING, ack ? ACK : 0, 0, new Buffer().writeLong(payload).readByteString());
  }

  /**
   * Reads up to the client's GOAWAY, checks that the client then closes, and returns the error code.
   *
   * @throws AssertionError if the client sent more after its GOAWAY
   */
  public long expectClosedAfterGoAway() throws IOException {
    Frame goAway = expect(GOAWAY);
    check(source.exhausted(), "client closed after GOAWAY");
    return goAway.intAt(4) & 0xffffffffL;
  }

  /** Closes the client's connection abruptly with a TCP reset, as a crashed server would. */
  public void resetConnection() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** Closes the client's connection in an orderly way (FIN), leaving the listening socket open. */
  public void closeConnection() throws IOException {
    socket.close();
  }

  /** Closes the listening socket and every connection; see {@link LoopbackPeer#close()}. */
  @Override
  public void close() throws IOException {
    try {
      peer.close();
    } finally {
      encoder.close();
    }
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  @Override
  public String toString() {
    return "Http2FramePeer{" + hostAndPort() + "}";
  }
}
