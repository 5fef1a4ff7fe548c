package dev.courier;

/**
 * Parses IP address literals in URL hosts and writes them in canonical form, following the IPv4
 * and IPv6 parsers of the WHATWG URL standard.
 *
 * <p>IPv4 hosts accept the forms that browsers and {@code inet_aton} accept: one to four parts,
 * each decimal, octal (leading {@code 0}) or hex ({@code 0x}), the last part filling the remaining
 * bytes ({@code 127.1} is {@code 127.0.0.1}). IPv6 hosts accept {@code ::} compression and an
 * embedded dotted-decimal IPv4 address in the last 32 bits, and are written per RFC 5952: lowercase
 * hex without leading zeros, the longest run of two or more zero pieces compressed.
 */
final class UrlIpAddresses {
  /** Marks an IPv4 number that does not fit in 32 bits; every range check then rejects it. */
  private static final long TOO_BIG = 1L << 32;

  private UrlIpAddresses() {
  }

  /**
   * Returns true if the last dot-separated label of {@code host[0..limit)} is a number, so that the
   * host must be parsed as an IPv4 address and is invalid if it is not one. A single trailing dot
   * is ignored.
   */
  static boolean endsInNumber(String host, int limit) {
    if (limit > 0 && host.charAt(limit - 1) == '.') limit--;
    int labelStart = host.lastIndexOf('.', limit - 1) + 1;
    if (labelStart == limit) return false;
    boolean allDigits = true;
    for (int i = labelStart; i < limit; i++) {
      char c = host.charAt(i);
      if (c < '0' || c > '9') {
        allDigits = false;
        break;
      }
    }
    return allDigits || parseIpv4Number(host, labelStart, limit) != -1;
  }

  /**
   * Returns {@code host[0..limit)} as a dotted-decimal IPv4 address, or null if it is not a valid
   * IPv4 host.
   */
  static String canonicalIpv4(String host, int limit) {
    if (limit == host.length() && isCanonicalIpv4(host)) {
      return host; // Already four decimal parts as this method writes them, as most such hosts are.
    }
    if (limit > 0 && host.charAt(limit - 1) == '.') limit--;
    long[] numbers = new long[4];
    int count = 0;
    int pos = 0;
    while (true) {
      int dot = host.indexOf('.', pos);
      if (dot == -1 || dot > limit) dot = limit;
      if (count == 4) return null;
      long number = parseIpv4Number(host, pos, dot);
      if (number == -1) return null;
      numbers[count++] = number;
      if (dot == limit) break;
      pos = dot + 1;
    }
    for (int i = 0; i < count - 1; i++) {
      if (numbers[i] > 255) return null;
    }
    long last = numbers[count - 1];
    if (last >= 1L << (8 * (5 - count))) return null;
    long address = last;
    for (int i = 0; i < count - 1; i++) {
      address += numbers[i] << (8 * (3 - i));
    }
    return new StringBuilder(15)
        .append(address >>> 24).append('.')
        .append((address >>> 16) & 0xff).append('.')
        .append((address >>> 8) & 0xff).append('.')
        .append(address & 0xff)
        .toString();
  }

  /**
   * Returns true if {@code host} is four dot-separated decimal numbers of at most 255 without
   * leading zeros, such as {@code 127.0.0.1}: the canonical form of an IPv4 host.
   */
  private static boolean isCanonicalIpv4(String host) {
    int parts = 0;
    int pos = 0;
    while (parts < 4) {
      int value = 0;
      int start = pos;
      while (pos < host.length() && pos - start < 3) {
        char c = host.charAt(pos);
        if (c < '0' || c > '9') break;
        value = value * 10 + (c - '0');
        pos++;
      }
      int digits = pos - start;
      if (digits == 0 || value > 255 || (digits > 1 && host.charAt(start) == '0')) return false;
      parts++;
      if (parts < 4) {
        if (pos == host.length() || host.charAt(pos) != '.') return false;
        pos++;
      }
    }
    return pos == host.length();
  }

  /**
   * Returns the value of one IPv4 part in decimal, octal or hex, {@link #TOO_BIG} if it has more
   * than 32 bits, or -1 if it is not a number.
   */
  private static long parseIpv4Number(String s, int pos, int limit) {
    if (pos == limit) return -1;
    int radix = 10;
    if (limit - pos >= 2 && s.charAt(pos) == '0'
        && (s.charAt(pos + 1) == 'x' || s.charAt(pos + 1) == 'X')) {
      radix = 16;
      pos += 2;
    } else if (limit - pos >= 2 && s.charAt(pos) == '0') {
      radix = 8;
      pos += 1;
    }
    long value = 0;
    for (int i = pos; i < limit; i++) {
      int digit = UrlPercentEncoding.hexValue(s.charAt(i));
      if (digit == -1 || digit >= radix) return -1;
      if (value != TOO_BIG) {
        value = value * radix + digit;
        if (value > 0xffffffffL) value = TOO_BIG;
      }
    }
    return value;
  }

  /**
   * Returns {@code input[pos..limit)}, an IPv6 address without brackets, in canonical form without
   * brackets, or null if it is not a valid IPv6 address.
   */
  static String canonicalIpv6(String input, int pos, int limit) {
    int[] pieces = parseIpv6(input, pos, limit);
    return pieces != null ? formatIpv6(pieces) : null;
  }

  /** Returns the eight 16-bit pieces of an IPv6 address, or null if it is malformed. */
  private static int[] parseIpv6(String s, int pos, int limit) {
    int[] pieces = new int[8];
    int pieceIndex = 0;
    int compress = -1;
    int i = pos;
    if (i < limit && s.charAt(i) == ':') {
      if (i + 1 >= limit || s.charAt(i + 1) != ':') return null;
      i += 2;
      compress = 0;
    }
    while (i < limit) {
      if (pieceIndex == 8) return null;
      if (s.charAt(i) == ':') {
        if (compress != -1) return null; // A second '::'.
        i++;
        compress = pieceIndex;
        continue;
      }
      int value = 0;
      int length = 0;
      while (length < 4 && i < limit) {
        int digit = UrlPercentEncoding.hexValue(s.charAt(i));
        if (digit == -1) break;
        value = (value << 4) | digit;
        i++;
        length++;
      }
      if (i < limit && s.charAt(i) == '.') {
        // The hex digits just read begin an embedded IPv4 address: reread them as decimal.
        if (length == 0 || pieceIndex > 6) return null;
        if (!parseEmbeddedIpv4(s, i - length, limit, pieces, pieceIndex)) return null;
        pieceIndex += 2;
        i = limit;
        break;
      }
      if (length == 0) return null;
      if (i < limit) {
        if (s.charAt(i) != ':') return null;
        i++;
        if (i == limit) return null; // A trailing single ':'.
      }
      pieces[pieceIndex++] = value;
    }
    if (compress != -1) {
      if (pieceIndex == 8) return null; // '::' must stand for at least one zero piece.
      int movedCount = pieceIndex - compress;
      System.arraycopy(pieces, compress, pieces, 8 - movedCount, movedCount);
      for (int j = compress; j < 8 - movedCount; j++) {
        pieces[j] = 0;
      }
    } else if (pieceIndex != 8) {
      return null;
    }
    return pieces;
  }

  /**
   * Reads a strict dotted-decimal IPv4 address (four parts, no leading zeros) from {@code
   * s[pos..limit)} into {@code pieces[pieceIndex]} and {@code pieces[pieceIndex + 1]}.
   */
  private static boolean parseEmbeddedIpv4(
      String s, int pos, int limit, int[] pieces, int pieceIndex) {
    int address = 0;
    int partCount = 0;
    int i = pos;
    while (i < limit) {
      if (partCount > 0) {
        if (s.charAt(i) != '.' || partCount == 4) return false;
        i++;
      }
      int partStart = i;
      int part = 0;
      while (i < limit && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        if (i > partStart && part == 0) return false; // A leading zero.
        part = part * 10 + (s.charAt(i) - '0');
        if (part > 255) return false;
        i++;
      }
      if (i == partStart) return false;
      address = (address << 8) | part;
      partCount++;
    }
    if (partCount != 4) return false;
    pieces[pieceIndex] = address >>> 16;
    pieces[pieceIndex + 1] = address & 0xffff;
    return true;
  }

  private static String formatIpv6(int[] pieces) {
    // Find the longest run of two or more zero pieces; the first one wins a tie (RFC 5952 §4.2.3).
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (pieces[i] != 0) {
        i++;
        continue;
      }
      int start = i;
      while (i < 8 && pieces[i] == 0) i++;
      if (i - start > bestLength) {
        bestStart = start;
        bestLength = i - start;
      }
    }
    StringBuilder out = new StringBuilder(39);
    for (int i = 0; i < 8; ) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength;
        continue;
      }
      if (i > 0 && i != bestStart + bestLength) out.append(':');
      out.append(Integer.toHexString(pieces[i]));
      i++;
    }
    return out.toString();
  }
}
