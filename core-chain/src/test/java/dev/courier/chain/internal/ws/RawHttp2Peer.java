package dev.courier.chain.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.testing.LoopbackPeer;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;

/**
 * Plays an HTTP/2 server (prior knowledge, cleartext) frame by frame on a loopback socket, so that
 * a test of WebSockets over HTTP/2 writes exactly the frames it wants: refusals, resets, GOAWAY,
 * silence. Carries WebSocket frames in DATA. HPACK by Netty. The test thread drives it.
 */
final class RawHttp2Peer implements Closeable {
  static final int DATA = 0x0;
  static final int HEADERS = 0x1;
  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int PING = 0x6;
  static final int GOAWAY = 0x7;
  static final int WINDOW_UPDATE = 0x8;
  static final int CONTINUATION = 0x9;
  static final int END_STREAM = 0x1;
  static final int ACK = 0x1;
  static final int END_HEADERS = 0x4;
  static final int ENABLE_CONNECT_PROTOCOL = 0x8;
  private static final ByteString PREFACE = ByteString.encodeUtf8("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

  private final LoopbackPeer peer = LoopbackPeer.open();
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false, 1 << 20);
  private final Map<Integer, Buffer> streamData = new HashMap<>();
  private Socket socket;
  private BufferedSource source;
  private BufferedSink sink;

  /** One frame as read from the client. */
  record Frame(int type, int flags, int streamId, ByteString payload) {
    boolean has(int flag) {
      return (flags & flag) != 0;
    }

    long intAt(int offset) {
      return (payload.getByte(offset) & 0xffL) << 24 | (payload.getByte(offset + 1) & 0xffL) << 16
          | (payload.getByte(offset + 2) & 0xffL) << 8 | (payload.getByte(offset + 3) & 0xffL);
    }
  }

  RawHttp2Peer() throws IOException {}

  int port() {
    return peer.port();
  }

  String hostAndPort() {
    return peer.hostAndPort();
  }

  /** Accepts the next connection and returns the raw socket, for a peer speaking HTTP/1.1. */
  Socket acceptRaw() throws IOException {
    return peer.accept();
  }

  /**
   * Accepts the client, reads its preface, sends {@code settings} (id, value pairs) and waits for
   * the client's acknowledgement, so they are in force.
   */
  void handshake(long... settings) throws IOException {
    socket = acceptRaw();
    source = Okio.buffer(Okio.source(socket));
    sink = Okio.buffer(Okio.sink(socket));
    assertThat(source.readByteString(PREFACE.size())).isEqualTo(PREFACE);
    assertThat(readFrame().type()).isEqualTo(SETTINGS);
    Buffer payload = new Buffer();
    for (int i = 0; i < settings.length; i += 2) {
      payload.writeShort((int) settings[i]).writeInt((int) settings[i + 1]);
    }
    writeFrame(SETTINGS, 0, 0, payload.readByteString());
    writeFrame(SETTINGS, ACK, 0, ByteString.EMPTY);
    Frame ack = expect(SETTINGS);
    assertThat(ack.has(ACK)).as("client's SETTINGS ACK").isTrue();
  }

  Frame readFrame() throws IOException {
    int length = (source.readByte() & 0xff) << 16 | (source.readByte() & 0xff) << 8
        | (source.readByte() & 0xff);
    int type = source.readByte() & 0xff;
    int flags = source.readByte() & 0xff;
    int streamId = source.readInt() & 0x7fffffff;
    return new Frame(type, flags, streamId, source.readByteString(length));
  }

  /**
   * Reads frames until one of {@code type}, skipping only settings ACKs, window updates and pings
   * (so an unexpected RST_STREAM or GOAWAY fails the test). DATA met on the way is kept per stream.
   */
  Frame expect(int type) throws IOException {
    Set<Integer> skippable = Set.of(SETTINGS, WINDOW_UPDATE, PING);
    while (true) {
      Frame frame = readFrame();
      if (frame.type() == type) {
        return frame;
      }
      if (frame.type() == DATA) {
        streamData.computeIfAbsent(frame.streamId(), id -> new Buffer()).write(frame.payload());
        continue;
      }
      assertThat(skippable).as("unexpected frame %s", frame).contains(frame.type());
    }
  }

  /** Reads a request's HEADERS and decodes them, checking the stream id. */
  Frame expectHeadersFrame(int streamId) throws IOException {
    Frame frame = expect(HEADERS);
    assertThat(frame.streamId()).isEqualTo(streamId);
    assertThat(frame.has(END_HEADERS)).isTrue();
    return frame;
  }

  Http2Headers decode(Frame frame) throws IOException {
    try {
      return decoder.decodeHeaders(frame.streamId(), Unpooled.wrappedBuffer(frame.payload().toByteArray()));
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

  /** Writes a HEADERS frame holding {@code namesAndValues}, encoded with HPACK. */
  void writeHeaders(int streamId, boolean endStream, String... namesAndValues) throws IOException {
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
    writeFrame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, ByteString.of(bytes));
  }

  void writeData(int streamId, boolean endStream, ByteString data) throws IOException {
    writeFrame(DATA, endStream ? END_STREAM : 0, streamId, data);
  }

  /** Writes one unmasked WebSocket frame with first byte {@code b0} as one DATA frame. */
  void writeWebSocketFrame(int streamId, int b0, ByteString payload, boolean endStream)
      throws IOException {
    assertThat(payload.size()).isLessThan(126);
    writeData(streamId, endStream,
        new Buffer().writeByte(b0).writeByte(payload.size()).write(payload).readByteString());
  }

  /** Reads DATA of {@code streamId} until a whole WebSocket frame came, and unmasks it. */
  RawWebSocketPeer.Frame readWebSocketFrame(int streamId) throws IOException {
    Buffer data = streamData.computeIfAbsent(streamId, id -> new Buffer());
    while (true) {
      RawWebSocketPeer.Frame frame = parseWebSocketFrame(data.copy());
      if (frame != null) {
        parseWebSocketFrame(data); // Consume it.
        return frame;
      }
      Frame next = expect(DATA);
      streamData.computeIfAbsent(next.streamId(), id -> new Buffer()).write(next.payload());
    }
  }

  /** Reads frames until DATA with END_STREAM on {@code streamId}; returns what it carried. */
  ByteString expectEndStream(int streamId) throws IOException {
    while (true) {
      Frame frame = expect(DATA);
      Buffer data = streamData.computeIfAbsent(frame.streamId(), id -> new Buffer());
      data.write(frame.payload());
      if (frame.streamId() == streamId && frame.has(END_STREAM)) {
        return data.readByteString();
      }
    }
  }

  private static RawWebSocketPeer.Frame parseWebSocketFrame(Buffer data) throws IOException {
    if (data.size() < 2) {
      return null;
    }
    int b0 = data.getByte(0) & 0xff;
    int b1 = data.getByte(1) & 0xff;
    long length = b1 & 0x7f;
    int header = 2;
    if (length == 126) {
      if (data.size() < 4) return null;
      length = ((data.getByte(2) & 0xff) << 8) | (data.getByte(3) & 0xff);
      header = 4;
    } else if (length == 127) {
      if (data.size() < 10) return null;
      length = new Buffer().write(data.snapshot().substring(2, 10)).readLong();
      header = 10;
    }
    boolean masked = (b1 & 0x80) != 0;
    int total = header + (masked ? 4 : 0) + (int) length;
    if (data.size() < total) {
      return null;
    }
    data.skip(header);
    byte[] mask = masked ? data.readByteArray(4) : new byte[4];
    byte[] payload = data.readByteArray(length);
    for (int i = 0; i < payload.length; i++) {
      payload[i] ^= mask[i & 3];
    }
    return new RawWebSocketPeer.Frame((b0 & 0x80) != 0, b0 & 0x0f, masked, ByteString.of(payload),
        (b0 & 0x70) >> 4);
  }

  void writeRstStream(int streamId, long errorCode) throws IOException {
    writeFrame(RST_STREAM, 0, streamId, new Buffer().writeInt((int) errorCode).readByteString());
  }

  void writeGoAway(int lastStreamId, long errorCode, String debug) throws IOException {
    writeFrame(GOAWAY, 0, 0, new Buffer().writeInt(lastStreamId).writeInt((int) errorCode)
        .writeUtf8(debug).readByteString());
  }

  /** Closes the current connection (FIN), leaving the listening socket open. */
  void closeConnection() throws IOException {
    socket.close();
  }

  @Override
  public void close() throws IOException {
    try {
      peer.close();
    } finally {
      encoder.close();
    }
  }
}
