package dev.courier;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Parses, without a builder, an absolute URL that is already in the canonical form {@link HttpUrl}
 * writes, in its most common shape: {@code http://} or {@code https://}, a lowercase domain name or
 * a dotted-decimal IPv4 address, a port other than the scheme's default if any, a path, and a query
 * and fragment if any, with nothing to percent-encode, lowercase, resolve or remove. Every other
 * input is left to {@link UrlParser}; for every input accepted here, it would give the same URL.
 *
 * <p>The input is copied once into an array of ISO-8859-1 bytes and scanned there with one table
 * lookup per character, so that a URL costs few bytecodes while it is still interpreted ({@link
 * String#charAt} is four calls a character there). The copy replaces a character above U+00FF by
 * '?' ({@link String#getBytes(java.nio.charset.Charset)} documents the replacement), and a
 * surrogate pair by a single '?': the scan refuses an input whose copy is shorter, and checks the
 * input's own character wherever the copy has a '?', so a replaced character is never taken for
 * one.
 */
final class UrlCanonicalForm {
  /** The class of a character allowed in a domain label here: a-z, 0-9, '-' and '_'. */
  private static final byte LABEL = 1;

  /** The class of a character that a path segment keeps as it is, '/' and '?' excluded. */
  private static final byte PATH = 2;

  /** The class of a character that a query keeps as it is, '?' excluded. */
  private static final byte QUERY = 4;

  /** The class of a character that a fragment keeps as it is, '?' excluded. */
  private static final byte FRAGMENT = 8;

  /** The classes of each byte; 0 for every byte above 0x7e, which is never accepted. */
  private static final byte[] CLASSES = new byte[256];

  static {
    for (int c = 0x21; c < 0x7f; c++) {
      int classes = 0;
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
        classes |= LABEL;
      }
      // The encode sets hold '%' for decoded text; encoded text, as parsed, keeps it.
      if (c == '%' || !UrlPercentEncoding.PATH_SEGMENT[c]) classes |= PATH;
      if (c == '%' || !UrlPercentEncoding.QUERY[c]) classes |= QUERY;
      if (c == '%' || !UrlPercentEncoding.FRAGMENT[c]) classes |= FRAGMENT;
      CLASSES[c] = (byte) classes;
    }
    // Checked apart from the table: it ends a path, and it may stand for a replaced character.
    CLASSES['?'] = 0;
  }

  private UrlCanonicalForm() {
  }

  /**
   * Returns {@code input} as a URL whose string form is {@code input} itself, or null if it is not
   * in the shape this class accepts (it may still be a valid URL: {@link UrlParser} decides).
   */
  static HttpUrl parse(String input) {
    byte[] b = input.getBytes(StandardCharsets.ISO_8859_1);
    int length = b.length;
    if (length != input.length() || length < 9) return null;
    byte[] classes = CLASSES;

    String scheme;
    int defaultPort;
    int pos;
    if (b[0] != 'h' || b[1] != 't' || b[2] != 't' || b[3] != 'p') return null;
    if (b[4] == ':') {
      scheme = "http";
      defaultPort = 80;
      pos = 5;
    } else if (b[4] == 's' && b[5] == ':') {
      scheme = "https";
      defaultPort = 443;
      pos = 6;
    } else {
      return null;
    }
    if (b[pos] != '/' || b[pos + 1] != '/') return null;
    pos += 2;

    // The host: non-empty labels separated by single dots, none starting "xn--" (punycode, which
    // UTS #46 checks), and no trailing dot.
    int hostStart = pos;
    int labelStart;
    while (true) {
      labelStart = pos;
      if (pos + 3 < length && b[pos] == 'x' && b[pos + 1] == 'n' && b[pos + 2] == '-'
          && b[pos + 3] == '-') {
        return null;
      }
      while (pos < length && (classes[b[pos] & 0xff] & LABEL) != 0) pos++;
      if (pos == labelStart) return null;
      if (pos == length || b[pos] != '.') break;
      pos++;
    }
    int hostEnd = pos;
    // A host whose last label starts with a digit may be an IPv4 address in another form, or an
    // invalid one: only the canonical dotted-decimal form is accepted. A last label starting
    // otherwise is never a number.
    int last = b[labelStart];
    if (last >= '0' && last <= '9' && !isCanonicalIpv4(b, hostStart, hostEnd)) return null;

    int port = defaultPort;
    if (pos < length && b[pos] == ':') {
      port = parsePort(b, pos + 1, length);
      if (port == -1 || port == defaultPort) return null;
      pos += 1 + decimalLength(port);
    }
    if (pos == length || b[pos] != '/') return null;

    // The path: segments of characters kept as they are, each after a '/'.
    int pathStart = pos;
    int segmentCount = 0;
    int c;
    while (true) {
      pos++;
      segmentCount++;
      while (pos < length && (classes[b[pos] & 0xff] & PATH) != 0) pos++;
      if (pos == length) break;
      c = b[pos];
      if (c == '/') continue;
      if (c == '#' || (c == '?' && input.charAt(pos) == '?')) break;
      return null;
    }
    int pathEnd = pos;

    int queryStart = -1;
    if (pos < length && b[pos] == '?') {
      queryStart = ++pos;
      while (true) {
        while (pos < length && (classes[b[pos] & 0xff] & QUERY) != 0) pos++;
        if (pos == length || b[pos] == '#') break;
        if (b[pos] != '?' || input.charAt(pos) != '?') return null;
        pos++;
      }
    }
    int queryEnd = pos;

    int fragmentStart = -1;
    if (pos < length) {
      // Only a '#' stops the query or path scan here without refusing the input.
      fragmentStart = ++pos;
      while (true) {
        while (pos < length && (classes[b[pos] & 0xff] & FRAGMENT) != 0) pos++;
        if (pos == length) break;
        if (b[pos] != '?' || input.charAt(pos) != '?') return null;
        pos++;
      }
    }

    List<String> segments = segments(input, b, pathStart, pathEnd, segmentCount);
    if (segments == null) return null;
    return new HttpUrl(scheme, input.substring(hostStart, hostEnd), port, segments,
        input.substring(pathStart, pathEnd),
        queryStart != -1 ? input.substring(queryStart, queryEnd) : null,
        fragmentStart != -1 ? input.substring(fragmentStart) : null,
        input);
  }

  /**
   * Returns the {@code count} segments of the path {@code input[pathStart..pathEnd)}, or null if
   * one of them is a dot segment, which the path would drop or resolve.
   */
  private static List<String> segments(
      String input, byte[] b, int pathStart, int pathEnd, int count) {
    if (count == 1) {
      String segment = input.substring(pathStart + 1, pathEnd);
      return isDotSegment(b, pathStart + 1, segment) ? null : List.of(segment);
    }
    String[] segments = new String[count];
    int pos = pathStart + 1;
    for (int i = 0; i < count; i++) {
      int end = i == count - 1 ? pathEnd : input.indexOf('/', pos);
      String segment = input.substring(pos, end);
      if (isDotSegment(b, pos, segment)) return null;
      segments[i] = segment;
      pos = end + 1;
    }
    return List.of(segments);
  }

  /** Returns true if {@code segment}, which starts at {@code b[pos]}, is a dot segment. */
  private static boolean isDotSegment(byte[] b, int pos, String segment) {
    // A dot segment starts with '.' or with the '%' of "%2e"; an empty one may end the input.
    return pos < b.length && (b[pos] == '.' || b[pos] == '%')
        && (UrlPathSegments.isDot(segment) || UrlPathSegments.isDotDot(segment));
  }

  /**
   * Returns true if {@code b[start..end)}, dot-separated non-empty labels, is four decimal numbers
   * of at most 255 without leading zeros, such as {@code 127.0.0.1}.
   */
  private static boolean isCanonicalIpv4(byte[] b, int start, int end) {
    int parts = 0;
    int pos = start;
    while (pos < end) {
      int partStart = pos;
      int value = 0;
      while (pos < end && b[pos] != '.') {
        int digit = b[pos] - '0';
        if (digit < 0 || digit > 9 || pos - partStart == 3) return false;
        value = value * 10 + digit;
        pos++;
      }
      if (value > 255 || (pos - partStart > 1 && b[partStart] == '0')) return false;
      parts++;
      pos++;
    }
    return parts == 4;
  }

  /**
   * Returns the port written from {@code b[pos]} up to the next non-digit, or -1 if there is none,
   * it has a leading zero, or it is above 65535.
   */
  private static int parsePort(byte[] b, int pos, int limit) {
    int start = pos;
    int port = 0;
    while (pos < limit && pos - start < 6) {
      int digit = b[pos] - '0';
      if (digit < 0 || digit > 9) break;
      port = port * 10 + digit;
      pos++;
    }
    int digits = pos - start;
    if (digits == 0 || digits > 5 || port > 65535 || (digits > 1 && b[start] == '0')) return -1;
    return port;
  }

  private static int decimalLength(int port) {
    return port < 10 ? 1 : port < 100 ? 2 : port < 1000 ? 3 : port < 10000 ? 4 : 5;
  }
}
