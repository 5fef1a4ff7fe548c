package dev.courier.http1.toolkit;

import dev.courier.Headers;
import dev.courier.HttpUrl;
import dev.courier.Request;
import okio.Buffer;

/**
 * Encodes HTTP/1.x request lines and header fields (RFC 9112 §3 and §5) straight into a
 * connection's write buffer, without intermediate strings.
 *
 * <p>A request head is {@link #writeRequestLine}, then the fields ({@link
 * #writeFieldsAndFraming}, which also decides how the body is framed, or {@link #writeFields}
 * and {@link #writeField}), then {@link #writeEnd}. Names and values are written as
 * given: {@link Headers} and {@link Request} already refuse CR, LF and NUL, so nothing written here
 * can split a line. Stateless; thread-safe.
 */
public final class RequestHeadWriter {
  /** The version token of HTTP/1.1 request lines. */
  public static final String HTTP_1_1 = "HTTP/1.1";
  /** The version token of HTTP/1.0 request lines. */
  public static final String HTTP_1_0 = "HTTP/1.0";

  private RequestHeadWriter() {}

  /**
   * Writes {@code request}'s HTTP/1.1 request line and all its header fields, ending with the
   * empty line. The request's framing fields are written as given; a codec that frames the body
   * itself uses the finer methods instead.
   *
   * @param absoluteForm true to send the whole URL as the target, as a plain-text HTTP proxy
   *     expects; false to send the path and query (origin form)
   */
  public static void write(Buffer buffer, Request request, boolean absoluteForm) {
    writeRequestLine(buffer, request.method(), request.url(), absoluteForm, HTTP_1_1);
    writeFields(buffer, request.headers());
    writeEnd(buffer);
  }

  /**
   * Writes a request line such as {@code GET /path?query HTTP/1.1} and its CRLF. The target never
   * carries the URL's user info or fragment (RFC 9110 §4.2.4).
   *
   * @param absoluteForm true to send {@code scheme://host[:port]/path?query}, as a plain-text HTTP
   *     proxy expects; false for the path and query alone
   * @param version the version token, such as {@link #HTTP_1_1} or {@link #HTTP_1_0}
   */
  public static void writeRequestLine(Buffer buffer, String method, HttpUrl url,
      boolean absoluteForm, String version) {
    buffer.writeUtf8(method).writeByte(' ');
    if (absoluteForm) {
      writeOrigin(buffer, url);
    }
    buffer.writeUtf8(url.encodedPath());
    String query = url.encodedQuery();
    if (query != null) {
      buffer.writeByte('?').writeUtf8(query);
    }
    buffer.writeByte(' ').writeUtf8(version).writeByte('\r').writeByte('\n');
  }

  /**
   * Writes each field of {@code headers} as a {@code name: value} line, in order.
   *
   * @throws IllegalArgumentException if a name is empty
   */
  public static void writeFields(Buffer buffer, Headers headers) {
    for (int i = 0, size = headers.size(); i < size; i++) {
      writeHeadersField(buffer, headers.name(i), headers.value(i));
    }
  }

  /**
   * Writes {@code request}'s header fields and the framing fields its body needs, and returns that
   * framing: {@link BodyFraming#NONE} without a body (fields written as given);
   * {@link BodyFraming#CHUNKED} when {@code contentLength} is -1 or the request asks for chunked
   * coding; else {@link BodyFraming#FIXED_LENGTH}. With a body, the request's own
   * {@code Content-Length} and {@code Transfer-Encoding} fields are replaced by
   * {@code Transfer-Encoding: chunked} or {@code Content-Length: contentLength}, so the head always
   * matches the framing the returned value's {@link BodyFraming#newSink sink} applies.
   *
   * @param contentLength the body's length, or -1 if unknown; ignored without a body
   */
  public static BodyFraming writeFieldsAndFraming(Buffer buffer, Request request,
      long contentLength) {
    Headers headers = request.headers();
    if (request.body() == null) {
      writeFields(buffer, headers);
      return BodyFraming.NONE;
    }
    for (int i = 0, size = headers.size(); i < size; i++) {
      String name = headers.name(i);
      if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Transfer-Encoding")) {
        writeHeadersField(buffer, name, headers.value(i));
      }
    }
    if (contentLength == -1L || Framing.isChunked(headers)) {
      writeField(buffer, "Transfer-Encoding", "chunked");
      return BodyFraming.CHUNKED;
    }
    writeField(buffer, "Content-Length", contentLength);
    return BodyFraming.FIXED_LENGTH;
  }

  /**
   * Writes one {@code name: value} field line.
   *
   * @throws IllegalArgumentException if the name or value holds CR, LF or NUL, or the name is
   *     empty: such a line would end early or smuggle another field
   */
  public static void writeField(Buffer buffer, String name, String value) {
    if (name.isEmpty() || hasLineBreakOrNul(name) || hasLineBreakOrNul(value)) {
      throw new IllegalArgumentException("Refusing to write field '" + name
          + "': an empty name, or CR, LF or NUL in its name or value");
    }
    writeLine(buffer, name, value);
  }

  /** Writes a {@code name: decimal} field line, such as {@code Content-Length: 42}. */
  public static void writeField(Buffer buffer, String name, long decimal) {
    buffer.writeUtf8(name).writeByte(':').writeByte(' ')
        .writeDecimalLong(decimal).writeByte('\r').writeByte('\n');
  }

  /** Writes the empty line that ends a header section. */
  public static void writeEnd(Buffer buffer) {
    buffer.writeByte('\r').writeByte('\n');
  }

  /**
   * Writes {@code scheme://host[:port]}. User info is never sent in a target, nor is the fragment
   * (RFC 9110 §4.2.4).
   */
  private static void writeOrigin(Buffer buffer, HttpUrl url) {
    String scheme = url.scheme();
    buffer.writeUtf8(scheme).writeUtf8("://");
    String host = url.host();
    if (host.indexOf(':') != -1) {
      buffer.writeByte('[').writeUtf8(host).writeByte(']');
    } else {
      buffer.writeUtf8(host);
    }
    if (url.port() != HttpUrl.defaultPort(scheme)) {
      buffer.writeByte(':').writeDecimalLong(url.port());
    }
  }

  /**
   * Writes a field of a {@link Headers}, which never holds CR, LF or NUL: only an empty name (which
   * a lenient field may have) is left to refuse, so the field is not scanned again.
   */
  private static void writeHeadersField(Buffer buffer, String name, String value) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("Refusing to write field '': an empty name");
    }
    writeLine(buffer, name, value);
  }

  private static void writeLine(Buffer buffer, String name, String value) {
    buffer.writeUtf8(name).writeByte(':').writeByte(' ')
        .writeUtf8(value).writeByte('\r').writeByte('\n');
  }

  /** Returns true if {@code s} holds CR, LF or NUL; the JDK's scans, compiled early, do the work. */
  private static boolean hasLineBreakOrNul(String s) {
    return s.indexOf('\r') != -1 || s.indexOf('\n') != -1 || s.indexOf('\0') != -1;
  }
}
