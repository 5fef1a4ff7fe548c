package dev.courier;

import dev.courier.internal.ArrayReadable;
import dev.courier.internal.BodyInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Streams the content of a response from the server.
 *
 * <p>A body holds the connection until it is read to the end or closed, so every body must be
 * closed; {@link #bytes()} and {@link #string()} close it for you. A body can be read only once.
 * Courier reports bodies that were never closed as leaks.
 */
public abstract class ResponseBody implements Closeable {
  private static final ByteString UTF_8_BOM = ByteString.decodeHex("efbbbf");
  private static final ByteString UTF_16_BE_BOM = ByteString.decodeHex("feff");
  private static final ByteString UTF_16_LE_BOM = ByteString.decodeHex("fffe");
  private static final ByteString UTF_32_BE_BOM = ByteString.decodeHex("0000feff");
  private static final ByteString UTF_32_LE_BOM = ByteString.decodeHex("fffe0000");

  private Reader reader;

  /** Returns the content type, or null if the server sent none. */
  public abstract MediaType contentType();

  /** Returns the number of bytes in the body, or -1 if unknown. */
  public abstract long contentLength();

  /** Returns the source that reads the body. Calling it again returns the same source. */
  public abstract BufferedSource source();

  /**
   * Returns the body as a stream; closing the stream closes the body. A body read from the network
   * serves large reads (8 KiB or more, once {@link #source()}'s buffer is drained) straight into
   * the caller's array.
   */
  public final InputStream byteStream() {
    BufferedSource source = source();
    if (this instanceof ArrayReadable) {
      return new BodyInputStream(source, (ArrayReadable) this);
    }
    return source.inputStream();
  }

  /**
   * Reads the whole body into memory and closes it.
   *
   * @throws IOException if the body could not be read, or if it is shorter than its declared length
   */
  public final byte[] bytes() throws IOException {
    long contentLength = contentLength();
    try (BufferedSource source = source()) {
      // Read straight into the array: going through a ByteString would copy the content twice.
      byte[] result = source.readByteArray();
      checkLength(contentLength, result.length);
      return result;
    }
  }

  /** Reads the whole body into memory as a {@link ByteString} and closes it. */
  public final ByteString byteString() throws IOException {
    long contentLength = contentLength();
    try (BufferedSource source = source()) {
      ByteString result = source.readByteString();
      checkLength(contentLength, result.size());
      return result;
    }
  }

  private static void checkLength(long contentLength, long actual) throws IOException {
    if (contentLength != -1L && contentLength != actual) {
      throw new IOException("Content-Length (" + contentLength + ") and stream length (" + actual + ") disagree");
    }
  }

  /**
   * Reads the whole body as text and closes it. The charset is taken from a byte order mark
   * (UTF-8, UTF-16 or UTF-32, which is skipped), else from the content type, else UTF-8.
   */
  public final String string() throws IOException {
    try (BufferedSource source = source()) {
      Charset charset = charsetOf(source);
      return source.readString(charset);
    }
  }

  /**
   * Returns the body as a stream of characters, decoded as {@link #string()} decodes: by a byte
   * order mark (UTF-8, UTF-16 or UTF-32, which is skipped), else the content type's charset, else
   * UTF-8; malformed input reads as U+FFFD. The byte order mark is looked for at the first read,
   * so this method does not block. Calling it again returns the same reader; closing the reader
   * closes the body. Not thread-safe.
   */
  public final Reader charStream() {
    Reader result = reader;
    if (result == null) {
      result = new BomAwareReader(this);
      reader = result;
    }
    return result;
  }

  private Charset charsetOf(BufferedSource source) throws IOException {
    // UTF-32LE first: its mark starts with UTF-16LE's.
    if (source.rangeEquals(0, UTF_8_BOM)) {
      source.skip(UTF_8_BOM.size());
      return StandardCharsets.UTF_8;
    }
    if (source.rangeEquals(0, UTF_32_LE_BOM)) {
      source.skip(UTF_32_LE_BOM.size());
      return Charset.forName("UTF-32LE");
    }
    if (source.rangeEquals(0, UTF_32_BE_BOM)) {
      source.skip(UTF_32_BE_BOM.size());
      return Charset.forName("UTF-32BE");
    }
    if (source.rangeEquals(0, UTF_16_BE_BOM)) {
      source.skip(UTF_16_BE_BOM.size());
      return StandardCharsets.UTF_16BE;
    }
    if (source.rangeEquals(0, UTF_16_LE_BOM)) {
      source.skip(UTF_16_LE_BOM.size());
      return StandardCharsets.UTF_16LE;
    }
    MediaType type = contentType();
    return type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8);
  }

  /** Decodes the body with the charset found at the first read. */
  private static final class BomAwareReader extends Reader {
    private final ResponseBody body;
    private Reader delegate;
    private boolean closed;

    BomAwareReader(ResponseBody body) {
      this.body = body;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
      if (closed) {
        throw new IOException("Stream closed");
      }
      if (delegate == null) {
        BufferedSource source = body.source();
        delegate = new InputStreamReader(source.inputStream(), body.charsetOf(source));
      }
      return delegate.read(buffer, offset, length);
    }

    @Override
    public void close() throws IOException {
      closed = true;
      if (delegate != null) {
        delegate.close();
      } else {
        body.source().close();
      }
    }
  }

  /** Closes the body, releasing the connection if it was not read to the end. */
  @Override
  public void close() {
    try {
      source().close();
    } catch (IOException ignored) {
      // Closing a body is best-effort; the connection is dropped when its stream cannot be closed cleanly.
    }
  }

  /** Returns an in-memory body of {@code content} encoded as UTF-8 unless the type names a charset. */
  public static ResponseBody create(String content, MediaType contentType) {
    Charset charset = contentType == null ? StandardCharsets.UTF_8 : contentType.charset(StandardCharsets.UTF_8);
    return create(new Buffer().writeString(content, charset), contentType, -1L);
  }

  /** Returns an in-memory body of {@code content}. */
  public static ResponseBody create(byte[] content, MediaType contentType) {
    return create(new Buffer().write(content), contentType, content.length);
  }

  /** Returns a body that reads {@code source}, with the given type and length (-1 if unknown). */
  public static ResponseBody create(BufferedSource source, MediaType contentType, long contentLength) {
    long length = contentLength == -1L && source instanceof Buffer ? ((Buffer) source).size() : contentLength;
    return new ResponseBody() {
      @Override
      public MediaType contentType() {
        return contentType;
      }

      @Override
      public long contentLength() {
        return length;
      }

      @Override
      public BufferedSource source() {
        return source;
      }
    };
  }

  /** Returns an empty body with no content type. */
  public static ResponseBody empty() {
    return new EmptyBody();
  }

  /**
   * Holds no content. Most empty bodies (those of network, cache and prior responses) are never
   * read, so the source is made on first use only.
   */
  private static final class EmptyBody extends ResponseBody {
    // Guarded by this.
    private Buffer source;

    @Override
    public MediaType contentType() {
      return null;
    }

    @Override
    public long contentLength() {
      return 0L;
    }

    @Override
    public synchronized BufferedSource source() {
      if (source == null) {
        source = new Buffer();
      }
      return source;
    }

    @Override
    public void close() {
      // Closing an empty buffer does nothing, so an unread empty body has nothing to close.
    }
  }
}
