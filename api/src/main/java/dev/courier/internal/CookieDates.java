package dev.courier.internal;

import java.time.Instant;

/**
 * Parses the {@code Expires} attribute of a {@code Set-Cookie} header with the algorithm of RFC
 * 6265 §5.1.1, which reads the dates servers really send rather than only HTTP-dates. Internal:
 * not part of Courier's public API and may change without notice.
 *
 * <p>The value is split into tokens at delimiters (most punctuation and whitespace). The first
 * token that looks like a time ({@code 8:49:37}), then a day of month ({@code 6}), a month (its
 * first three letters) and a year ({@code 94} or {@code 1994}) are taken, in whatever order they
 * appear; everything else, such as a day of week or a zone, is ignored and the time is read as
 * UTC. A two-digit year 70–99 means 19xx and 00–69 means 20xx. A date before 1601 or one that does
 * not exist (February 30th) is invalid. Thread-safe.
 */
public final class CookieDates {
  private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";
  private static final long SECONDS_PER_DAY = 86_400L;

  private CookieDates() {}

  /** Returns the instant {@code value} denotes, or null if it is not a valid cookie date. */
  public static Instant parse(String value) {
    int hour = -1;
    int minute = -1;
    int second = -1;
    int day = -1;
    int month = -1;
    int year = -1;
    int pos = 0;
    int limit = value.length();
    while (pos < limit) {
      while (pos < limit && isDelimiter(value.charAt(pos))) pos++;
      int start = pos;
      while (pos < limit && !isDelimiter(value.charAt(pos))) pos++;
      if (start == pos) break;

      // Step 2: each token is tried as a time, a day of month, a month and a year, in that
      // order, and only for the parts not yet found.
      if (hour == -1) {
        long time = parseTime(value, start, pos);
        if (time != -1L) {
          hour = (int) (time >> 16);
          minute = (int) (time >> 8) & 0xff;
          second = (int) time & 0xff;
          continue;
        }
      }
      if (day == -1) {
        int parsed = parseDigits(value, start, pos, 1, 2);
        if (parsed != -1) {
          day = parsed;
          continue;
        }
      }
      if (month == -1) {
        int parsed = parseMonth(value, start, pos);
        if (parsed != -1) {
          month = parsed;
          continue;
        }
      }
      if (year == -1) {
        int parsed = parseDigits(value, start, pos, 2, 4);
        if (parsed != -1) {
          year = parsed;
        }
      }
    }

    // Steps 3 to 6.
    if (year >= 70 && year <= 99) year += 1900;
    if (year >= 0 && year <= 69) year += 2000;
    if (hour == -1 || day == -1 || month == -1 || year == -1) return null;
    if (day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59) return null;
    // Step 7: a date that does not exist is a failure too.
    if (day > HttpDates.daysInMonth(year, month)) return null;
    long epochDay = HttpDates.daysFromCivil(year, month, day);
    return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second);
  }

  /**
   * Returns {@code hour << 16 | minute << 8 | second} if {@code s[start..end)} is a time token
   * ({@code 1*2DIGIT ":" 1*2DIGIT ":" 1*2DIGIT}, then nothing or a non-digit and anything), else
   * -1.
   */
  private static long parseTime(String s, int start, int end) {
    int result = 0;
    int pos = start;
    for (int field = 0; field < 3; field++) {
      if (field > 0) {
        if (pos == end || s.charAt(pos) != ':') return -1L;
        pos++;
      }
      int fieldStart = pos;
      int value = 0;
      while (pos < end && pos - fieldStart < 2 && isDigit(s.charAt(pos))) {
        value = value * 10 + (s.charAt(pos) - '0');
        pos++;
      }
      if (pos == fieldStart) return -1L;
      result = (result << 8) | value;
    }
    if (pos < end && isDigit(s.charAt(pos))) return -1L;
    return result;
  }

  /**
   * Returns the number made of the {@code minDigits} to {@code maxDigits} digits at the start of
   * {@code s[start..end)}, if nothing or a non-digit follows them; otherwise -1.
   */
  private static int parseDigits(String s, int start, int end, int minDigits, int maxDigits) {
    int pos = start;
    int value = 0;
    while (pos < end && pos - start < maxDigits && isDigit(s.charAt(pos))) {
      value = value * 10 + (s.charAt(pos) - '0');
      pos++;
    }
    if (pos - start < minDigits) return -1;
    if (pos < end && isDigit(s.charAt(pos))) return -1;
    return value;
  }

  /** Returns 1 to 12 if {@code s[start..end)} begins with a month's three-letter name, else -1. */
  private static int parseMonth(String s, int start, int end) {
    if (end - start < 3) return -1;
    for (int i = 0; i < 12; i++) {
      if (s.regionMatches(true, start, MONTHS, i * 3, 3)) return i + 1;
    }
    return -1;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Returns true for RFC 6265's delimiter: %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E. */
  private static boolean isDelimiter(char c) {
    return c == '\t'
        || (c >= 0x20 && c <= 0x2f)
        || (c >= 0x3b && c <= 0x40)
        || (c >= 0x5b && c <= 0x60)
        || (c >= 0x7b && c <= 0x7e);
  }
}
