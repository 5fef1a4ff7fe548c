package dev.courier;

import dev.courier.internal.idna.Idna;
import java.util.Locale;

/**
 * Turns the host of a URL into its canonical form, following the WHATWG URL Standard's host parser
 * for special schemes: a lowercase ASCII domain name (internationalized names mapped with UTS #46
 * non-transitional processing and converted to punycode), a dotted-decimal IPv4 address, or a
 * compressed IPv6 address without brackets.
 */
final class UrlHostParser {
  /**
   * The ASCII characters a canonical domain may not contain: the WHATWG forbidden domain code
   * points, plus those that RFC 3986 does not allow in a host name ({@code " ` { }}), which an
   * HTTP request could not carry in its Host header.
   */
  private static final boolean[] FORBIDDEN = new boolean[128];

  static {
    for (int c = 0; c <= 0x20; c++) {
      FORBIDDEN[c] = true;
    }
    FORBIDDEN[0x7f] = true;
    String forbidden = "\"#%/:<>?@[\\]^`{|}";
    for (int i = 0; i < forbidden.length(); i++) {
      FORBIDDEN[forbidden.charAt(i)] = true;
    }
  }

  private UrlHostParser() {
  }

  /**
   * Returns the canonical form of the host {@code input[pos..limit)}, or null if it is not a valid
   * host. The input may be percent-encoded, may contain non-ASCII characters, and may be an IPv6
   * address with or without brackets.
   */
  static String canonicalHost(String input, int pos, int limit) {
    if (pos == limit) return null;
    if (input.charAt(pos) == '[') {
      if (limit - pos < 2 || input.charAt(limit - 1) != ']') return null;
      return UrlIpAddresses.canonicalIpv6(input, pos + 1, limit - 1);
    }

    // Fast path: for ASCII without escapes, and without a label that claims to be punycode, UTS #46
    // processing is only lowercasing.
    boolean hasUppercase = false;
    for (int i = pos; i < limit; i++) {
      char c = input.charAt(i);
      if (c >= 0x80 || c == '%'
          || ((c | 0x20) == 'x' && startsPunycodeLabel(input, pos, i, limit))) {
        return canonicalDomain(UrlPercentEncoding.decode(input, pos, limit, false));
      }
      if (c == ':') {
        // Only an IPv6 address may contain a colon; the URL parser never passes one here.
        return UrlIpAddresses.canonicalIpv6(input, pos, limit);
      }
      if (FORBIDDEN[c]) return null;
      if (c >= 'A' && c <= 'Z') hasUppercase = true;
    }
    String host = input.substring(pos, limit);
    if (hasUppercase) host = host.toLowerCase(Locale.ROOT);
    return ipv4OrDomain(host);
  }

  /** Returns true if a label starts at {@code i} with "xn--", in any case. */
  private static boolean startsPunycodeLabel(String input, int pos, int i, int limit) {
    return (i == pos || input.charAt(i - 1) == '.')
        && i + 4 <= limit
        && (input.charAt(i + 1) | 0x20) == 'n'
        && input.charAt(i + 2) == '-'
        && input.charAt(i + 3) == '-';
  }

  /** Returns the canonical form of a decoded domain, running UTS #46 ToASCII on it. */
  private static String canonicalDomain(String decoded) {
    String ascii = Idna.toAscii(decoded);
    if (ascii == null || ascii.isEmpty()) return null;
    for (int i = 0; i < ascii.length(); i++) {
      char c = ascii.charAt(i);
      if (c >= 0x80 || FORBIDDEN[c]) return null;
    }
    return ipv4OrDomain(ascii);
  }

  private static String ipv4OrDomain(String host) {
    if (UrlIpAddresses.endsInNumber(host, host.length())) {
      return UrlIpAddresses.canonicalIpv4(host, host.length());
    }
    return host;
  }
}
