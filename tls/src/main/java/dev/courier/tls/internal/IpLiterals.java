package dev.courier.tls.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Recognizes IP address literals in host names without ever consulting DNS. Not promised to users.
 */
public final class IpLiterals {
  private IpLiterals() {}

  /** Returns true if {@code host} is an IPv4 dotted quad or an IPv6 literal (brackets allowed). */
  public static boolean isIpLiteral(String host) {
    return parse(host) != null;
  }

  /**
   * Returns the address bytes of {@code host}: 4 for an IPv4 dotted quad, 16 for an IPv6 literal
   * (optionally in brackets), or null if {@code host} is not an IP literal.
   */
  public static byte[] parse(String host) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    if (host.indexOf(':') != -1) {
      return parseIpv6(host);
    }
    return parseIpv4(host);
  }

  /**
   * Returns {@code host} as an {@link InetAddress} with {@code host} as its host name, or null if it
   * is not an IP literal. Never performs a lookup.
   */
  public static InetAddress toInetAddress(String host) {
    byte[] bytes = parse(host);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(host, bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // Only thrown for an illegal length, which parse() rules out.
    }
  }

  private static byte[] parseIpv4(String host) {
    byte[] result = new byte[4];
    int octet = 0;
    int pos = 0;
    int length = host.length();
    while (octet < 4) {
      int start = pos;
      int value = 0;
      while (pos < length && host.charAt(pos) >= '0' && host.charAt(pos) <= '9') {
        value = value * 10 + (host.charAt(pos) - '0');
        pos++;
        if (value > 255 || pos - start > 3) {
          return null;
        }
      }
      if (pos == start) {
        return null;
      }
      result[octet++] = (byte) value;
      if (octet < 4) {
        if (pos >= length || host.charAt(pos) != '.') {
          return null;
        }
        pos++;
      }
    }
    return pos == length ? result : null;
  }

  private static byte[] parseIpv6(String host) {
    String literal = host;
    if (literal.startsWith("[") && literal.endsWith("]")) {
      literal = literal.substring(1, literal.length() - 1);
    }
    // Only hex digits, colons and dots (for an embedded IPv4 tail) may appear, so the JDK parses a
    // literal and never resolves a name.
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex && c != ':' && c != '.') {
        return null;
      }
    }
    try {
      byte[] bytes = InetAddress.getByName(literal).getAddress();
      if (bytes.length == 4) {
        // The JDK folds IPv4-mapped IPv6 literals to IPv4; keep the 16-byte form of what was written.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(bytes, 0, mapped, 12, 4);
        return mapped;
      }
      return bytes;
    } catch (UnknownHostException | IllegalArgumentException e) {
      return null;
    }
  }
}
