package dev.courier.http2.internal;

import static dev.courier.http2.internal.ErrorCodes.FLOW_CONTROL_ERROR;
import static dev.courier.http2.internal.ErrorCodes.FRAME_SIZE_ERROR;
import static dev.courier.http2.internal.ErrorCodes.PROTOCOL_ERROR;

import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.io.EOFException;
import java.io.IOException;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Reads HTTP/2 frames (RFC 9113 §4, §6) from a peer and hands them to a {@link Handler}. HEADERS
 * and its CONTINUATION frames are joined and decoded before the handler sees them. Frame-level
 * rules (sizes, stream 0, padding) are checked here; stream state is the handler's business.
 * Used by the connection's reader thread only.
 */
final class FrameReader {
  static final ByteString CONNECTION_PREFACE = ByteString.encodeUtf8("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  static final int DEFAULT_WINDOW_SIZE = Http2CodecUtil.DEFAULT_WINDOW_SIZE;
  static final int DEFAULT_MAX_FRAME_SIZE = Http2CodecUtil.DEFAULT_MAX_FRAME_SIZE;
  static final long MAX_WINDOW_SIZE = Integer.MAX_VALUE;
  private static final ByteString HTTP1_RESPONSE_START = ByteString.encodeUtf8("HTTP/1.");

  static final int FLAG_END_STREAM = 0x1;
  static final int FLAG_ACK = 0x1;
  static final int FLAG_END_HEADERS = 0x4;
  static final int FLAG_PADDED = 0x8;
  static final int FLAG_PRIORITY = 0x20;

  /** Receives frames; every method runs on the reader thread. */
  interface Handler {
    /** Receives a DATA frame; must consume exactly {@code dataLength} bytes of {@code source}. */
    void data(int streamId, boolean endStream, BufferedSource source, int dataLength, int frameLength)
        throws IOException;

    /** Receives a complete, decoded header block; {@code fields} are valid during the call only. */
    void headers(int streamId, boolean endStream, HpackReader.Fields fields) throws IOException;

    void rstStream(int streamId, long errorCode) throws IOException;

    void settings(Settings settings) throws IOException;

    void settingsAck();

    void ping(boolean ack, long payload) throws IOException;

    void goAway(int lastStreamId, long errorCode, ByteString debugData) throws IOException;

    void windowUpdate(int streamId, long increment) throws IOException;

    /** Called before a frame other than DATA is handled or skipped. */
    default void controlFrame() {
    }
  }

  private final BufferedSource source;
  private final HpackReader hpack;
  private final long maxHeaderBlockBytes;
  private final Buffer headerBlock = new Buffer();
  private boolean prefaceRead;

  /**
   * @param maxHeaderListSize the header list limit; compressed blocks four times larger are
   *     refused without decoding, since no block that size can be within the limit in practice
   */
  FrameReader(BufferedSource source, long maxHeaderListSize) {
    this.source = source;
    this.hpack = new HpackReader(maxHeaderListSize);
    this.maxHeaderBlockBytes = maxHeaderListSize * 4;
  }

  /**
   * Reads the next frame and hands it to {@code handler}.
   *
   * @return false if the peer closed the stream cleanly between frames
   * @throws ConnectionErrorException if the frame breaks a connection-level rule
   * @throws StreamErrorException if the frame breaks a stream-level rule; it was consumed
   */
  boolean nextFrame(Handler handler) throws IOException {
    if (!source.request(Http2CodecUtil.FRAME_HEADER_LENGTH)) {
      if (source.getBuffer().size() == 0) {
        return false;
      }
      throw new EOFException("connection closed in the middle of a frame header");
    }
    if (!prefaceRead && source.rangeEquals(0, HTTP1_RESPONSE_START)) {
      // A common mistake: prior knowledge of HTTP/2 towards a server that speaks only HTTP/1.
      throw new ConnectionErrorException(PROTOCOL_ERROR,
          "the server answered in HTTP/1 instead of sending HTTP/2 SETTINGS");
    }
    // The 9-byte header in three reads: length (24 bits) and type, then flags, then the stream id.
    int lengthAndType = source.readInt();
    int length = lengthAndType >>> 8;
    int type = lengthAndType & 0xff;
    int flags = source.readByte() & 0xff;
    int streamId = source.readInt() & 0x7fffffff;
    // We never raise SETTINGS_MAX_FRAME_SIZE, so the default is the limit.
    if (length > DEFAULT_MAX_FRAME_SIZE) {
      throw new ConnectionErrorException(FRAME_SIZE_ERROR, typeName(type) + " frame of " + length
          + " bytes exceeds SETTINGS_MAX_FRAME_SIZE " + DEFAULT_MAX_FRAME_SIZE);
    }
    if (!prefaceRead) {
      if (type != Http2FrameTypes.SETTINGS || (flags & FLAG_ACK) != 0) {
        throw new ConnectionErrorException(PROTOCOL_ERROR,
            "expected SETTINGS as the first frame but got " + typeName(type));
      }
      prefaceRead = true;
    }
    if (type != Http2FrameTypes.DATA) {
      handler.controlFrame();
    }
    switch (type) {
      case Http2FrameTypes.DATA:
        readData(handler, length, flags, streamId);
        break;
      case Http2FrameTypes.HEADERS:
        readHeaders(handler, length, flags, streamId);
        break;
      case Http2FrameTypes.PRIORITY:
        readPriority(length, streamId);
        break;
      case Http2FrameTypes.RST_STREAM:
        readRstStream(handler, length, streamId);
        break;
      case Http2FrameTypes.SETTINGS:
        readSettings(handler, length, flags, streamId);
        break;
      case Http2FrameTypes.PUSH_PROMISE:
        throw new ConnectionErrorException(PROTOCOL_ERROR,
            "PUSH_PROMISE received although SETTINGS_ENABLE_PUSH is 0");
      case Http2FrameTypes.PING:
        readPing(handler, length, flags, streamId);
        break;
      case Http2FrameTypes.GO_AWAY:
        readGoAway(handler, length, streamId);
        break;
      case Http2FrameTypes.WINDOW_UPDATE:
        readWindowUpdate(handler, length, streamId);
        break;
      case Http2FrameTypes.CONTINUATION:
        throw new ConnectionErrorException(PROTOCOL_ERROR, "CONTINUATION without a preceding HEADERS");
      default:
        source.skip(length); // Unknown frame types are ignored (RFC 9113 §4.1).
    }
    return true;
  }

  private void readData(Handler handler, int length, int flags, int streamId) throws IOException {
    if (streamId == 0) {
      throw new ConnectionErrorException(PROTOCOL_ERROR, "DATA frame on stream 0");
    }
    int padding = (flags & FLAG_PADDED) != 0 ? readPadLength(length) : 0;
    int dataLength = length - ((flags & FLAG_PADDED) != 0 ? 1 : 0) - padding;
    if (dataLength < 0) {
      throw new ConnectionErrorException(PROTOCOL_ERROR, "DATA padding of " + padding
          + " bytes exceeds the frame length " + length);
    }
    handler.data(streamId, (flags & FLAG_END_STREAM) != 0, source, dataLength, length);
    source.skip(padding);
  }

  private void readHeaders(Handler handler, int length, int flags, int streamId) throws IOException {
    if (streamId == 0) {
      throw new ConnectionErrorException(PROTOCOL_ERROR, "HEADERS frame on stream 0");
    }
    int remaining = length;
    int padding = 0;
    if ((flags & FLAG_PADDED) != 0) {
      padding = readPadLength(length);
      remaining--;
    }
    if ((flags & FLAG_PRIORITY) != 0) {
      if (remaining < 5) {
        throw new ConnectionErrorException(FRAME_SIZE_ERROR, "HEADERS frame too short for its priority");
      }
      source.skip(5);
      remaining -= 5;
    }
    if (padding > remaining) {
      throw new ConnectionErrorException(PROTOCOL_ERROR, "HEADERS padding of " + padding
          + " bytes exceeds the frame length " + length);
    }
    headerBlock.clear();
    source.readFully(headerBlock, remaining - padding);
    source.skip(padding);
    int nextFlags = flags;
    while ((nextFlags & FLAG_END_HEADERS) == 0) {
      source.require(Http2CodecUtil.FRAME_HEADER_LENGTH);
      int continuationLength = readMedium();
      int type = source.readByte() & 0xff;
      nextFlags = source.readByte() & 0xff;
      int continuationStreamId = source.readInt() & 0x7fffffff;
      if (type != Http2FrameTypes.CONTINUATION || continuationStreamId != streamId) {
        throw new ConnectionErrorException(PROTOCOL_ERROR, "expected CONTINUATION for stream "
            + streamId + " but got " + typeName(type) + " for stream " + continuationStreamId);
      }
      if (continuationLength > DEFAULT_MAX_FRAME_SIZE) {
        throw new ConnectionErrorException(FRAME_SIZE_ERROR, "CONTINUATION frame of "
            + continuationLength + " bytes exceeds SETTINGS_MAX_FRAME_SIZE " + DEFAULT_MAX_FRAME_SIZE);
      }
      if (headerBlock.size() + continuationLength > maxHeaderBlockBytes) {
        throw new ConnectionErrorException(ErrorCodes.ENHANCE_YOUR_CALM, "header block on stream "
            + streamId + " exceeds " + maxHeaderBlockBytes + " bytes");
      }
      source.readFully(headerBlock, continuationLength);
    }
    HpackReader.Fields fields = hpack.decode(streamId, headerBlock);
    handler.headers(streamId, (flags & FLAG_END_STREAM) != 0, fields);
  }

  private void readPriority(int length, int streamId) throws IOException {
    if (streamId == 0) {
      throw new ConnectionErrorException(PROTOCOL_ERROR, "PRIORITY frame on stream 0");
    }
    source.skip(length);
    if (length != 5) {
      throw new StreamErrorException(streamId, FRAME_SIZE_ERROR,
          "PRIORITY frame of " + length + " bytes, expected 5");
    }
  }

  private void readRstStream(Handler handler, int length, int streamId) throws IOException {
    if (length != 4) {
      throw new ConnectionErrorException(FRAME_SIZE_ERROR, "RST_STREAM frame of " + length + " bytes, expected 4");
    }
    if (streamId == 0) {
      throw new ConnectionErrorException(PROTOCOL_ERROR, "RST_STREAM frame on stream 0");
    }
    handler.rstStream(streamId, source.readInt() & 0xffffffffL);
  }

  private void readSettings(Handler handler, int length, int flags, int streamId) throws IOException {
    if (streamId != 0) {
      throw new ConnectionErrorException(PROTOCOL_ERROR, "SETTINGS frame on stream " + streamId);
    }
    if ((flags & FLAG_ACK) != 0) {
      if (length != 0) {
        throw new ConnectionErrorException(FRAME_SIZE_ERROR, "SETTINGS ACK with a payload of " + length + " bytes");
      }
      handler.settingsAck();
      return;
    }
    if (length % Http2CodecUtil.SETTING_ENTRY_LENGTH != 0) {
      throw new ConnectionErrorException(FRAME_SIZE_ERROR, "SETTINGS frame of " + length
          + " bytes is not a multiple of 6");
    }
    Settings settings = new Settings();
    for (int i = 0; i < length; i += Http2CodecUtil.SETTING_ENTRY_LENGTH) {
      int id = source.readShort() & 0xffff;
      long value = source.readInt() & 0xffffffffL;
      checkSetting(id, value);
      settings.set(id, value);
    }
    handler.settings(settings);
  }

  private static void checkSetting(int id, long value) throws ConnectionErrorException {
    if (id == Settings.ENABLE_PUSH && value != 0) {
      throw new ConnectionErrorException(PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH " + value + " from a server");
    }
    if (id == Settings.ENABLE_CONNECT_PROTOCOL && value > 1) {
      throw new ConnectionErrorException(PROTOCOL_ERROR, "SETTINGS_ENABLE_CONNECT_PROTOCOL " + value
          + " is neither 0 nor 1");
    }
    if (id == Settings.INITIAL_WINDOW_SIZE && value > MAX_WINDOW_SIZE) {
      throw new ConnectionErrorException(FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE " + value
          + " exceeds 2^31-1");
    }
    if (id == Settings.MAX_FRAME_SIZE && (value < Http2CodecUtil.MAX_FRAME_SIZE_LOWER_BOUND
        || value > Http2CodecUtil.MAX_FRAME_SIZE_UPPER_BOUND)) {
      throw new ConnectionErrorException(PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE " + value
          + " is outside [16384, 16777215]");
    }
  }

  private void readPing(Handler handler, int length, int flags, int streamId) throws IOException {
    if (length != Http2CodecUtil.PING_FRAME_PAYLOAD_LENGTH) {
      throw new ConnectionErrorException(FRAME_SIZE_ERROR, "PING frame of " + length + " bytes, expected 8");
    }
    if (streamId != 0) {
      throw new ConnectionErrorException(PROTOCOL_ERROR, "PING frame on stream " + streamId);
    }
    handler.ping((flags & FLAG_ACK) != 0, source.readLong());
  }

  private void readGoAway(Handler handler, int length, int streamId) throws IOException {
    if (length < 8) {
      throw new ConnectionErrorException(FRAME_SIZE_ERROR, "GOAWAY frame of " + length + " bytes, expected at least 8");
    }
    if (streamId != 0) {
      throw new ConnectionErrorException(PROTOCOL_ERROR, "GOAWAY frame on stream " + streamId);
    }
    int lastStreamId = source.readInt() & 0x7fffffff;
    long errorCode = source.readInt() & 0xffffffffL;
    ByteString debugData = length > 8 ? source.readByteString(length - 8) : ByteString.EMPTY;
    handler.goAway(lastStreamId, errorCode, debugData);
  }

  private void readWindowUpdate(Handler handler, int length, int streamId) throws IOException {
    if (length != 4) {
      throw new ConnectionErrorException(FRAME_SIZE_ERROR, "WINDOW_UPDATE frame of " + length + " bytes, expected 4");
    }
    long increment = source.readInt() & 0x7fffffffL;
    if (increment == 0) {
      if (streamId == 0) {
        throw new ConnectionErrorException(PROTOCOL_ERROR, "WINDOW_UPDATE with an increment of 0");
      }
      throw new StreamErrorException(streamId, PROTOCOL_ERROR, "WINDOW_UPDATE with an increment of 0");
    }
    handler.windowUpdate(streamId, increment);
  }

  private int readPadLength(int length) throws IOException {
    if (length < 1) {
      throw new ConnectionErrorException(FRAME_SIZE_ERROR, "padded frame without a pad length");
    }
    return source.readByte() & 0xff;
  }

  private int readMedium() throws IOException {
    return (source.readByte() & 0xff) << 16 | (source.readByte() & 0xff) << 8 | (source.readByte() & 0xff);
  }

  static String typeName(int type) {
    switch (type) {
      case Http2FrameTypes.DATA: return "DATA";
      case Http2FrameTypes.HEADERS: return "HEADERS";
      case Http2FrameTypes.PRIORITY: return "PRIORITY";
      case Http2FrameTypes.RST_STREAM: return "RST_STREAM";
      case Http2FrameTypes.SETTINGS: return "SETTINGS";
      case Http2FrameTypes.PUSH_PROMISE: return "PUSH_PROMISE";
      case Http2FrameTypes.PING: return "PING";
      case Http2FrameTypes.GO_AWAY: return "GOAWAY";
      case Http2FrameTypes.WINDOW_UPDATE: return "WINDOW_UPDATE";
      case Http2FrameTypes.CONTINUATION: return "CONTINUATION";
      default: return "type 0x" + Integer.toHexString(type);
    }
  }
}
