package dev.courier;

import dev.courier.internal.ArrayWritable;
import dev.courier.internal.ArrayWritingBody;
import dev.courier.internal.LargeBufferPool;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import okio.BufferedSink;
import okio.ByteString;
import okio.Okio;
import okio.Source;

/**
 * Supplies the content of a request.
 *
 * <p>Bodies made by the {@code create} methods are replayable: they can be written any number of
 * times, so Courier may resend them on a fresh connection or a redirect. A body that reads from a
 * stream should override {@link #isOneShot()} to return true; Courier then never sends it twice.
 */
public abstract class RequestBody {
  /** Returns the content type, or null if none is known. */
  public abstract MediaType contentType();

  /** Returns the number of bytes {@link #writeTo} writes, or -1 if unknown (sent chunked). */
  public long contentLength() throws IOException {
    return -1L;
  }

  /** Writes the content to {@code sink}. */
  public abstract void writeTo(BufferedSink sink) throws IOException;

  /**
   * Returns the trailer fields to send after the content. Default {@link Headers#EMPTY}: no
   * trailers.
   *
   * <p>Courier calls this once per transmission, after {@link #writeTo} returned (for a duplex
   * body, when the body closes its sink), so trailers may depend on the content, such as a
   * checksum of it. Over HTTP/1.1 trailers need chunked framing: a body with trailers must report
   * a {@link #contentLength()} of -1, or closing its sink throws {@link
   * java.net.ProtocolException}. Over HTTP/2 they are sent as a final HEADERS frame that ends the
   * stream. Fields that may not appear in trailers (RFC 9110 §6.5.1), such as {@code
   * Content-Length}, {@code Transfer-Encoding}, {@code Host} or {@code Authorization}, make the
   * codec throw {@link java.net.ProtocolException} rather than send them.
   *
   * @throws IOException if the trailers cannot be computed; the request then fails
   */
  public Headers trailers() throws IOException {
    return Headers.EMPTY;
  }

  /**
   * Returns true if this body can be written only once. Courier will not retry or follow a redirect
   * with such a body once any of it was sent. Default false.
   */
  public boolean isOneShot() {
    return false;
  }

  /**
   * Returns true if this body may be written while the response is read (HTTP/2 only). Such a body
   * is handed its sink and writes on its own schedule; {@link #writeTo} must return promptly and the
   * sink be closed by the body when it is done. Default false.
   */
  public boolean isDuplex() {
    return false;
  }

  /** Returns a replayable body of {@code content} encoded with the charset of {@code contentType} (UTF-8 if none). */
  public static RequestBody create(String content, MediaType contentType) {
    Charset charset = StandardCharsets.UTF_8;
    MediaType type = contentType;
    if (contentType != null) {
      Charset declared = contentType.charset();
      if (declared == null) {
        type = MediaType.parse(contentType + "; charset=utf-8");
      } else {
        charset = declared;
      }
    }
    return create(content.getBytes(charset), type);
  }

  /** Returns a replayable body of {@code content}; the array is not copied and must not change. */
  public static RequestBody create(byte[] content, MediaType contentType) {
    return new ByteArrayBody(contentType, content);
  }

  /** Returns a replayable body of {@code content}. */
  public static RequestBody create(ByteString content, MediaType contentType) {
    return new Replayable(contentType, content::size, sink -> sink.write(content));
  }

  /**
   * Returns a replayable body that streams the contents of {@code file} each time it is written.
   * Over a cleartext HTTP/1.1 connection the file is read in 64 KiB blocks, each written straight
   * to the socket.
   */
  public static RequestBody create(File file, MediaType contentType) {
    return new FileBody(contentType, file);
  }

  /** A file's content, written through okio's buffer or in 64 KiB arrays straight below it. */
  private static final class FileBody extends RequestBody implements ArrayWritingBody {
    private final MediaType contentType;
    private final File file;

    FileBody(MediaType contentType, File file) {
      this.contentType = contentType;
      this.file = file;
    }

    @Override
    public MediaType contentType() {
      return contentType;
    }

    @Override
    public long contentLength() {
      return file.length();
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      try (Source source = Okio.source(file)) {
        sink.writeAll(source);
      }
    }

    @Override
    public void writeTo(BufferedSink sink, ArrayWritable unbuffered) throws IOException {
      try (FileInputStream in = new FileInputStream(file)) {
        sink.emit();
        byte[] block = LargeBufferPool.SHARED.borrow();
        try {
          for (int read; (read = in.read(block)) != -1; ) {
            unbuffered.write(block, 0, read);
          }
        } finally {
          LargeBufferPool.SHARED.giveBack(block);
        }
      }
    }
  }

  /** An array's content; a large one written straight below okio's buffer when it can be. */
  private static final class ByteArrayBody extends RequestBody implements ArrayWritingBody {
    /** Smaller arrays go through okio's buffer, as a small body's bytes always did. */
    private static final int DIRECT_WRITE_MIN_BYTES = 8192;

    private final MediaType contentType;
    private final byte[] content;

    ByteArrayBody(MediaType contentType, byte[] content) {
      this.contentType = contentType;
      this.content = content;
    }

    @Override
    public MediaType contentType() {
      return contentType;
    }

    @Override
    public long contentLength() {
      return content.length;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      sink.write(content);
    }

    @Override
    public void writeTo(BufferedSink sink, ArrayWritable unbuffered) throws IOException {
      if (content.length < DIRECT_WRITE_MIN_BYTES) {
        sink.write(content);
        return;
      }
      sink.emit();
      unbuffered.write(content, 0, content.length);
    }
  }

  /** Writes content that can be written again and again. */
  private interface ContentWriter {
    void writeTo(BufferedSink sink) throws IOException;
  }

  /** A body whose content can be written any number of times. */
  private static final class Replayable extends RequestBody {
    private final MediaType contentType;
    private final LongSupplier contentLength;
    private final ContentWriter writer;

    Replayable(MediaType contentType, LongSupplier contentLength, ContentWriter writer) {
      this.contentType = contentType;
      this.contentLength = contentLength;
      this.writer = writer;
    }

    @Override
    public MediaType contentType() {
      return contentType;
    }

    @Override
    public long contentLength() {
      return contentLength.getAsLong();
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      writer.writeTo(sink);
    }
  }
}
