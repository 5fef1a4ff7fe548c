package dev.courier.http2.internal;

import dev.courier.Headers;
import java.net.ProtocolException;

/**
 * Validates received header blocks as a response head or trailers (RFC 9113 §8.1.1, §8.2, §8.3.2)
 * and turns them into {@link Headers}. A malformed block is a stream error: the caller resets the
 * stream with PROTOCOL_ERROR and reports the {@link ProtocolException}.
 */
final class ResponseHeaders {
  private ResponseHeaders() {}

  /** A response head: the :status code and the regular fields. */
  record Head(int code, Headers headers) {}

  /**
   * Returns the head in {@code fields}.
   *
   * @throws ProtocolException if :status is missing, duplicated or not three digits, or a field is malformed
   */
  static Head parseHead(HpackReader.Fields fields, String host) throws ProtocolException {
    int code = -1;
    boolean regularSeen = false;
    Headers.Builder headers = new Headers.Builder();
    for (int i = 0, size = fields.size(); i < size; i++) {
      String name = fields.name(i);
      String value = fields.value(i);
      if (name.startsWith(":")) {
        if (regularSeen) {
          throw malformed(host, "pseudo-header " + name + " follows regular fields");
        }
        if (!name.equals(":status")) {
          throw malformed(host, "unexpected pseudo-header " + name + " in a response");
        }
        if (code != -1) {
          throw malformed(host, "duplicate :status");
        }
        code = parseStatus(value, host);
      } else {
        regularSeen = true;
        checkField(name, value, host);
        headers.addLenient(name, value);
      }
    }
    if (code == -1) {
      throw malformed(host, "no :status pseudo-header");
    }
    return new Head(code, headers.build());
  }

  /**
   * Returns the trailers in {@code fields}.
   *
   * @throws ProtocolException if they hold a pseudo-header or a malformed field
   */
  static Headers parseTrailers(HpackReader.Fields fields, String host) throws ProtocolException {
    Headers.Builder headers = new Headers.Builder();
    for (int i = 0, size = fields.size(); i < size; i++) {
      String name = fields.name(i);
      String value = fields.value(i);
      if (name.startsWith(":")) {
        throw malformed(host, "pseudo-header " + name + " in trailers");
      }
      checkField(name, value, host);
      headers.addLenient(name, value);
    }
    return headers.build();
  }

  private static int parseStatus(String value, String host) throws ProtocolException {
    if (value.length() != 3) {
      throw malformed(host, ":status is not three digits: " + value);
    }
    int code = 0;
    for (int i = 0; i < 3; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw malformed(host, ":status is not three digits: " + value);
      }
      code = code * 10 + (c - '0');
    }
    if (code < 100) {
      throw malformed(host, ":status out of range: " + value);
    }
    return code;
  }

  private static void checkField(String name, String value, String host) throws ProtocolException {
    if (name.isEmpty()) {
      throw malformed(host, "empty field name");
    }
    for (int i = 0, length = name.length(); i < length; i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        throw malformed(host, "field name is not lowercase: " + name);
      }
      if (c <= ' ' || c >= 0x7f || c == ':') {
        throw malformed(host, "invalid character 0x" + Integer.toHexString(c) + " in field name " + name);
      }
    }
    for (int i = 0, length = value.length(); i < length; i++) {
      char c = value.charAt(i);
      if (c == '\0' || c == '\r' || c == '\n') {
        throw malformed(host, "invalid character 0x" + Integer.toHexString(c) + " in the value of " + name);
      }
    }
    if (HpackWriter.RequestHeaders.isConnectionSpecific(name) && !name.equals("host")) {
      throw malformed(host, "connection-specific field " + name);
    }
    if (name.equals("te") && !value.equals("trailers")) {
      throw malformed(host, "te other than \"trailers\"");
    }
  }

  private static ProtocolException malformed(String host, String detail) {
    return new ProtocolException("malformed HTTP/2 response from " + host + ": " + detail);
  }
}
