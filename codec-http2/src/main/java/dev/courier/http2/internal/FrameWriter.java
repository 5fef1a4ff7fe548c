package dev.courier.http2.internal;

import dev.courier.Headers;
import dev.courier.Request;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.io.IOException;
import okio.Buffer;
import okio.BufferedSink;
import okio.ByteString;

/**
 * Writes HTTP/2 frames to the peer. Every write holds {@link #lock()}; callers that must keep
 * several steps together (allocating a stream id and sending its HEADERS) hold it around them.
 * Lock order: this lock before the connection's state lock, never the other way. Writes are
 * buffered until {@link #flush()}.
 */
final class FrameWriter {
  private final WriterLock lock = new WriterLock();
  private final BufferedSink sink;
  private final HpackWriter hpack = new HpackWriter();
  private volatile int maxFrameSize = FrameReader.DEFAULT_MAX_FRAME_SIZE;

  FrameWriter(BufferedSink sink) {
    this.sink = sink;
  }

  /**
   * Returns the lock every write holds; take it to keep several writes together. Its outermost
   * release first writes what other threads queued for it.
   */
  WriterLock lock() {
    return lock;
  }

  /** Returns the largest DATA payload the peer accepts (its SETTINGS_MAX_FRAME_SIZE). */
  int maxDataLength() {
    return maxFrameSize;
  }

  /** Writes the client connection preface: the magic, our SETTINGS and a connection WINDOW_UPDATE. */
  void connectionPreface(Settings settings, long connectionWindowIncrement) throws IOException {
    lock.lock();
    try {
      sink.write(FrameReader.CONNECTION_PREFACE);
      settings(settings);
      if (connectionWindowIncrement > 0) {
        windowUpdate(0, connectionWindowIncrement);
      }
      sink.flush();
    } finally {
      lock.unlock();
    }
  }

  void settings(Settings settings) throws IOException {
    lock.lock();
    try {
      int count = settings.size();
      frameHeader(0, count * 6, Http2FrameTypes.SETTINGS, 0);
      Buffer buffer = sink.getBuffer();
      for (int i = 0; i < count; i++) {
        int id = settings.idAt(i);
        buffer.writeShort(id);
        buffer.writeInt((int) settings.get(id));
      }
      sink.emitCompleteSegments();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Acknowledges the peer's settings after applying the ones that change how we write: a new
   * maximum frame size and HPACK table size take effect before any later frame.
   */
  void applyAndAcknowledge(Settings peerSettings) throws IOException {
    lock.lock();
    try {
      if (peerSettings.isSet(Settings.MAX_FRAME_SIZE)) {
        maxFrameSize = (int) peerSettings.get(Settings.MAX_FRAME_SIZE);
      }
      if (peerSettings.isSet(Settings.HEADER_TABLE_SIZE)) {
        hpack.peerHeaderTableSize(peerSettings.get(Settings.HEADER_TABLE_SIZE));
      }
      frameHeader(0, 0, Http2FrameTypes.SETTINGS, FrameReader.FLAG_ACK);
      sink.flush();
    } finally {
      lock.unlock();
    }
  }

  void ping(boolean ack, long payload) throws IOException {
    lock.lock();
    try {
      frameHeader(0, 8, Http2FrameTypes.PING, ack ? FrameReader.FLAG_ACK : 0);
      sink.getBuffer().writeLong(payload);
      sink.flush();
    } finally {
      lock.unlock();
    }
  }

  void goAway(int lastStreamId, long errorCode, ByteString debugData) throws IOException {
    lock.lock();
    try {
      frameHeader(0, 8 + debugData.size(), Http2FrameTypes.GO_AWAY, 0);
      Buffer buffer = sink.getBuffer();
      buffer.writeInt(lastStreamId);
      buffer.writeInt((int) errorCode);
      buffer.write(debugData);
      sink.flush();
    } finally {
      lock.unlock();
    }
  }

  void windowUpdate(int streamId, long increment) throws IOException {
    lock.lock();
    try {
      frameHeader(streamId, 4, Http2FrameTypes.WINDOW_UPDATE, 0);
      sink.getBuffer().writeInt((int) increment);
      sink.emitCompleteSegments();
    } finally {
      lock.unlock();
    }
  }

  void rstStream(int streamId, long errorCode) throws IOException {
    lock.lock();
    try {
      frameHeader(streamId, 4, Http2FrameTypes.RST_STREAM, 0);
      sink.getBuffer().writeInt((int) errorCode);
      sink.emitCompleteSegments();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Encodes {@code request}'s head and writes it as HEADERS plus CONTINUATION frames as needed;
   * with a {@code connectProtocol} (else null) it is an extended CONNECT for that protocol
   * (RFC 8441 §4).
   */
  void headers(int streamId, boolean endStream, Request request, String connectProtocol)
      throws IOException {
    lock.lock();
    try {
      headerBlock(streamId, endStream, hpack.encode(streamId, request, connectProtocol));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Encodes {@code trailers} and writes them as HEADERS with END_STREAM, plus CONTINUATION frames
   * as needed (RFC 9113 §8.1).
   */
  void trailers(int streamId, Headers trailers) throws IOException {
    lock.lock();
    try {
      headerBlock(streamId, true, hpack.encodeTrailers(streamId, trailers));
    } finally {
      lock.unlock();
    }
  }

  /** Writes {@code block} as one HEADERS frame and as many CONTINUATION frames as the frame size needs. */
  private void headerBlock(int streamId, boolean endStream, ByteBuf block) throws IOException {
    int length = block.readableBytes();
    byte[] array = block.array();
    int offset = block.arrayOffset() + block.readerIndex();
    int frameSize = maxFrameSize;
    int first = Math.min(length, frameSize);
    int flags = (endStream ? FrameReader.FLAG_END_STREAM : 0)
        | (first == length ? FrameReader.FLAG_END_HEADERS : 0);
    frameHeader(streamId, first, Http2FrameTypes.HEADERS, flags);
    sink.getBuffer().write(array, offset, first);
    for (int written = first; written < length; ) {
      int next = Math.min(length - written, frameSize);
      int nextFlags = written + next == length ? FrameReader.FLAG_END_HEADERS : 0;
      frameHeader(streamId, next, Http2FrameTypes.CONTINUATION, nextFlags);
      sink.getBuffer().write(array, offset + written, next);
      written += next;
    }
    sink.emitCompleteSegments();
  }

  /** Moves {@code byteCount} bytes of {@code source} into one DATA frame; at most {@link #maxDataLength()}. */
  void data(int streamId, boolean endStream, Buffer source, int byteCount) throws IOException {
    lock.lock();
    try {
      frameHeader(streamId, byteCount, Http2FrameTypes.DATA, endStream ? FrameReader.FLAG_END_STREAM : 0);
      sink.getBuffer().write(source, byteCount);
      sink.emitCompleteSegments();
    } finally {
      lock.unlock();
    }
  }

  void flush() throws IOException {
    lock.lock();
    try {
      sink.flush();
    } finally {
      lock.unlock();
    }
  }

  private void frameHeader(int streamId, int length, int type, int flags) {
    Buffer buffer = sink.getBuffer();
    buffer.writeByte(length >>> 16);
    buffer.writeByte(length >>> 8);
    buffer.writeByte(length);
    buffer.writeByte(type);
    buffer.writeByte(flags);
    buffer.writeInt(streamId & 0x7fffffff);
  }
}
