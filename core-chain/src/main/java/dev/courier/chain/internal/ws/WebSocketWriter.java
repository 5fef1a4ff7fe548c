package dev.courier.chain.internal.ws;

import static dev.courier.chain.internal.ws.WebSocketProtocol.B0_FLAG_FIN;
import static dev.courier.chain.internal.ws.WebSocketProtocol.B0_FLAG_RSV1;
import static dev.courier.chain.internal.ws.WebSocketProtocol.B1_FLAG_MASK;
import static dev.courier.chain.internal.ws.WebSocketProtocol.OPCODE_CLOSE;
import static dev.courier.chain.internal.ws.WebSocketProtocol.OPCODE_CONTINUATION;
import static dev.courier.chain.internal.ws.WebSocketProtocol.PAYLOAD_BYTE_MAX;
import static dev.courier.chain.internal.ws.WebSocketProtocol.PAYLOAD_LONG;
import static dev.courier.chain.internal.ws.WebSocketProtocol.PAYLOAD_SHORT;
import static dev.courier.chain.internal.ws.WebSocketProtocol.PAYLOAD_SHORT_MAX;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;
import okio.Buffer;
import okio.BufferedSink;
import okio.ByteString;

/**
 * Writes client frames (RFC 6455 §5.2): every frame masked with a fresh key from the socket's
 * random source, messages longer than the fragment size split into a first frame and
 * continuation frames. Each frame is written and flushed whole under one lock, so that the writer
 * thread and a reader answering a protocol violation never interleave their frames.
 *
 * <p>When permessage-deflate was agreed, every non-empty text or binary message is compressed
 * whole, under the same lock, and its first frame sets RSV1 (RFC 7692 §6); control frames never
 * are. After {@link #close()} every write fails.
 */
final class WebSocketWriter {
  private final BufferedSink sink;
  private final Random random;
  private final int fragmentBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final byte[] maskKey = new byte[4];
  private final Buffer frame = new Buffer();
  /** Null unless permessage-deflate was agreed. Guarded by lock. */
  private final MessageDeflater deflater;
  private boolean closed;

  WebSocketWriter(BufferedSink sink, Random random, int fragmentBytes) {
    this(sink, random, fragmentBytes, null);
  }

  /** Creates a writer that compresses messages with {@code deflater}, if not null. */
  WebSocketWriter(BufferedSink sink, Random random, int fragmentBytes, MessageDeflater deflater) {
    this.sink = sink;
    this.random = random;
    this.fragmentBytes = fragmentBytes;
    this.deflater = deflater;
  }

  /**
   * Writes a text or binary message, compressed if permessage-deflate was agreed, in fragments of
   * at most the fragment size.
   */
  void writeMessage(int opcode, ByteString payload) throws IOException {
    // Hold the lock across the fragments: the compression context follows the message order.
    lock.lock();
    try {
      byte[] bytes = payload.toByteArray();
      int rsv = 0;
      if (deflater != null && bytes.length > 0) {
        checkOpen();
        bytes = deflater.deflate(bytes);
        rsv = B0_FLAG_RSV1;
      }
      int offset = 0;
      int frameOpcode = opcode | rsv;
      do {
        int length = Math.min(fragmentBytes, bytes.length - offset);
        boolean fin = offset + length == bytes.length;
        writeFrame(frameOpcode, fin, bytes, offset, length);
        offset += length;
        frameOpcode = OPCODE_CONTINUATION;
      } while (offset < bytes.length);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Frees the compressor's memory, waiting for a frame being written; later writes fail. Call it
   * once the streams are closed, so that no write is left blocking.
   */
  void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        if (deflater != null) {
          deflater.close();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("the WebSocket writer is closed");
    }
  }

  /** Writes a ping or pong frame; the payload is at most 125 bytes. */
  void writeControl(int opcode, ByteString payload) throws IOException {
    byte[] bytes = payload.toByteArray();
    writeFrame(opcode, true, bytes, 0, bytes.length);
  }

  /** Writes a close frame with {@code code} and {@code reason} (already checked). */
  void writeClose(int code, String reason) throws IOException {
    Buffer payload = new Buffer().writeShort(code);
    if (reason != null) {
      payload.writeUtf8(reason);
    }
    byte[] bytes = payload.readByteArray();
    writeFrame(OPCODE_CLOSE, true, bytes, 0, bytes.length);
  }

  private void writeFrame(int opcode, boolean fin, byte[] bytes, int offset, int length)
      throws IOException {
    lock.lock();
    try {
      checkOpen();
      frame.writeByte((fin ? B0_FLAG_FIN : 0) | opcode);
      if (length <= PAYLOAD_BYTE_MAX) {
        frame.writeByte(B1_FLAG_MASK | length);
      } else if (length <= PAYLOAD_SHORT_MAX) {
        frame.writeByte(B1_FLAG_MASK | PAYLOAD_SHORT);
        frame.writeShort(length);
      } else {
        frame.writeByte(B1_FLAG_MASK | PAYLOAD_LONG);
        frame.writeLong(length);
      }
      random.nextBytes(maskKey);
      frame.write(maskKey);
      // Mask in place: the caller's array is a copy made for this message.
      for (int i = 0; i < length; i++) {
        bytes[offset + i] ^= maskKey[i & 3];
      }
      frame.write(bytes, offset, length);
      sink.write(frame, frame.size());
      sink.flush();
    } finally {
      frame.clear();
      lock.unlock();
    }
  }
}
