package dev.courier;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import okio.Buffer;
import okio.BufferedSink;
import okio.ByteString;

/**
 * Sends several parts in one body, as RFC 2046 §5.1 frames them: each part is a boundary line, its
 * header fields, a blank line and its content; a closing boundary line ends the body. With type
 * {@link #FORM} it is an HTML form upload, {@code multipart/form-data} (RFC 7578), whose parts are
 * made by {@link Part#createFormData}.
 *
 * <p>Parts are streamed: {@link #writeTo} hands the connection's sink to each part's body in turn,
 * so a part made with {@link RequestBody#create(java.io.File, MediaType)} is read from the file as
 * it is sent and never held in memory whole. The length is known when every part knows its own,
 * else -1 and the body is sent chunked (HTTP/1.1). The body is one-shot when any part is. Parts
 * carry only the fields given to them and a {@code Content-Type} from their body; no {@code
 * Content-Length} (RFC 7578 §4.8 allows none in form data). Instances are immutable and
 * thread-safe if their parts' bodies are.
 */
public final class MultipartBody extends RequestBody {
  /** The default type, {@code multipart/mixed}: parts in order, of any kind (RFC 2046 §5.1.3). */
  public static final MediaType MIXED = MediaType.get("multipart/mixed");

  /** {@code multipart/alternative}: the same content in several forms (RFC 2046 §5.1.4). */
  public static final MediaType ALTERNATIVE = MediaType.get("multipart/alternative");

  /** {@code multipart/digest}: each part is a message (RFC 2046 §5.1.5). */
  public static final MediaType DIGEST = MediaType.get("multipart/digest");

  /** {@code multipart/parallel}: parts with no order (RFC 2046 §5.1.6). */
  public static final MediaType PARALLEL = MediaType.get("multipart/parallel");

  /** {@code multipart/form-data}: HTML form fields and file uploads (RFC 7578). */
  public static final MediaType FORM = MediaType.get("multipart/form-data");

  private static final ByteString CRLF = ByteString.encodeUtf8("\r\n");
  private static final ByteString DASH_DASH = ByteString.encodeUtf8("--");
  private static final ByteString COLON_SPACE = ByteString.encodeUtf8(": ");
  private static final long UNCOMPUTED = -2L;

  private final ByteString boundary;
  private final MediaType type;
  private final MediaType contentType;
  private final List<Part> parts;
  private volatile long contentLength = UNCOMPUTED;

  private MultipartBody(Builder builder) {
    this.boundary = ByteString.encodeUtf8(builder.boundary);
    this.type = builder.type;
    this.contentType = MediaType.get(type + "; boundary=" + parameterValue(builder.boundary));
    this.parts = List.copyOf(builder.parts);
  }

  /** Returns the type without the boundary, such as {@link #FORM}. */
  public MediaType type() {
    return type;
  }

  /** Returns the boundary that separates the parts. */
  public String boundary() {
    return boundary.utf8();
  }

  /** Returns the number of parts. */
  public int size() {
    return parts.size();
  }

  /** Returns part {@code index}. */
  public Part part(int index) {
    return parts.get(index);
  }

  /** Returns the parts, in order. */
  public List<Part> parts() {
    return parts;
  }

  /** Returns the type with its boundary, such as {@code multipart/form-data; boundary=...}. */
  @Override
  public MediaType contentType() {
    return contentType;
  }

  /**
   * Returns the number of bytes sent, or -1 if a part does not know its length. Computed once;
   * a part whose length changes afterwards (a file that grows) makes the sent body disagree.
   */
  @Override
  public long contentLength() throws IOException {
    long result = contentLength;
    if (result == UNCOMPUTED) {
      result = writeOrCount(null);
      contentLength = result;
    }
    return result;
  }

  /** Returns true if any part's body can be written only once. */
  @Override
  public boolean isOneShot() {
    for (Part part : parts) {
      if (part.body.isOneShot()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    writeOrCount(sink);
  }

  /**
   * Writes the body to {@code sink}, or with a null sink counts its bytes without writing any
   * content, returning -1 if a part's length is unknown.
   */
  private long writeOrCount(BufferedSink sink) throws IOException {
    Buffer framing = null;
    if (sink == null) {
      framing = new Buffer();
      sink = framing;
    }
    long contentBytes = 0L;
    for (Part part : parts) {
      sink.write(DASH_DASH).write(boundary).write(CRLF);
      for (int i = 0; i < part.headers.size(); i++) {
        sink.writeUtf8(part.headers.name(i)).write(COLON_SPACE).writeUtf8(part.headers.value(i)).write(CRLF);
      }
      MediaType partType = part.body.contentType();
      if (partType != null) {
        sink.writeUtf8("Content-Type").write(COLON_SPACE).writeUtf8(partType.toString()).write(CRLF);
      }
      sink.write(CRLF);
      if (framing != null) {
        long length = part.body.contentLength();
        if (length == -1L) {
          return -1L;
        }
        contentBytes += length;
      } else {
        part.body.writeTo(sink);
      }
      sink.write(CRLF);
    }
    sink.write(DASH_DASH).write(boundary).write(DASH_DASH).write(CRLF);
    return framing != null ? framing.size() + contentBytes : 0L;
  }

  /** Returns {@code boundary} as a parameter value: quoted unless it is a token. */
  private static String parameterValue(String boundary) {
    for (int i = 0; i < boundary.length(); i++) {
      if ("()<>@,;:\\\"/[]?={} ".indexOf(boundary.charAt(i)) != -1) {
        return '"' + boundary + '"';
      }
    }
    return boundary;
  }

  /** Holds one part of a multipart body: its header fields and its content. Immutable. */
  public static final class Part {
    private final Headers headers;
    private final RequestBody body;

    private Part(Headers headers, RequestBody body) {
      this.headers = headers;
      this.body = body;
    }

    /** Returns a part with no header fields but its body's {@code Content-Type}. */
    public static Part create(RequestBody body) {
      return create(Headers.EMPTY, body);
    }

    /**
     * Returns a part with {@code headers}, followed by its body's {@code Content-Type}.
     *
     * @throws IllegalArgumentException if the headers hold {@code Content-Type} (the body gives
     *     it) or {@code Content-Length}, or the body is duplex
     */
    public static Part create(Headers headers, RequestBody body) {
      Objects.requireNonNull(headers, "headers == null");
      Objects.requireNonNull(body, "body == null");
      if (headers.get("Content-Type") != null) {
        throw new IllegalArgumentException("Unexpected header: Content-Type (the part's body gives it)");
      }
      if (headers.get("Content-Length") != null) {
        throw new IllegalArgumentException("Unexpected header: Content-Length");
      }
      if (body.isDuplex()) {
        throw new IllegalArgumentException("A duplex body cannot be a part");
      }
      return new Part(headers, body);
    }

    /**
     * Returns a form field (RFC 7578 §4.2): {@code Content-Disposition: form-data; name="..."}
     * and {@code value} as UTF-8 text with no {@code Content-Type}, which a server reads as
     * {@code text/plain}.
     */
    public static Part createFormData(String name, String value) {
      return createFormData(name, null, RequestBody.create(value, null));
    }

    /**
     * Returns a form field with {@code body} as its content, such as a file upload: {@code
     * Content-Disposition: form-data; name="..."; filename="..."} and the body's {@code
     * Content-Type}. Non-ASCII names and file names are sent as UTF-8 (RFC 7578 §5.1.1); a
     * {@code "}, CR or LF in them is sent as {@code %22}, {@code %0D} or {@code %0A}, as browsers
     * do.
     *
     * @param fileName the file name to send, or null for a field that is not a file
     */
    public static Part createFormData(String name, String fileName, RequestBody body) {
      Objects.requireNonNull(name, "name == null");
      StringBuilder disposition = new StringBuilder("form-data; name=");
      appendQuoted(disposition, name);
      if (fileName != null) {
        disposition.append("; filename=");
        appendQuoted(disposition, fileName);
      }
      Headers headers = new Headers.Builder().add("Content-Disposition", disposition.toString()).build();
      return create(headers, body);
    }

    private static void appendQuoted(StringBuilder out, String text) {
      out.append('"');
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        switch (c) {
          case '\n':
            out.append("%0A");
            break;
          case '\r':
            out.append("%0D");
            break;
          case '"':
            out.append("%22");
            break;
          default:
            out.append(c);
            break;
        }
      }
      out.append('"');
    }

    /** Returns the part's header fields, without the {@code Content-Type} its body adds. */
    public Headers headers() {
      return headers;
    }

    /** Returns the part's content. */
    public RequestBody body() {
      return body;
    }
  }

  /**
   * Builds {@link MultipartBody}s; not thread-safe. Defaults: type {@link #MIXED}, a random
   * boundary.
   */
  public static final class Builder {
    private final String boundary;
    private MediaType type = MIXED;
    private final List<Part> parts = new ArrayList<>();

    /** Creates a builder with a random boundary (a UUID). */
    public Builder() {
      this(UUID.randomUUID().toString());
    }

    /**
     * Creates a builder with {@code boundary}, which must not occur in any part's content.
     *
     * @throws IllegalArgumentException if it is not 1 to 70 of the characters RFC 2046 §5.1.1
     *     allows (letters, digits, {@code '()+_,-./:=?} and space, but not a space last)
     */
    public Builder(String boundary) {
      Objects.requireNonNull(boundary, "boundary == null");
      if (boundary.isEmpty() || boundary.length() > 70 || boundary.endsWith(" ")) {
        throw new IllegalArgumentException("boundary must be 1 to 70 characters not ending in a space: \""
            + boundary + "\"");
      }
      for (int i = 0; i < boundary.length(); i++) {
        char c = boundary.charAt(i);
        boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || "'()+_,-./:=? ".indexOf(c) != -1;
        if (!allowed) {
          throw new IllegalArgumentException("Unexpected char 0x" + Integer.toHexString(c) + " at " + i
              + " in boundary: \"" + boundary + "\"");
        }
      }
      this.boundary = boundary;
    }

    /**
     * Sets the type, such as {@link #FORM}. Default {@link #MIXED}.
     *
     * @throws IllegalArgumentException if it is not a {@code multipart} type
     */
    public Builder setType(MediaType type) {
      Objects.requireNonNull(type, "type == null");
      if (!type.type().equals("multipart")) {
        throw new IllegalArgumentException("multipart != " + type);
      }
      this.type = type;
      return this;
    }

    /** Adds a part with {@code body} and no header fields of its own. */
    public Builder addPart(RequestBody body) {
      return addPart(Part.create(body));
    }

    /** Adds a part, as {@link Part#create(Headers, RequestBody)} makes it. */
    public Builder addPart(Headers headers, RequestBody body) {
      return addPart(Part.create(headers, body));
    }

    /** Adds a form field, as {@link Part#createFormData(String, String)} makes it. */
    public Builder addFormDataPart(String name, String value) {
      return addPart(Part.createFormData(name, value));
    }

    /** Adds a form field or file, as {@link Part#createFormData(String, String, RequestBody)} makes it. */
    public Builder addFormDataPart(String name, String fileName, RequestBody body) {
      return addPart(Part.createFormData(name, fileName, body));
    }

    /** Adds {@code part}. */
    public Builder addPart(Part part) {
      parts.add(Objects.requireNonNull(part, "part == null"));
      return this;
    }

    /**
     * Returns the body.
     *
     * @throws IllegalStateException if no part was added: RFC 2046 needs at least one
     */
    public MultipartBody build() {
      if (parts.isEmpty()) {
        throw new IllegalStateException("Multipart body must have at least one part.");
      }
      return new MultipartBody(this);
    }
  }
}
