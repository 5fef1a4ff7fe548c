package dev.courier;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import okio.Buffer;
import okio.BufferedSink;
import okio.ByteString;

/**
 * Sends HTML form fields as {@code application/x-www-form-urlencoded}, encoded as the WHATWG URL
 * Standard's form serializer does: each name and value is encoded in the form's charset (UTF-8
 * unless the builder names another), a space becomes {@code +}, ASCII letters, digits and {@code
 * *-._} stay as they are, and every other byte becomes {@code %XX}. A character the charset cannot
 * encode is sent as the HTML numeric reference {@code &#N;}, as browsers do. Fields are joined with
 * {@code &} in the order added.
 *
 * <p>The body is encoded once, when built: it is replayable, knows its length, and its content type
 * is {@code application/x-www-form-urlencoded} without a charset parameter, as browsers send it.
 * Instances are immutable and thread-safe.
 */
public final class FormBody extends RequestBody {
  private static final MediaType CONTENT_TYPE = MediaType.get("application/x-www-form-urlencoded");
  private static final String ASCII_PROBE = "azAZ09*-._%+&=;#";

  private final List<String> encodedNames;
  private final List<String> encodedValues;
  private final Charset charset;
  private final ByteString content;

  private FormBody(Builder builder) {
    this.encodedNames = List.copyOf(builder.names);
    this.encodedValues = List.copyOf(builder.values);
    this.charset = builder.charset;
    Buffer buffer = new Buffer();
    for (int i = 0; i < encodedNames.size(); i++) {
      if (i > 0) {
        buffer.writeByte('&');
      }
      buffer.writeUtf8(encodedNames.get(i)).writeByte('=').writeUtf8(encodedValues.get(i));
    }
    this.content = buffer.readByteString();
  }

  /** Returns the number of fields. */
  public int size() {
    return encodedNames.size();
  }

  /** Returns the name of field {@code index} as sent, percent-encoded. */
  public String encodedName(int index) {
    return encodedNames.get(index);
  }

  /** Returns the name of field {@code index}, decoded. */
  public String name(int index) {
    return decode(encodedNames.get(index));
  }

  /** Returns the value of field {@code index} as sent, percent-encoded. */
  public String encodedValue(int index) {
    return encodedValues.get(index);
  }

  /** Returns the value of field {@code index}, decoded. */
  public String value(int index) {
    return decode(encodedValues.get(index));
  }

  private String decode(String encoded) {
    return UrlPercentEncoding.decode(encoded, 0, encoded.length(), true, charset);
  }

  /** Returns the charset names and values are encoded in. */
  public Charset charset() {
    return charset;
  }

  /** Returns {@code application/x-www-form-urlencoded}. */
  @Override
  public MediaType contentType() {
    return CONTENT_TYPE;
  }

  /** Returns the exact number of bytes sent. */
  @Override
  public long contentLength() {
    return content.size();
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    sink.write(content);
  }

  /** Returns the encoded fields as sent. */
  @Override
  public String toString() {
    return "FormBody{" + content.utf8() + "}";
  }

  /**
   * Encodes {@code text} as the form serializer does; with {@code alreadyEncoded}, valid {@code %XX}
   * escapes and {@code +} are kept as they are.
   */
  static String encode(String text, Charset charset, boolean alreadyEncoded) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    CharsetEncoder encoder = charset.equals(StandardCharsets.UTF_8) ? null : charset.newEncoder();
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      int length = Character.charCount(codePoint);
      if (codePoint < 0x80) {
        char c = (char) codePoint;
        if (c == ' ') {
          out.append('+');
        } else if (isUnreserved(c)
            || (alreadyEncoded && (c == '+' || UrlPercentEncoding.isEscape(text, i, text.length())))) {
          out.append(c);
        } else {
          appendEscaped(out, new byte[] {(byte) c});
        }
      } else {
        if (Character.isSurrogate((char) codePoint)) {
          codePoint = 0xfffd; // An unpaired surrogate has no encoded form.
        }
        String character = new String(Character.toChars(codePoint));
        if (encoder != null && !encoder.canEncode(character)) {
          // ASCII only, so this does not recurse further.
          out.append(encode("&#" + codePoint + ";", charset, false));
        } else {
          appendEscaped(out, character.getBytes(charset));
        }
      }
      i += length;
    }
    return out.toString();
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '*' || c == '-' || c == '.' || c == '_';
  }

  private static void appendEscaped(StringBuilder out, byte[] bytes) {
    for (byte b : bytes) {
      out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
          .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
    }
  }

  /** Accumulates form fields; not thread-safe. */
  public static final class Builder {
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    private final Charset charset;

    /** Creates a builder that encodes names and values as UTF-8. */
    public Builder() {
      this(StandardCharsets.UTF_8);
    }

    /**
     * Creates a builder that encodes names and values in {@code charset}. As the WHATWG URL
     * Standard says, a charset that does not encode ASCII as itself (UTF-16, UTF-32) gives way to
     * UTF-8, since the form's delimiters must stay ASCII.
     */
    public Builder(Charset charset) {
      Objects.requireNonNull(charset, "charset == null");
      boolean asciiCompatible = Arrays.equals(ASCII_PROBE.getBytes(charset),
          ASCII_PROBE.getBytes(StandardCharsets.US_ASCII));
      this.charset = asciiCompatible ? charset : StandardCharsets.UTF_8;
    }

    /** Adds a field whose name and value are plain text, encoding them. */
    public Builder add(String name, String value) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, "value == null");
      names.add(encode(name, charset, false));
      values.add(encode(value, charset, false));
      return this;
    }

    /**
     * Adds a field whose name and value are already form-encoded: valid {@code %XX} escapes and
     * {@code +} are kept, anything else that may not appear as it is gets encoded (a lone {@code %}
     * becomes {@code %25}, {@code &} becomes {@code %26}).
     */
    public Builder addEncoded(String name, String value) {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, "value == null");
      names.add(encode(name, charset, true));
      values.add(encode(value, charset, true));
      return this;
    }

    /** Returns the form body; a form without fields is an empty body. */
    public FormBody build() {
      return new FormBody(this);
    }
  }
}
