package dev.courier.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Reads a buffered source as a stream, as okio's {@link BufferedSource#inputStream()} does, except
 * that a read of {@value #DIRECT_READ_MIN_BYTES} bytes or more made while the source's buffer is
 * empty goes straight into the caller's array through the {@link ArrayReadable} under the buffer:
 * one call and one copy instead of one per 8 KiB segment through every layer. Bytes already
 * buffered are always read first, so the two paths never reorder bytes. Closing the stream closes
 * the source. Not thread-safe.
 */
public final class BodyInputStream extends InputStream {
  /** The smallest read that bypasses the buffer: okio's segment size. */
  public static final int DIRECT_READ_MIN_BYTES = 8192;

  private final BufferedSource source;
  private final Buffer buffer;
  private final ArrayReadable below;
  private final InputStream buffered;

  /**
   * Creates a stream over {@code source}, whose large reads go to {@code below}, the readable
   * that delivers what follows {@code source}'s buffer.
   */
  public BodyInputStream(BufferedSource source, ArrayReadable below) {
    this.source = Objects.requireNonNull(source, "source == null");
    this.below = Objects.requireNonNull(below, "below == null");
    this.buffer = source.getBuffer();
    this.buffered = source.inputStream();
  }

  @Override
  public int read() throws IOException {
    return buffered.read();
  }

  /**
   * Reads up to {@code byteCount} bytes: from the source's buffer if it holds any, else, for a
   * read of at least {@value #DIRECT_READ_MIN_BYTES} bytes, straight from below it.
   *
   * @throws IOException if the stream is closed, or as the source's reads fail
   */
  @Override
  public int read(byte[] sink, int offset, int byteCount) throws IOException {
    if (byteCount >= DIRECT_READ_MIN_BYTES && buffer.size() == 0L && source.isOpen()) {
      Objects.checkFromIndexSize(offset, byteCount, sink.length);
      return below.read(sink, offset, byteCount);
    }
    return buffered.read(sink, offset, byteCount);
  }

  @Override
  public int available() throws IOException {
    return buffered.available();
  }

  /** Closes the source. */
  @Override
  public void close() throws IOException {
    buffered.close();
  }

  @Override
  public String toString() {
    return source + ".inputStream()";
  }
}
