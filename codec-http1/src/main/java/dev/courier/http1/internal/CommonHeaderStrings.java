package dev.courier.http1.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okio.Buffer;
import okio.ByteString;

/**
 * Maps the bytes of frequent header names and values to shared strings, so that reading a
 * typical response head does not allocate a string for each of them. Matches are exact (case
 * included): each name is known in its usual spelling and in lower case. Public only so that the
 * toolkit's {@link dev.courier.http1.toolkit.HeadReader} can use it; not part of Courier's API.
 * Immutable; thread-safe.
 */
public final class CommonHeaderStrings {
  private static final String[] NAMES = {
      "Accept-Ranges", "Access-Control-Allow-Credentials", "Access-Control-Allow-Headers",
      "Access-Control-Allow-Methods", "Access-Control-Allow-Origin", "Access-Control-Expose-Headers",
      "Access-Control-Max-Age", "Age", "Alt-Svc", "Cache-Control", "Connection",
      "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length",
      "Content-Location", "Content-Range", "Content-Security-Policy", "Content-Type", "Date", "ETag",
      "Etag", "Expires", "Keep-Alive", "Last-Modified", "Link", "Location", "Pragma",
      "Proxy-Authenticate", "Referrer-Policy", "Retry-After", "Server", "Set-Cookie",
      "Strict-Transport-Security", "Trailer", "Transfer-Encoding", "Upgrade", "Vary", "Via",
      "WWW-Authenticate", "X-Content-Type-Options", "X-Frame-Options", "X-XSS-Protection",
  };

  private static final String[] VALUES = {
      "0", "*", "bytes", "chunked", "close", "keep-alive", "gzip", "br", "deflate", "identity",
      "no-cache", "no-store", "private", "public", "nosniff", "DENY", "SAMEORIGIN", "Accept-Encoding",
      "Origin", "true", "text/html", "text/html; charset=utf-8", "text/html; charset=UTF-8",
      "text/plain", "text/plain; charset=utf-8", "application/json", "application/json; charset=utf-8",
      "application/octet-stream", "nginx", "cloudflare", "Apache",
  };

  private static final Table NAME_TABLE = Table.of(withLowerCase(NAMES));
  private static final Table VALUE_TABLE = Table.of(List.of(VALUES));

  private CommonHeaderStrings() {}

  /** Returns the shared name for bytes [offset, offset + length) of {@code buffer}, or null. */
  public static String name(Buffer buffer, long offset, long length) {
    return NAME_TABLE.lookup(buffer, offset, length);
  }

  /** Returns the shared value for bytes [offset, offset + length) of {@code buffer}, or null. */
  public static String value(Buffer buffer, long offset, long length) {
    return VALUE_TABLE.lookup(buffer, offset, length);
  }

  /** Returns the shared name for bytes [offset, offset + length) of {@code bytes}, or null. */
  public static String name(byte[] bytes, int offset, int length) {
    return NAME_TABLE.lookup(bytes, offset, length);
  }

  /** Returns the shared value for bytes [offset, offset + length) of {@code bytes}, or null. */
  public static String value(byte[] bytes, int offset, int length) {
    return VALUE_TABLE.lookup(bytes, offset, length);
  }

  private static List<String> withLowerCase(String[] names) {
    List<String> result = new ArrayList<>();
    for (String name : names) {
      result.add(name);
      String lower = name.toLowerCase(Locale.ROOT).intern();
      if (!lower.equals(name) && !result.contains(lower)) {
        result.add(lower);
      }
    }
    return result;
  }

  /**
   * Strings grouped by their byte length, so a lookup compares only same-length candidates, and
   * of those only the ones whose first byte matches: one byte read instead of a range comparison
   * for each candidate that cannot match.
   */
  private static final class Table {
    private final ByteString[][] bytesByLength;
    private final String[][] stringsByLength;
    private final byte[][] firstBytesByLength;
    private final byte[][][] arraysByLength;

    private Table(ByteString[][] bytesByLength, String[][] stringsByLength) {
      this.bytesByLength = bytesByLength;
      this.stringsByLength = stringsByLength;
      this.firstBytesByLength = new byte[bytesByLength.length][];
      this.arraysByLength = new byte[bytesByLength.length][][];
      for (int length = 0; length < bytesByLength.length; length++) {
        ByteString[] group = bytesByLength[length];
        firstBytesByLength[length] = new byte[group.length];
        arraysByLength[length] = new byte[group.length][];
        for (int i = 0; i < group.length; i++) {
          firstBytesByLength[length][i] = group[i].getByte(0);
          arraysByLength[length][i] = group[i].toByteArray();
        }
      }
    }

    static Table of(List<String> strings) {
      int maxLength = 0;
      for (String s : strings) {
        maxLength = Math.max(maxLength, s.length());
      }
      List<List<String>> grouped = new ArrayList<>();
      for (int i = 0; i <= maxLength; i++) {
        grouped.add(new ArrayList<>());
      }
      for (String s : strings) {
        grouped.get(s.length()).add(s);
      }
      ByteString[][] bytes = new ByteString[maxLength + 1][];
      String[][] interned = new String[maxLength + 1][];
      for (int length = 0; length <= maxLength; length++) {
        List<String> group = grouped.get(length);
        bytes[length] = new ByteString[group.size()];
        interned[length] = group.toArray(new String[0]);
        for (int i = 0; i < group.size(); i++) {
          bytes[length][i] = ByteString.encodeUtf8(group.get(i));
        }
      }
      return new Table(bytes, interned);
    }

    String lookup(Buffer buffer, long offset, long length) {
      if (length <= 0 || length >= bytesByLength.length) {
        return null;
      }
      byte[] firstBytes = firstBytesByLength[(int) length];
      if (firstBytes.length == 0) {
        return null;
      }
      byte first = buffer.getByte(offset);
      for (int i = 0; i < firstBytes.length; i++) {
        if (firstBytes[i] == first && buffer.rangeEquals(offset, bytesByLength[(int) length][i])) {
          return stringsByLength[(int) length][i];
        }
      }
      return null;
    }

    /**
     * As {@link #lookup(Buffer, long, long)}, comparing the bytes in a loop of its own from the
     * last: the strings are short, and until the caller is compiled a loop costs less than a call
     * to the JDK's bulk comparison, which is interpreted too; from the last byte, as same-length
     * candidates with the same first byte (such as {@code Content-Encoding} and {@code
     * Content-Language}) differ towards the end.
     */
    String lookup(byte[] bytes, int offset, int length) {
      if (length <= 0 || length >= arraysByLength.length) {
        return null;
      }
      byte[] firstBytes = firstBytesByLength[length];
      byte first = bytes[offset];
      for (int i = 0; i < firstBytes.length; i++) {
        if (firstBytes[i] == first) {
          byte[] candidate = arraysByLength[length][i];
          int at = length - 1;
          while (at > 0 && candidate[at] == bytes[offset + at]) {
            at--;
          }
          if (at == 0) {
            return stringsByLength[length][i];
          }
        }
      }
      return null;
    }
  }
}
