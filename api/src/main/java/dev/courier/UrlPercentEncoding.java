package dev.courier;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encodes and decodes the components of a URL.
 *
 * <p>Each component has an encode set: the printable ASCII characters that must be written as
 * {@code %XX} in that component. ASCII control characters (0x00–0x1F, 0x7F) and every non-ASCII
 * character are always encoded, the latter as the percent-encoded bytes of its UTF-8 form. The sets
 * for encoded text are the WHATWG URL Standard's percent-encode sets for special schemes, so a
 * parsed URL keeps what the standard keeps, such as a lone '%' or a '{' in a path. The sets for
 * decoded text add the characters that would otherwise be read back with another meaning.
 *
 * <p>A canonical string is not always text that {@link java.net.URI} accepts; {@link #uriSafe}
 * escapes the rest.
 *
 * <p>Canonicalizing returns the input itself (or a substring of it) when nothing needs encoding, so
 * the common case of an already-canonical URL allocates nothing beyond the substring.
 */
final class UrlPercentEncoding {
  /** The WHATWG query percent-encode set for special schemes (with '\'' added for them). */
  private static final String QUERY_SET = " \"#<>'";

  /** The WHATWG path percent-encode set. */
  private static final String PATH_SET = " \"#<>?^`{}";

  /** The encode set of a user name or password (the WHATWG userinfo percent-encode set). */
  static final boolean[] USERINFO = encodeSet(PATH_SET + "/:;=@[\\]|");

  /** The encode set of one path segment: a '/' or '\\' in it would split it. */
  static final boolean[] PATH_SEGMENT = encodeSet(PATH_SET + "/\\");

  /** The encode set of a whole query, where '&amp;' and '=' keep their meaning as delimiters. */
  static final boolean[] QUERY = encodeSet(QUERY_SET);

  /**
   * The encode set of a whole query given in decoded form: '+' is encoded so that it is not read
   * back as a space.
   */
  static final boolean[] QUERY_DECODED = encodeSet(QUERY_SET + "+");

  /** The encode set of an already-encoded query parameter name or value. */
  static final boolean[] QUERY_COMPONENT_ENCODED = encodeSet(QUERY_SET + "&=");

  /** The encode set of a decoded query parameter name or value. */
  static final boolean[] QUERY_COMPONENT = encodeSet(QUERY_SET + "&=+");

  /** The encode set of a fragment (the WHATWG fragment percent-encode set). */
  static final boolean[] FRAGMENT = encodeSet(" \"<>`");

  /**
   * What {@link java.net.URI} refuses in a path beyond the path encode set, and '%' for a lone one.
   */
  static final boolean[] URI_PATH = encodeSet("[\\]^`{|}");

  /** What {@link java.net.URI} refuses in a query or fragment, and '%' for a lone one. */
  static final boolean[] URI_QUERY = encodeSet(" \"#<>\\^`{|}");

  private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();

  private UrlPercentEncoding() {
  }

  /**
   * Returns the set of {@code printable}, the control characters, and '%', which {@link
   * #canonicalize} encodes only in decoded text.
   */
  private static boolean[] encodeSet(String printable) {
    boolean[] set = new boolean[128];
    set['%'] = true;
    for (int c = 0; c < 0x20; c++) {
      set[c] = true;
    }
    set[0x7f] = true;
    for (int i = 0; i < printable.length(); i++) {
      set[printable.charAt(i)] = true;
    }
    return set;
  }

  /**
   * Returns {@code input[pos..limit)} with every character in {@code encodeSet} percent-encoded.
   *
   * <p>If {@code alreadyEncoded} is true the input is encoded text and every '%' is kept as it is,
   * as the WHATWG URL Standard does. Otherwise the input is decoded text and every '%' becomes
   * {@code %25}.
   */
  static String canonicalize(
      String input, int pos, int limit, boolean[] encodeSet, boolean alreadyEncoded) {
    for (int i = pos; i < limit; i++) {
      char c = input.charAt(i);
      if (c >= 0x80 || (encodeSet[c] && !(c == '%' && alreadyEncoded))) {
        return encodeFrom(input, pos, limit, i, encodeSet, alreadyEncoded);
      }
    }
    return pos == 0 && limit == input.length() ? input : input.substring(pos, limit);
  }

  /** Returns all of {@code input}, canonicalized as {@link #canonicalize} does. */
  static String canonicalize(String input, boolean[] encodeSet, boolean alreadyEncoded) {
    return canonicalize(input, 0, input.length(), encodeSet, alreadyEncoded);
  }

  private static String encodeFrom(String input, int pos, int limit, int firstToEncode,
      boolean[] encodeSet, boolean alreadyEncoded) {
    StringBuilder out = new StringBuilder(limit - pos + 16);
    out.append(input, pos, firstToEncode);
    int i = firstToEncode;
    while (i < limit) {
      char c = input.charAt(i);
      if (c < 0x80) {
        if (c == '%' ? alreadyEncoded : !encodeSet[c]) {
          out.append(c);
        } else {
          appendEscapedByte(out, c);
        }
        i++;
        continue;
      }
      int codePoint = c;
      int length = 1;
      if (Character.isHighSurrogate(c) && i + 1 < limit
          && Character.isLowSurrogate(input.charAt(i + 1))) {
        codePoint = Character.toCodePoint(c, input.charAt(i + 1));
        length = 2;
      } else if (Character.isSurrogate(c)) {
        codePoint = 0xfffd; // An unpaired surrogate has no UTF-8 form.
      }
      appendEscapedUtf8(out, codePoint);
      i += length;
    }
    return out.toString();
  }

  /**
   * Returns the canonical component {@code input} with what {@link java.net.URI} refuses escaped:
   * the characters in {@code uriSet} other than '%', and each '%' that does not start an escape.
   * Returns {@code input} itself if nothing needs escaping.
   */
  static String uriSafe(String input, boolean[] uriSet) {
    int length = input.length();
    for (int i = 0; i < length; i++) {
      char c = input.charAt(i);
      if (c < 0x80 && uriSet[c] && (c != '%' || !isEscape(input, i, length))) {
        StringBuilder out = new StringBuilder(length + 8).append(input, 0, i);
        for (; i < length; i++) {
          c = input.charAt(i);
          if (c < 0x80 && uriSet[c] && (c != '%' || !isEscape(input, i, length))) {
            appendEscapedByte(out, c);
          } else {
            out.append(c);
          }
        }
        return out.toString();
      }
    }
    return input;
  }

  private static void appendEscapedUtf8(StringBuilder out, int codePoint) {
    if (codePoint < 0x800) {
      appendEscapedByte(out, 0xc0 | (codePoint >> 6));
      appendEscapedByte(out, 0x80 | (codePoint & 0x3f));
    } else if (codePoint < 0x10000) {
      appendEscapedByte(out, 0xe0 | (codePoint >> 12));
      appendEscapedByte(out, 0x80 | ((codePoint >> 6) & 0x3f));
      appendEscapedByte(out, 0x80 | (codePoint & 0x3f));
    } else {
      appendEscapedByte(out, 0xf0 | (codePoint >> 18));
      appendEscapedByte(out, 0x80 | ((codePoint >> 12) & 0x3f));
      appendEscapedByte(out, 0x80 | ((codePoint >> 6) & 0x3f));
      appendEscapedByte(out, 0x80 | (codePoint & 0x3f));
    }
  }

  private static void appendEscapedByte(StringBuilder out, int b) {
    out.append('%').append(HEX_DIGITS[(b >> 4) & 0xf]).append(HEX_DIGITS[b & 0xf]);
  }

  /** Returns true if {@code input[pos]} is a '%' followed by two hex digits before {@code limit}. */
  static boolean isEscape(String input, int pos, int limit) {
    return pos + 2 < limit
        && input.charAt(pos) == '%'
        && hexValue(input.charAt(pos + 1)) != -1
        && hexValue(input.charAt(pos + 2)) != -1;
  }

  /** Returns the value of hex digit {@code c}, or -1 if it is not one. */
  static int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  /**
   * Returns {@code input[pos..limit)} with {@code %XX} escapes decoded as UTF-8, and '+' decoded as
   * a space if {@code plusIsSpace}. A '%' that does not start an escape is kept; byte sequences that
   * are not UTF-8 decode to U+FFFD. Non-ASCII characters in the input are kept.
   */
  static String decode(String input, int pos, int limit, boolean plusIsSpace) {
    return decode(input, pos, limit, plusIsSpace, StandardCharsets.UTF_8);
  }

  /**
   * Returns {@code input[pos..limit)} decoded as {@link #decode(String, int, int, boolean)} does,
   * but with the escaped bytes read in {@code charset}, which must encode ASCII as itself.
   */
  static String decode(String input, int pos, int limit, boolean plusIsSpace, Charset charset) {
    for (int i = pos; i < limit; i++) {
      char c = input.charAt(i);
      if (c == '%' || (c == '+' && plusIsSpace)) {
        return decodeFrom(input, pos, limit, plusIsSpace, charset);
      }
    }
    return pos == 0 && limit == input.length() ? input : input.substring(pos, limit);
  }

  /** Returns all of {@code input}, decoded as {@link #decode(String, int, int, boolean)} does. */
  static String decode(String input, boolean plusIsSpace) {
    return decode(input, 0, input.length(), plusIsSpace);
  }

  private static String decodeFrom(
      String input, int pos, int limit, boolean plusIsSpace, Charset charset) {
    // Three bytes per char bounds the UTF-8 form of any UTF-16 text.
    int maxBytesPerChar = charset.equals(StandardCharsets.UTF_8)
        ? 3 : (int) Math.ceil(charset.newEncoder().maxBytesPerChar());
    byte[] bytes = new byte[(limit - pos) * Math.max(3, maxBytesPerChar)];
    int size = 0;
    int i = pos;
    while (i < limit) {
      char c = input.charAt(i);
      if (c == '%' && isEscape(input, i, limit)) {
        bytes[size++] = (byte) ((hexValue(input.charAt(i + 1)) << 4) + hexValue(input.charAt(i + 2)));
        i += 3;
      } else if (c == '+' && plusIsSpace) {
        bytes[size++] = ' ';
        i++;
      } else if (c < 0x80) {
        bytes[size++] = (byte) c;
        i++;
      } else {
        int end = i + 1;
        if (Character.isHighSurrogate(c) && end < limit && Character.isLowSurrogate(input.charAt(end))) {
          end++;
        }
        byte[] encoded = input.substring(i, end).getBytes(charset);
        System.arraycopy(encoded, 0, bytes, size, encoded.length);
        size += encoded.length;
        i = end;
      }
    }
    return new String(bytes, 0, size, charset);
  }
}
