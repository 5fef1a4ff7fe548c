package dev.courier.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;

/**
 * Plays an HTTP/2 server frame by frame over a real loopback socket, so tests can script exact
 * frames, including ones that break the protocol. Encodes and decodes HPACK with Netty.
 */
final class Http2TestPeer implements Closeable {
  static final int DATA = Http2FrameTypes.DATA;
  static final int HEADERS = Http2FrameTypes.HEADERS;
  static final int PRIORITY = Http2FrameTypes.PRIORITY;
  static final int RST_STREAM = Http2FrameTypes.RST_STREAM;
  static final int SETTINGS = Http2FrameTypes.SETTINGS;
  static final int PUSH_PROMISE = Http2FrameTypes.PUSH_PROMISE;
  static final int PING = Http2FrameTypes.PING;
  static final int GOAWAY = Http2FrameTypes.GO_AWAY;
  static final int WINDOW_UPDATE = Http2FrameTypes.WINDOW_UPDATE;
  static final int CONTINUATION = Http2FrameTypes.CONTINUATION;
  static final int END_STREAM = 0x1;
  static final int ACK = 0x1;
  static final int END_HEADERS = 0x4;

  private final ServerSocket serverSocket;
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false, 1 << 20);
  private Socket socket;
  private BufferedSource source;
  private BufferedSink sink;

  /** One frame as read from the client. */
  record Frame(int type, int flags, int streamId, ByteString payload) {
    boolean has(int flag) {
      return (flags & flag) != 0;
    }

    int intAt(int offset) {
      return (payload.getByte(offset) & 0xff) << 24 | (payload.getByte(offset + 1) & 0xff) << 16
          | (payload.getByte(offset + 2) & 0xff) << 8 | (payload.getByte(offset + 3) & 0xff);
    }

    long longAt(int offset) {
      return (intAt(offset) & 0xffffffffL) << 32 | (intAt(offset + 4) & 0xffffffffL);
    }
  }

  Http2TestPeer() throws IOException {
    serverSocket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** Accepts the client, checks its preface and returns its SETTINGS. */
  Frame acceptPreface() throws IOException {
    socket = serverSocket.accept();
    socket.setSoTimeout(10_000);
    source = Okio.buffer(Okio.source(socket));
    sink = Okio.buffer(Okio.sink(socket));
    assertThat(source.readByteString(FrameReader.CONNECTION_PREFACE.size()))
        .isEqualTo(FrameReader.CONNECTION_PREFACE);
    Frame settings = readFrame();
    assertThat(settings.type()).isEqualTo(SETTINGS);
    return settings;
  }

  /**
   * Accepts the client and completes the settings exchange with {@code settings} (id, value
   * pairs), returning once the client acknowledged them, so they are in force.
   */
  void handshake(long... settings) throws IOException {
    acceptPreface();
    writeSettings(settings);
    writeFrame(SETTINGS, ACK, 0, ByteString.EMPTY);
    Frame ack = expect(SETTINGS);
    assertThat(ack.has(ACK)).as("client's SETTINGS ACK").isTrue();
  }

  Frame readFrame() throws IOException {
    int length = (source.readByte() & 0xff) << 16 | (source.readByte() & 0xff) << 8 | (source.readByte() & 0xff);
    int type = source.readByte() & 0xff;
    int flags = source.readByte() & 0xff;
    int streamId = source.readInt() & 0x7fffffff;
    return new Frame(type, flags, streamId, source.readByteString(length));
  }

  /** Reads frames until one of {@code type}, skipping settings ACKs, window updates and pings. */
  Frame expect(int type) throws IOException {
    Set<Integer> skippable = Set.of(SETTINGS, WINDOW_UPDATE, PING);
    while (true) {
      Frame frame = readFrame();
      if (frame.type() == type) {
        return frame;
      }
      assertThat(skippable).as("unexpected frame type %s", frame.type()).contains(frame.type());
    }
  }

  /** Reads a request's HEADERS (and CONTINUATIONs) and decodes them. */
  Http2Headers expectHeaders(int streamId) throws IOException {
    Frame frame = expect(HEADERS);
    assertThat(frame.streamId()).isEqualTo(streamId);
    return decode(frame);
  }

  /** Decodes the header block that starts with {@code frame}, reading its CONTINUATIONs. */
  Http2Headers decode(Frame frame) throws IOException {
    int streamId = frame.streamId();
    Buffer block = new Buffer().write(frame.payload());
    Frame last = frame;
    while (!last.has(END_HEADERS)) {
      last = readFrame();
      assertThat(last.type()).isEqualTo(CONTINUATION);
      block.write(last.payload());
    }
    try {
      return decoder.decodeHeaders(streamId, Unpooled.wrappedBuffer(block.readByteArray()));
    } catch (Http2Exception e) {
      throw new IOException(e);
    }
  }

  void writeFrame(int type, int flags, int streamId, ByteString payload) throws IOException {
    int length = payload.size();
    sink.writeByte(length >>> 16).writeByte(length >>> 8).writeByte(length);
    sink.writeByte(type).writeByte(flags).writeInt(streamId);
    sink.write(payload);
    sink.flush();
  }

  void writeRaw(ByteString bytes) throws IOException {
    sink.write(bytes);
    sink.flush();
  }

  void writeSettings(long... idsAndValues) throws IOException {
    Buffer payload = new Buffer();
    for (int i = 0; i < idsAndValues.length; i += 2) {
      payload.writeShort((int) idsAndValues[i]).writeInt((int) idsAndValues[i + 1]);
    }
    writeFrame(SETTINGS, 0, 0, payload.readByteString());
  }

  /** Writes a HEADERS frame holding {@code namesAndValues}, encoded with HPACK. */
  void writeHeaders(int streamId, boolean endStream, String... namesAndValues) throws IOException {
    writeFrame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId,
        encode(streamId, namesAndValues));
  }

  /** Writes {@code block} as HEADERS and as many CONTINUATION frames as 16 KiB frames need. */
  void writeHeaderBlock(int streamId, boolean endStream, ByteString block) throws IOException {
    int frameSize = 16_384;
    int first = Math.min(frameSize, block.size());
    writeFrame(HEADERS, (endStream ? END_STREAM : 0) | (first == block.size() ? END_HEADERS : 0),
        streamId, block.substring(0, first));
    for (int offset = first; offset < block.size(); offset += frameSize) {
      int end = Math.min(block.size(), offset + frameSize);
      writeFrame(CONTINUATION, end == block.size() ? END_HEADERS : 0, streamId, block.substring(offset, end));
    }
  }

  /**
   * Encodes fields as HPACK literals without indexing, in exactly the given order and case, for
   * blocks a real encoder would tidy up. Names and values must be shorter than 127 bytes.
   */
  static ByteString encodeLiterally(String... namesAndValues) {
    Buffer block = new Buffer();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      block.writeByte(0x00);
      block.writeByte(namesAndValues[i].length()).writeUtf8(namesAndValues[i]);
      block.writeByte(namesAndValues[i + 1].length()).writeUtf8(namesAndValues[i + 1]);
    }
    return block.readByteString();
  }

  ByteString encode(int streamId, String... namesAndValues) throws IOException {
    Http2Headers headers = new DefaultHttp2Headers(false);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    ByteBuf out = Unpooled.buffer();
    try {
      encoder.encodeHeaders(streamId, headers, out);
    } catch (Http2Exception e) {
      throw new IOException(e);
    }
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return ByteString.of(bytes);
  }

  void writeData(int streamId, boolean endStream, String utf8) throws IOException {
    writeFrame(DATA, endStream ? END_STREAM : 0, streamId, ByteString.encodeUtf8(utf8));
  }

  void writeData(int streamId, boolean endStream, ByteString data) throws IOException {
    writeFrame(DATA, endStream ? END_STREAM : 0, streamId, data);
  }

  void writeRstStream(int streamId, long errorCode) throws IOException {
    writeFrame(RST_STREAM, 0, streamId, new Buffer().writeInt((int) errorCode).readByteString());
  }

  void writeGoAway(int lastStreamId, long errorCode, String debug) throws IOException {
    writeFrame(GOAWAY, 0, 0, new Buffer().writeInt(lastStreamId).writeInt((int) errorCode)
        .writeUtf8(debug).readByteString());
  }

  void writeWindowUpdate(int streamId, long increment) throws IOException {
    writeFrame(WINDOW_UPDATE, 0, streamId, new Buffer().writeInt((int) increment).readByteString());
  }

  void writePing(boolean ack, long payload) throws IOException {
    writeFrame(PING, ack ? ACK : 0, 0, new Buffer().writeLong(payload).readByteString());
  }

  /** Reads up to the client's GOAWAY, checks that the client then closes, and returns the error code. */
  long expectClosedAfterGoAway() throws IOException {
    Frame goAway = expect(GOAWAY);
    assertThat(source.exhausted()).as("client closed after GOAWAY").isTrue();
    return goAway.intAt(4) & 0xffffffffL;
  }

  /** Closes the client's socket abruptly with a TCP reset, as a crashed server would. */
  void resetConnection() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** Closes the client's socket in an orderly way (FIN), leaving the listening socket open. */
  void closeConnection() throws IOException {
    socket.close();
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      socket.close();
    }
    serverSocket.close();
    encoder.close();
  }
}
