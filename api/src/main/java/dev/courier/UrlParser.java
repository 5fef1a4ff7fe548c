package dev.courier;

/**
 * Parses an absolute http or https URL, or a reference relative to a base URL (RFC 3986 §5.2), in
 * one pass over the input, following the WHATWG URL standard for http and https.
 *
 * <p>Leading and trailing ASCII whitespace and control characters are ignored, as are tabs and
 * line breaks anywhere in the input. Backslashes act as slashes before the query. Components are
 * written in canonical form: see {@link UrlPercentEncoding} and {@link UrlHostParser}.
 */
final class UrlParser {
  /** The longest input that an error message quotes in full. */
  private static final int MAX_QUOTED_LENGTH = 64;

  private UrlParser() {
  }

  /**
   * Returns a builder holding {@code input} resolved against {@code base}, or null if {@code base}
   * is non-null and the input names a scheme other than http or https.
   *
   * @param base the URL that a relative {@code input} is resolved against, or null if {@code input}
   *     must be absolute
   * @throws IllegalArgumentException if {@code input} is not a valid URL, or is relative and
   *     {@code base} is null
   */
  static HttpUrl.Builder parse(HttpUrl base, String input) {
    int pos = 0;
    int limit = input.length();
    while (pos < limit && input.charAt(pos) <= ' ') pos++;
    while (limit > pos && input.charAt(limit - 1) <= ' ') limit--;
    // Three scans by the JDK (compiled early, vectorized) instead of a loop of our own.
    if (hasTabOrLineBreak(input, pos, limit)) {
      input = removeTabsAndLineBreaks(input, pos, limit);
      pos = 0;
      limit = input.length();
    }

    HttpUrl.Builder builder = new HttpUrl.Builder();
    int schemeEnd = schemeEnd(input, pos, limit);
    if (schemeEnd != -1) {
      int schemeLength = schemeEnd - pos;
      if (schemeLength == 5 && input.regionMatches(true, pos, "https", 0, 5)) {
        builder.scheme = "https";
      } else if (schemeLength == 4 && input.regionMatches(true, pos, "http", 0, 4)) {
        builder.scheme = "http";
      } else if (base != null) {
        return null;
      } else {
        throw new IllegalArgumentException("Expected URL scheme 'http' or 'https' but was '"
            + quote(input.substring(pos, schemeEnd)) + "'");
      }
      pos = schemeEnd + 1;
    } else if (base != null) {
      builder.scheme = base.scheme();
    } else {
      throw new IllegalArgumentException(
          "Expected URL scheme 'http' or 'https' but no scheme was found for \""
              + quote(input.substring(pos, limit)) + "\"");
    }

    int slashCount = 0;
    while (pos + slashCount < limit && isSlash(input.charAt(pos + slashCount))) slashCount++;
    int pathEnd;
    // An absolute URL always has an authority, however many slashes follow the scheme. A
    // reference has one if it starts with "//" or names a scheme other than the base's.
    if (slashCount >= 2 || base == null || !base.scheme().equals(builder.scheme)) {
      pos = parseAuthority(builder, input, pos + slashCount, limit);
      pathEnd = delimiterOffset(input, pos, limit, '?', '#');
      UrlPathSegments.resolve(builder.encodedPathSegments, input, pos, pathEnd);
    } else {
      builder.encodedUsername = base.encodedUsername();
      builder.encodedPassword = base.encodedPassword();
      builder.host = base.host();
      builder.port = base.port() != HttpUrl.defaultPort(base.scheme()) ? base.port() : -1;
      builder.encodedPathSegments.clear();
      builder.encodedPathSegments.addAll(base.encodedPathSegments());
      pathEnd = delimiterOffset(input, pos, limit, '?', '#');
      if (pos == pathEnd) {
        // An empty path keeps the base's path, and its query unless the reference has one.
        if (pathEnd == limit || input.charAt(pathEnd) == '#') {
          builder.encodedQuery = base.encodedQuery();
        }
      } else {
        UrlPathSegments.resolve(builder.encodedPathSegments, input, pos, pathEnd);
      }
    }
    pos = pathEnd;

    if (pos < limit && input.charAt(pos) == '?') {
      int queryEnd = delimiterOffset(input, pos + 1, limit, '#', '#');
      builder.encodedQuery = UrlPercentEncoding.canonicalize(
          input, pos + 1, queryEnd, UrlPercentEncoding.QUERY, true);
      pos = queryEnd;
    }
    if (pos < limit && input.charAt(pos) == '#') {
      builder.encodedFragment = UrlPercentEncoding.canonicalize(
          input, pos + 1, limit, UrlPercentEncoding.FRAGMENT, true);
    }
    return builder;
  }

  /**
   * Reads the user info, host and port starting at {@code pos} into {@code builder}, and returns
   * the offset where the authority ends.
   */
  private static int parseAuthority(HttpUrl.Builder builder, String input, int pos, int limit) {
    int authorityEnd = delimiterOffset(input, pos, limit, '/', '\\');
    authorityEnd = delimiterOffset(input, pos, authorityEnd, '?', '#');
    int lastAt = input.lastIndexOf('@', authorityEnd - 1);
    if (lastAt < pos) lastAt = -1;

    int hostStart = pos;
    if (lastAt != -1) {
      // Everything before the last '@' is user info; any earlier '@' is part of it and is encoded.
      int colon = delimiterOffset(input, pos, lastAt, ':', ':');
      builder.encodedUsername = UrlPercentEncoding.canonicalize(
          input, pos, colon, UrlPercentEncoding.USERINFO, true);
      if (colon != lastAt) {
        builder.encodedPassword = UrlPercentEncoding.canonicalize(
            input, colon + 1, lastAt, UrlPercentEncoding.USERINFO, true);
      }
      hostStart = lastAt + 1;
    }

    int portColon = portColon(input, hostStart, authorityEnd);
    int hostEnd = portColon != -1 ? portColon : authorityEnd;
    builder.host = UrlHostParser.canonicalHost(input, hostStart, hostEnd);
    if (builder.host == null) {
      throw new IllegalArgumentException(
          "Invalid URL host: \"" + quote(input.substring(hostStart, hostEnd)) + "\"");
    }
    // An empty port, as in "http://host:/", means the default port.
    if (portColon != -1 && portColon + 1 < authorityEnd) {
      builder.port = parsePort(input, portColon + 1, authorityEnd);
      if (builder.port == -1) {
        throw new IllegalArgumentException(
            "Invalid URL port: \"" + quote(input.substring(portColon + 1, authorityEnd)) + "\"");
      }
    }
    return authorityEnd;
  }

  /** Returns the decimal port in {@code input[pos..limit)}, or -1 if it is not in 0..65535. */
  private static int parsePort(String input, int pos, int limit) {
    int port = 0;
    for (int i = pos; i < limit; i++) {
      char c = input.charAt(i);
      if (c < '0' || c > '9') return -1;
      port = port * 10 + (c - '0');
      if (port > 65535) return -1;
    }
    return port;
  }

  /**
   * Returns the offset of the ':' that ends the scheme starting at {@code pos}, or -1 if the input
   * does not start with a scheme ({@code ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"}).
   */
  private static int schemeEnd(String input, int pos, int limit) {
    if (pos == limit) return -1;
    char first = input.charAt(pos);
    if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) return -1;
    for (int i = pos + 1; i < limit; i++) {
      char c = input.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '+' || c == '-' || c == '.') {
        continue;
      }
      return c == ':' ? i : -1;
    }
    return -1;
  }

  private static boolean isSlash(char c) {
    return c == '/' || c == '\\';
  }

  /**
   * Returns the offset of the first {@code a} or {@code b} in {@code input[pos..limit)}, or limit.
   * Two {@link String#indexOf(int, int)} calls: the JDK's scan costs far less than a loop of our
   * own while Courier's code still runs in the interpreter.
   */
  private static int delimiterOffset(String input, int pos, int limit, char a, char b) {
    int result = offsetOrLimit(input.indexOf(a, pos), limit);
    return a == b ? result : offsetOrLimit(input.indexOf(b, pos), result);
  }

  private static int offsetOrLimit(int offset, int limit) {
    return offset == -1 || offset > limit ? limit : offset;
  }

  /** Returns true if {@code input[pos..limit)} holds a tab, CR or LF. */
  private static boolean hasTabOrLineBreak(String input, int pos, int limit) {
    return offsetOrLimit(input.indexOf('\t', pos), limit) != limit
        || offsetOrLimit(input.indexOf('\n', pos), limit) != limit
        || offsetOrLimit(input.indexOf('\r', pos), limit) != limit;
  }

  /**
   * Returns the offset of the colon before the port in the authority's host and port
   * {@code input[pos..limit)}, or -1: the first colon outside brackets.
   */
  private static int portColon(String input, int pos, int limit) {
    int bracket = offsetOrLimit(input.indexOf('[', pos), limit);
    int colon = offsetOrLimit(input.indexOf(':', pos), limit);
    if (colon < bracket) return colon; // A colon and no bracket before it.
    if (colon == limit) return -1;
    boolean inBrackets = false;
    for (int i = pos; i < limit; i++) {
      char c = input.charAt(i);
      if (c == '[') {
        inBrackets = true;
      } else if (c == ']') {
        inBrackets = false;
      } else if (c == ':' && !inBrackets) {
        return i;
      }
    }
    return -1;
  }

  private static String removeTabsAndLineBreaks(String input, int pos, int limit) {
    StringBuilder out = new StringBuilder(limit - pos);
    for (int i = pos; i < limit; i++) {
      char c = input.charAt(i);
      if (c != '\t' && c != '\n' && c != '\r') out.append(c);
    }
    return out.toString();
  }

  /** Returns {@code s}, shortened with "..." if it is too long to quote in full in a message. */
  static String quote(String s) {
    return s.length() <= MAX_QUOTED_LENGTH ? s : s.substring(0, MAX_QUOTED_LENGTH) + "...";
  }
}
