package dev.courier.testing.internal;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads and writes raw HTTP/2 frames (RFC 9113 §4.1) on a stream pair, for a server that composes
 * every frame itself. Not thread-safe: one connection thread uses it.
 */
final class Http2FrameIo {
  static final int DATA = 0x0;
  static final int HEADERS = 0x1;
  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int PING = 0x6;
  static final int GOAWAY = 0x7;
  static final int WINDOW_UPDATE = 0x8;
  static final int CONTINUATION = 0x9;

  static final int FLAG_END_STREAM = 0x1;
  static final int FLAG_ACK = 0x1;
  static final int FLAG_END_HEADERS = 0x4;
  static final int FLAG_PADDED = 0x8;
  static final int FLAG_PRIORITY = 0x20;

  /** The largest frame payload the server accepts: the default SETTINGS_MAX_FRAME_SIZE. */
  private static final int MAX_FRAME_SIZE = 16_384;

  private static final byte[] CLIENT_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final DataInputStream in;
  private final OutputStream out;

  Http2FrameIo(InputStream in, OutputStream out) {
    this.in = new DataInputStream(in);
    this.out = out;
  }

  /**
   * Reads the client connection preface; returns false if the client closed before sending any
   * byte of it.
   *
   * @throws ProtocolException if the bytes are not the preface
   */
  boolean readPreface() throws IOException {
    byte[] preface = new byte[CLIENT_PREFACE.length];
    int first = in.read();
    if (first == -1) {
      return false;
    }
    preface[0] = (byte) first;
    in.readFully(preface, 1, preface.length - 1);
    if (!Arrays.equals(preface, CLIENT_PREFACE)) {
      throw new ProtocolException("not the HTTP/2 client preface");
    }
    return true;
  }

  /** Returns the next frame, or null if the client closed the connection between frames. */
  Frame read() throws IOException {
    int first = in.read();
    if (first == -1) {
      return null;
    }
    int length = (first << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedByte();
    int streamId = in.readInt() & 0x7fffffff;
    if (length > MAX_FRAME_SIZE) {
      throw new ProtocolException("frame of " + length + " bytes exceeds SETTINGS_MAX_FRAME_SIZE");
    }
    byte[] payload = new byte[length];
    try {
      in.readFully(payload);
    } catch (EOFException e) {
      throw new EOFException("client closed inside a frame of type " + type);
    }
    return new Frame(type, flags, streamId, payload);
  }

  /** Writes one frame and flushes it. */
  void write(int type, int flags, int streamId, byte[] payload) throws IOException {
    byte[] frame = new byte[9 + payload.length];
    ByteBuffer.wrap(frame)
        .put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length)
        .put((byte) type).put((byte) flags).putInt(streamId & 0x7fffffff)
        .put(payload);
    out.write(frame);
    out.flush();
  }

  void windowUpdate(int streamId, int increment) throws IOException {
    write(WINDOW_UPDATE, 0, streamId, ByteBuffer.allocate(4).putInt(increment).array());
  }

  /**
   * Holds one frame as read.
   *
   * @param type the frame type
   * @param flags the frame flags
   * @param streamId the stream identifier, reserved bit cleared
   * @param payload the payload, padding included
   */
  record Frame(int type, int flags, int streamId, byte[] payload) {
    boolean hasFlag(int flag) {
      return (flags & flag) != 0;
    }

    /** Returns the payload without padding and, for HEADERS, without the priority fields. */
    byte[] content() throws ProtocolException {
      int start = 0;
      int end = payload.length;
      if (hasFlag(FLAG_PADDED) && (type == DATA || type == HEADERS)) {
        if (payload.length == 0) {
          throw new ProtocolException("padded frame without a pad length");
        }
        start = 1;
        end -= payload[0] & 0xff;
      }
      if (type == HEADERS && hasFlag(FLAG_PRIORITY)) {
        start += 5;
      }
      if (end < start) {
        throw new ProtocolException("padding longer than the frame");
      }
      return Arrays.copyOfRange(payload, start, end);
    }
  }
}
