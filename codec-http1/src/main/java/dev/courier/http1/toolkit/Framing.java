package dev.courier.http1.toolkit;

import dev.courier.Headers;
import java.net.ProtocolException;

/**
 * Answers framing questions about HTTP/1 messages from their method, status and header fields
 * (RFC 9112 §6), without allocating. Stateless; thread-safe.
 */
public final class Framing {
  private Framing() {}

  /**
   * Returns true if a response with {@code code} to a {@code requestMethod} request may carry a
   * body: not for HEAD, 1xx, 204 or 304.
   */
  public static boolean responseMayHaveBody(String requestMethod, int code) {
    if (requestMethod.equals("HEAD")) {
      return false;
    }
    return code >= 200 && code != 204 && code != 304;
  }

  /** Returns true if the final transfer coding in {@code Transfer-Encoding} is chunked. */
  public static boolean isChunked(Headers headers) {
    String last = null;
    for (int i = 0, size = headers.size(); i < size; i++) {
      if (isName(headers.name(i), "Transfer-Encoding")) {
        last = headers.value(i);
      }
    }
    if (last == null) {
      return false;
    }
    int end = last.length();
    while (end > 0 && isWhitespace(last.charAt(end - 1))) {
      end--;
    }
    int start = last.lastIndexOf(',', end - 1) + 1;
    while (start < end && isWhitespace(last.charAt(start))) {
      start++;
    }
    return end - start == 7 && last.regionMatches(true, start, "chunked", 0, 7);
  }

  /** Returns true if a {@code Transfer-Encoding} field is present. */
  public static boolean hasTransferEncoding(Headers headers) {
    return headers.get("Transfer-Encoding") != null;
  }

  /**
   * Returns the {@code Content-Length}, or -1 if absent. Repeated fields, or a list of identical
   * values such as {@code 42, 42}, count as one (RFC 9110 §8.6).
   *
   * @param peer names the server in the error message
   * @throws ProtocolException if a value is not a non-negative decimal or the values disagree
   */
  public static long contentLength(Headers headers, String peer) throws ProtocolException {
    long result = -1L;
    for (int i = 0, size = headers.size(); i < size; i++) {
      if (!isName(headers.name(i), "Content-Length")) {
        continue;
      }
      String value = headers.value(i);
      int pos = 0;
      int length = value.length();
      do {
        int end = value.indexOf(',', pos);
        if (end == -1) {
          end = length;
        }
        long parsed = parseDecimal(value, pos, end);
        if (parsed == -1L || (result != -1L && parsed != result)) {
          throw new ProtocolException("Invalid Content-Length from " + peer + ": " + value);
        }
        result = parsed;
        pos = end + 1;
      } while (pos <= length);
    }
    return result;
  }

  /**
   * Returns true if a {@code Connection} field lists {@code token}, such as {@code close},
   * compared case-insensitively.
   */
  public static boolean hasConnectionToken(Headers headers, String token) {
    for (int i = 0, size = headers.size(); i < size; i++) {
      if (isName(headers.name(i), "Connection") && listContains(headers.value(i), token)) {
        return true;
      }
    }
    return false;
  }

  private static boolean listContains(String list, String token) {
    int pos = 0;
    int length = list.length();
    while (pos <= length) {
      int end = list.indexOf(',', pos);
      if (end == -1) {
        end = length;
      }
      int start = pos;
      while (start < end && isWhitespace(list.charAt(start))) {
        start++;
      }
      int stop = end;
      while (stop > start && isWhitespace(list.charAt(stop - 1))) {
        stop--;
      }
      if (stop - start == token.length() && list.regionMatches(true, start, token, 0, token.length())) {
        return true;
      }
      pos = end + 1;
    }
    return false;
  }

  /** Parses the decimal in [start, end) of {@code s}, ignoring surrounding whitespace; -1 if invalid. */
  private static long parseDecimal(String s, int start, int end) {
    while (start < end && isWhitespace(s.charAt(start))) {
      start++;
    }
    while (end > start && isWhitespace(s.charAt(end - 1))) {
      end--;
    }
    if (start == end || end - start > 18) {
      return -1L;
    }
    long result = 0L;
    for (int i = start; i < end; i++) {
      int digit = s.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1L;
      }
      result = result * 10 + digit;
    }
    return result;
  }

  /**
   * Returns true if {@code name} is {@code expected}, compared case-insensitively; a name of
   * another length, nearly every one, is passed over with one call instead of five.
   */
  private static boolean isName(String name, String expected) {
    return name == expected
        || (name.length() == expected.length() && name.equalsIgnoreCase(expected));
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }
}
