package dev.courier.http1.toolkit;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import okio.Buffer;
import okio.BufferedSource;
import okio.Source;

/**
 * Reads a response body with chunked transfer coding (RFC 9112 §7.1): hexadecimal chunk sizes,
 * chunk extensions (ignored), the last chunk, then trailer fields, which are handed to the
 * listener at the end of the body. A chunk-size line may take at most
 * {@link Http1Limits#maxChunkSizeLineBytes()} of the trailer reader's limits, the trailer section
 * {@link Http1Limits#maxTrailerBytes()}. Not thread-safe.
 */
public final class ChunkedSource extends ResponseBodySource {
  private static final long NO_CHUNK_YET = -1L;

  private final HeadReader trailersReader;
  private final long chunkSizeLineLimitBytes;
  private long bytesRemainingInChunk = NO_CHUNK_YET;

  /**
   * Creates a chunked body source.
   *
   * @param peer names the server in error messages, such as {@code example.com:443}
   * @param trailersReader reads the trailer section; its limits apply to this body
   */
  public ChunkedSource(BufferedSource source, String peer, ExchangeStreamListener listener,
      HeadReader trailersReader) {
    this(source, null, peer, listener, trailersReader);
  }

  /**
   * Creates a chunked body source whose array reads of chunk data may bypass {@code source}'s
   * buffer through {@code unbufferedSource} (see {@link
   * ResponseBodySource#ResponseBodySource(BufferedSource, Source, String, ExchangeStreamListener)});
   * chunk-size lines and trailers are always read through {@code source}.
   *
   * @param unbufferedSource what {@code source} buffers, or null
   * @param peer names the server in error messages, such as {@code example.com:443}
   * @param trailersReader reads the trailer section; its limits apply to this body
   */
  public ChunkedSource(BufferedSource source, Source unbufferedSource, String peer,
      ExchangeStreamListener listener, HeadReader trailersReader) {
    super(source, unbufferedSource, peer, listener);
    this.trailersReader = trailersReader;
    this.chunkSizeLineLimitBytes = trailersReader.limits().maxChunkSizeLineBytes();
  }

  /**
   * {@inheritDoc}
   *
   * @throws ProtocolException if a chunk size is malformed, a chunk-size line or the trailer
   *     section exceeds its limit, or the stream ends mid-body
   */
  @Override
  protected long readFramed(Buffer sink, long byteCount) throws IOException {
    if (bytesRemainingInChunk == 0L || bytesRemainingInChunk == NO_CHUNK_YET) {
      if (!readChunkHeader()) {
        return -1L;
      }
    }
    return counted(source.read(sink, Math.min(byteCount, bytesRemainingInChunk)));
  }

  /**
   * {@inheritDoc}
   *
   * @throws ProtocolException if a chunk size is malformed, a chunk-size line or the trailer
   *     section exceeds its limit, or the stream ends mid-body
   */
  @Override
  protected int readFramed(byte[] sink, int offset, int byteCount) throws IOException {
    if (bytesRemainingInChunk == 0L || bytesRemainingInChunk == NO_CHUNK_YET) {
      if (!readChunkHeader()) {
        return -1;
      }
    }
    return (int) counted(readConnection(sink, offset, (int) Math.min(byteCount, bytesRemainingInChunk)));
  }

  private long counted(long read) throws ProtocolException {
    if (read == -1L) {
      throw unexpectedEnd();
    }
    bytesRemainingInChunk -= read;
    return read;
  }

  /**
   * Reads the CRLF closing the previous chunk (if any) and the next chunk-size line. Returns false
   * after reading the last chunk and the trailers.
   */
  private boolean readChunkHeader() throws IOException {
    try {
      if (bytesRemainingInChunk != NO_CHUNK_YET) {
        readChunkDataEnd();
      }
      source.require(1L);
      long size;
      try {
        size = source.readHexadecimalUnsignedLong();
      } catch (NumberFormatException e) {
        throw new ProtocolException("Malformed chunk size from " + peer + ": " + e.getMessage());
      }
      if (size < 0L) {
        throw new ProtocolException("Malformed chunk size from " + peer + ": 0x"
            + Long.toHexString(size) + " is too large");
      }
      skipChunkExtensions();
      if (size > 0L) {
        bytesRemainingInChunk = size;
        return true;
      }
    } catch (EOFException e) {
      throw unexpectedEnd();
    }
    bytesRemainingInChunk = 0L;
    endOfBody(trailersReader.readTrailers());
    return false;
  }

  private void readChunkDataEnd() throws IOException {
    byte b = source.readByte();
    if (b == '\r') {
      b = source.readByte();
    }
    if (b != '\n') {
      throw new ProtocolException("Expected CRLF after chunk data from " + peer
          + " but was 0x" + Integer.toHexString(b & 0xff));
    }
  }

  /** Skips what follows a chunk size up to the end of the line: whitespace and extensions. */
  private void skipChunkExtensions() throws IOException {
    long newline = source.indexOf((byte) '\n', 0L, chunkSizeLineLimitBytes);
    if (newline == -1L) {
      if (source.getBuffer().size() >= chunkSizeLineLimitBytes) {
        throw new ProtocolException("Chunk-size line from " + peer + " exceeded "
            + chunkSizeLineLimitBytes + " bytes");
      }
      throw new EOFException();
    }
    Buffer buffer = source.getBuffer();
    long i = 0L;
    while (i < newline && (buffer.getByte(i) == ' ' || buffer.getByte(i) == '\t')) {
      i++;
    }
    byte next = buffer.getByte(i);
    if (next != ';' && next != '\n' && !(next == '\r' && i == newline - 1)) {
      throw new ProtocolException("Malformed chunk size from " + peer
          + ": unexpected 0x" + Integer.toHexString(next & 0xff) + " after the size");
    }
    buffer.skip(newline + 1);
  }

  private ProtocolException unexpectedEnd() {
    return new ProtocolException("unexpected end of stream on " + peer + " in a chunked body");
  }
}
