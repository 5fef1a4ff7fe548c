package dev.courier.logging.internal;

import dev.courier.MediaType;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import okio.Buffer;
import okio.GzipSource;

/**
 * Turns a captured body into log messages: its text when it is printable text within the limit,
 * then an END line; or only an END line that summarises it (byte count, encoding, content type)
 * when it is binary, too large, or in an encoding that cannot be decoded here.
 */
public final class BodyDescription {
  private static final Set<String> BINARY_TYPES = Set.of("image", "audio", "video", "font", "model");
  private static final Set<String> BINARY_SUBTYPES = Set.of("octet-stream", "zip", "gzip", "pdf", "protobuf",
      "x-protobuf", "grpc", "wasm", "vnd.ms-fontobject", "x-tar", "java-archive", "cbor", "msgpack");

  private BodyDescription() {}

  /**
   * Returns the messages for a complete body.
   *
   * @param end the END line's start, such as {@code --> END POST}
   * @param contentEncoding the {@code Content-Encoding} header, or null
   */
  public static List<String> describe(String end, BodyCapture capture, MediaType contentType, String contentEncoding) {
    List<String> messages = new ArrayList<>(2);
    long byteCount = capture.byteCount();
    String type = contentType == null ? "" : ", " + contentType;
    String encoding = contentEncoding == null || contentEncoding.equalsIgnoreCase("identity")
        ? null : contentEncoding.trim().toLowerCase(Locale.ROOT);
    if (byteCount == 0) {
      messages.add(end + " (0-byte body)");
      return messages;
    }
    String what = byteCount + "-byte " + (encoding == null ? "" : encoding + "-encoded ") + "body";
    if (capture.overLimit()) {
      messages.add(end + " (" + what + " omitted: over the " + capture.limitBytes() + "-byte limit" + type + ")");
      return messages;
    }
    if (isBinaryType(contentType)) {
      messages.add(end + " (binary " + what + " omitted" + type + ")");
      return messages;
    }
    Buffer content = capture.copy().clone();
    String decoded = "";
    if (encoding != null) {
      if (!encoding.equals("gzip")) {
        messages.add(end + " (" + what + " omitted" + type + ")");
        return messages;
      }
      try {
        content = gunzip(content, capture.limitBytes());
      } catch (IOException e) {
        messages.add(end + " (" + what + " omitted: it is not valid gzip" + type + ")");
        return messages;
      }
      if (content == null) {
        messages.add(end + " (" + what + " omitted: over the " + capture.limitBytes() + "-byte limit once decoded"
            + type + ")");
        return messages;
      }
      decoded = ", " + content.size() + " bytes decoded";
    }
    Charset charset = contentType == null ? StandardCharsets.UTF_8 : contentType.charset(StandardCharsets.UTF_8);
    String text = printableText(content, charset);
    if (text == null) {
      messages.add(end + " (binary " + what + " omitted" + type + ")");
      return messages;
    }
    messages.add(text);
    messages.add(end + " (" + what + decoded + ")");
    return messages;
  }

  private static boolean isBinaryType(MediaType contentType) {
    return contentType != null
        && (BINARY_TYPES.contains(contentType.type()) || BINARY_SUBTYPES.contains(contentType.subtype()));
  }

  /** Returns the decoded content, or null if it outgrows {@code limitBytes}. */
  private static Buffer gunzip(Buffer gzipped, long limitBytes) throws IOException {
    Buffer result = new Buffer();
    try (GzipSource source = new GzipSource(gzipped)) {
      while (source.read(result, 8192) != -1) {
        if (result.size() > limitBytes) {
          return null;
        }
      }
    } catch (EOFException e) {
      throw new IOException("truncated gzip", e);
    }
    return result;
  }

  /** Returns the content as text, or null if it is not valid in {@code charset} or holds control characters. */
  private static String printableText(Buffer content, Charset charset) {
    CharBuffer chars;
    try {
      chars = charset.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content.readByteArray()));
    } catch (CharacterCodingException e) {
      return null;
    }
    for (int i = 0; i < chars.length(); i++) {
      char c = chars.charAt(i);
      if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
        return null;
      }
    }
    return chars.toString();
  }
}
