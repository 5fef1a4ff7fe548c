package dev.courier.http2.internal;

import dev.courier.testing.Http2FramePeer;
import java.io.IOException;
import okio.Buffer;
import okio.ByteString;

/**
 * Plays an HTTP/2 server frame by frame over a real loopback socket, so the codec's tests can
 * script exact frames, including ones that break the protocol: the shared {@link Http2FramePeer},
 * named for these tests.
 */
final class Http2TestPeer extends Http2FramePeer {
  /** The PADDED flag of DATA and HEADERS. */
  static final int PADDED = 0x8;

  Http2TestPeer() throws IOException {}

  /** Chooses which DATA frames of a body {@link #writeBodyInFrames} pads, and by how much. */
  @FunctionalInterface
  interface Padding {
    /** Pads no frame. */
    Padding NONE = (frameIndex, size) -> -1;

    /**
     * Returns the number of padding bytes for frame {@code frameIndex} (from 0) carrying
     * {@code size} bytes of the body, or -1 to send it without the PADDED flag.
     */
    int of(int frameIndex, int size);
  }

  /**
   * Writes {@code body} on {@code streamId} as DATA frames of {@code frameSizes} in turn (the last
   * cut short to the end of the body), END_STREAM on the last, each padded as {@code padding}
   * says: a pad length, the data, then that many zero bytes that must never reach the body.
   */
  void writeBodyInFrames(int streamId, byte[] body, int[] frameSizes, Padding padding)
      throws IOException {
    int offset = 0;
    for (int i = 0; offset < body.length; i++) {
      int size = Math.min(frameSizes[i % frameSizes.length], body.length - offset);
      int endStream = offset + size == body.length ? END_STREAM : 0;
      ByteString payload = ByteString.of(body, offset, size);
      int padLength = padding.of(i, size);
      if (padLength >= 0) {
        Buffer padded = new Buffer().writeByte(padLength).write(payload).write(new byte[padLength]);
        writeFrame(DATA, PADDED | endStream, streamId, padded.readByteString());
      } else {
        writeFrame(DATA, endStream, streamId, payload);
      }
      offset += size;
    }
  }

  /**
   * Writes {@code byteCount} zero bytes on {@code streamId} as DATA frames of at most 16 KiB, the
   * default largest, without END_STREAM: a body still going on, such as one filling a window.
   */
  void writeZeros(int streamId, int byteCount) throws IOException {
    for (int sent = 0; sent < byteCount; sent += 16_384) {
      writeData(streamId, false, ByteString.of(new byte[Math.min(16_384, byteCount - sent)]));
    }
  }
}
