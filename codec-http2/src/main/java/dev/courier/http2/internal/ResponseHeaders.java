package dev.courier.http2.internal;

import dev.courier.Headers;
import java.net.ProtocolException;
import java.util.function.Supplier;

/**
 * Validates received header blocks as a response head or trailers (RFC 9113 §8.1.1, §8.2, §8.3.2)
 * and turns them into {@link Headers}. A malformed block is a stream error: the caller resets the
 * stream with PROTOCOL_ERROR and reports the {@link ProtocolException}.
 */
final class ResponseHeaders {
  private ResponseHeaders() {}

  /**
   * A response head: the :status code, the regular fields, and the content-length (-1 if absent).
   */
  record Head(int code, Headers headers, long contentLength) {}

  /**
   * Returns the head in {@code fields}.
   *
   * @param peer names the peer (host:port, protocol, stream) in messages; asked only for one
   * @throws ProtocolException if :status is missing, duplicated or not three digits, a field is
   *     malformed, or content-length is not a number or repeated with different values
   */
  static Head parseHead(HpackReader.Fields fields, Supplier<String> peer) throws ProtocolException {
    int code = -1;
    long contentLength = -1;
    boolean regularSeen = false;
    Headers.Builder headers = new Headers.Builder();
    for (int i = 0, size = fields.size(); i < size; i++) {
      String name = fields.name(i);
      String value = fields.value(i);
      if (name.startsWith(":")) {
        if (regularSeen) {
          throw malformed(peer, "pseudo-header " + name + " follows regular fields");
        }
        if (!name.equals(":status")) {
          throw malformed(peer, "unexpected pseudo-header " + name + " in a response");
        }
        if (code != -1) {
          throw malformed(peer, "duplicate :status");
        }
        code = parseStatus(value, peer);
      } else {
        regularSeen = true;
        checkField(name, value, peer);
        if (name.equals("content-length")) {
          long length = parseContentLength(value, peer);
          if (contentLength != -1 && contentLength != length) {
            throw malformed(peer, "content-length repeated with different values");
          }
          contentLength = length;
        }
        headers.addLenient(name, value);
      }
    }
    if (code == -1) {
      throw malformed(peer, "no :status pseudo-header");
    }
    return new Head(code, headers.build(), contentLength);
  }

  /**
   * Returns the trailers in {@code fields}.
   *
   * @throws ProtocolException if they hold a pseudo-header or a malformed field
   */
  static Headers parseTrailers(HpackReader.Fields fields, Supplier<String> peer) throws ProtocolException {
    Headers.Builder headers = new Headers.Builder();
    for (int i = 0, size = fields.size(); i < size; i++) {
      String name = fields.name(i);
      String value = fields.value(i);
      if (name.startsWith(":")) {
        throw malformed(peer, "pseudo-header " + name + " in trailers");
      }
      checkField(name, value, peer);
      headers.addLenient(name, value);
    }
    return headers.build();
  }

  private static int parseStatus(String value, Supplier<String> peer) throws ProtocolException {
    if (value.length() != 3) {
      throw malformed(peer, ":status is not three digits: " + value);
    }
    int code = 0;
    for (int i = 0; i < 3; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw malformed(peer, ":status is not three digits: " + value);
      }
      code = code * 10 + (c - '0');
    }
    if (code < 100) {
      throw malformed(peer, ":status out of range: " + value);
    }
    return code;
  }

  /** Parses a content-length value: 1 to 18 digits, nothing else (RFC 9110 §8.6). */
  private static long parseContentLength(String value, Supplier<String> peer) throws ProtocolException {
    int length = value.length();
    if (length == 0 || length > 18) {
      throw malformed(peer, "invalid content-length: " + abbreviate(value));
    }
    long result = 0;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw malformed(peer, "invalid content-length: " + abbreviate(value));
      }
      result = result * 10 + (c - '0');
    }
    return result;
  }

  private static void checkField(String name, String value, Supplier<String> peer) throws ProtocolException {
    if (name.isEmpty()) {
      throw malformed(peer, "empty field name");
    }
    boolean uppercase = false;
    for (int i = 0, length = name.length(); i < length; i++) {
      char c = name.charAt(i);
      uppercase |= c >= 'A' && c <= 'Z';
      if (c <= ' ' || c >= 0x7f || c == ':') {
        // The name is not repeated: it may hold line breaks that would forge log lines.
        throw malformed(peer, "invalid character 0x" + Integer.toHexString(c) + " in a field name");
      }
    }
    if (uppercase) {
      throw malformed(peer, "field name is not lowercase: " + name);
    }
    for (int i = 0, length = value.length(); i < length; i++) {
      char c = value.charAt(i);
      if (c == '\0' || c == '\r' || c == '\n') {
        throw malformed(peer, "invalid character 0x" + Integer.toHexString(c) + " in the value of " + name);
      }
    }
    if (HpackWriter.RequestHeaders.isConnectionSpecific(name) && !name.equals("host")) {
      throw malformed(peer, "connection-specific field " + name);
    }
    if (name.equals("te") && !value.equals("trailers")) {
      throw malformed(peer, "te other than \"trailers\"");
    }
  }

  /** Returns {@code value}, cut short if long, for a message. */
  private static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }

  private static ProtocolException malformed(Supplier<String> peer, String detail) {
    return new ProtocolException("malformed HTTP/2 response from " + peer.get() + ": " + detail);
  }
}
