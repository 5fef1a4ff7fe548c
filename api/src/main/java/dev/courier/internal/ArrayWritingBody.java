package dev.courier.internal;

import java.io.IOException;
import okio.BufferedSink;

/**
 * A request body that can write its content from arrays straight to the sink under the buffered
 * sink it is given, skipping okio's segments: Courier's file and large byte-array bodies. The
 * client calls {@link #writeTo(BufferedSink, ArrayWritable)} instead of {@link
 * dev.courier.RequestBody#writeTo(BufferedSink)} when the connection can take such writes; the
 * content written is the same either way.
 */
public interface ArrayWritingBody {
  /**
   * Writes the content as {@link dev.courier.RequestBody#writeTo(BufferedSink)} does, to {@code
   * sink} or, once {@code sink} is emitted, straight to {@code unbuffered}, the sink that {@code
   * sink} buffers. Writes to one never reorder bytes written to the other.
   *
   * @throws IOException as the body's writes do
   */
  void writeTo(BufferedSink sink, ArrayWritable unbuffered) throws IOException;
}
