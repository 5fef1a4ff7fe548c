package dev.courier;

import java.util.List;

/**
 * Edits a URL path held as a list of encoded segments, resolving {@code .} and {@code ..}
 * segments (RFC 3986 §5.2.4).
 *
 * <p>The list is never empty. The path is {@code "/"} followed by the segments joined with
 * {@code "/"}, so {@code ["a", "b"]} is {@code /a/b}, {@code ["a", ""]} is {@code /a/} and
 * {@code [""]} is {@code /}. A last segment that is empty therefore means "the directory", which is
 * where the next segment goes.
 */
final class UrlPathSegments {
  private UrlPathSegments() {
  }

  /**
   * Applies the encoded path reference {@code input[pos..limit)} to {@code segments}: a reference
   * that starts with a slash ('/' or '\') replaces the path, any other is resolved against the
   * directory of the current path. Does nothing if the reference is empty.
   */
  static void resolve(List<String> segments, String input, int pos, int limit) {
    if (pos == limit) return;
    char first = input.charAt(pos);
    if (first == '/' || first == '\\') {
      segments.clear();
      segments.add("");
      pos++;
    } else {
      segments.set(segments.size() - 1, "");
    }
    while (true) {
      int segmentEnd = pos;
      while (segmentEnd < limit) {
        char c = input.charAt(segmentEnd);
        if (c == '/' || c == '\\') break;
        segmentEnd++;
      }
      boolean slashFollows = segmentEnd < limit;
      String segment = UrlPercentEncoding.canonicalize(
          input, pos, segmentEnd, UrlPercentEncoding.PATH_SEGMENT, true);
      push(segments, segment, slashFollows);
      if (!slashFollows) return;
      pos = segmentEnd + 1;
    }
  }

  /**
   * Appends the canonical segment {@code segment}, followed by a slash if {@code slashFollows}. A
   * {@code .} segment is dropped and a {@code ..} segment removes the last segment instead.
   */
  static void push(List<String> segments, String segment, boolean slashFollows) {
    if (isDot(segment)) return;
    if (isDotDot(segment)) {
      pop(segments);
      return;
    }
    int last = segments.size() - 1;
    if (segments.get(last).isEmpty()) {
      segments.set(last, segment);
    } else {
      segments.add(segment);
    }
    if (slashFollows) segments.add("");
  }

  /** Removes the last named segment, leaving the path at its directory: {@code /a/b/} → {@code /a/}. */
  private static void pop(List<String> segments) {
    int last = segments.size() - 1;
    if (segments.get(last).isEmpty() && last > 0) {
      segments.remove(last);
      segments.set(last - 1, "");
    } else {
      segments.set(last, "");
    }
  }

  /** Returns true if {@code segment} is {@code .} or its encoded form {@code %2e}. */
  static boolean isDot(String segment) {
    return segment.equals(".") || segment.equalsIgnoreCase("%2e");
  }

  /** Returns true if {@code segment} is {@code ..} or an encoded form such as {@code .%2e}. */
  static boolean isDotDot(String segment) {
    switch (segment.length()) {
      case 2:
        return segment.equals("..");
      case 4:
        return segment.equalsIgnoreCase("%2e.") || segment.equalsIgnoreCase(".%2e");
      case 6:
        return segment.equalsIgnoreCase("%2e%2e");
      default:
        return false;
    }
  }

  /** Appends the path of {@code segments}, such as {@code /a/b}, to {@code out}. */
  static void appendPath(StringBuilder out, List<String> segments) {
    for (int i = 0, size = segments.size(); i < size; i++) {
      out.append('/').append(segments.get(i));
    }
  }
}
