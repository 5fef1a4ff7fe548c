package dev.courier.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * Parses and formats HTTP dates (RFC 9110 §5.6.7). Internal: not part of Courier's public API and
 * may change without notice.
 *
 * <p>{@link #parse} accepts the preferred IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}), the
 * obsolete RFC 850 form ({@code Sunday, 06-Nov-94 08:49:37 GMT}), ANSI C's asctime form ({@code Sun
 * Nov  6 08:49:37 1994}), and variants often seen in {@code Set-Cookie} headers ({@code Sun,
 * 06-Nov-1994 08:49:37 GMT}, {@code Sun, 06 Nov 1994 08:49:37 -0000}). The day-of-week name must
 * be a real day name but is not checked against the date: the date is authoritative. A two-digit
 * year is read as 1970–2069, following RFC 6265 §5.1.1.
 *
 * <p>{@link #format} always writes IMF-fixdate. All methods are thread-safe.
 */
public final class HttpDates {
  /** The length of an IMF-fixdate, {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
  private static final int IMF_FIXDATE_LENGTH = 29;

  private static final String[] DAY_NAMES = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  private static final String[] MONTH_NAMES = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  private static final long SECONDS_PER_DAY = 86_400L;
  /** The first second of year 0000 and the last of year 9999: the years IMF-fixdate can hold. */
  private static final long MIN_FORMATTABLE_SECOND = -62_167_219_200L;
  private static final long MAX_FORMATTABLE_SECOND = 253_402_300_799L;

  /** Sunday, 06-Nov-94 08:49:37 GMT (RFC 850, obsolete but accepted by RFC 9110 §5.6.7). */
  private static final DateTimeFormatter RFC_850 = fallbackFormat("EEEE, dd-MMM-", true, " HH:mm:ss z");

  /** Sun Nov  6 08:49:37 1994 (asctime). The day is padded with a space; no zone means GMT. */
  private static final DateTimeFormatter ASCTIME = fallbackFormat("EEE MMM ppd HH:mm:ss ", false, "");

  /**
   * Formats tried in order when the IMF-fixdate fast path does not match. DateTimeFormatter is
   * immutable, so these are shared by every thread.
   */
  private static final DateTimeFormatter[] FALLBACK_FORMATS = {
    RFC_850,
    ASCTIME,
    // Sun, 06-Nov-1994 08:49:37 GMT (Netscape cookie style).
    fallbackFormat("EEE, dd-MMM-", false, " HH:mm:ss z"),
    // Sun, 06 Nov 1994 08:49:37 -0000 (numeric zone offset).
    fallbackFormat("EEE, dd MMM ", false, " HH:mm:ss xx"),
    // Sun, 06 Nov 1994 08:49:37 UTC (zone names other than GMT).
    fallbackFormat("EEE, dd MMM ", false, " HH:mm:ss z"),
    // Sunday, 06-Nov-1994 08:49:37 GMT (RFC 850 with a four-digit year).
    fallbackFormat("EEEE, dd-MMM-", false, " HH:mm:ss z"),
  };

  private HttpDates() {}

  /**
   * Returns the instant that {@code value} denotes, or null if it is not an HTTP date in one of the
   * accepted forms (see the class documentation). Leading and trailing whitespace is not skipped.
   */
  public static Instant parse(String value) {
    Instant imfFixdate = parseImfFixdateInstant(value);
    return imfFixdate != null ? imfFixdate : parseFallback(value);
  }

  /**
   * Returns the instant that {@code value} denotes if it is an HTTP-date as RFC 9110 §5.6.7 defines
   * it (IMF-fixdate, the obsolete RFC 850 form, or asctime), or null for anything else: a zone other
   * than GMT, dashes with a four-digit year, a missing comma. For fields where an invalid date has a
   * meaning of its own, such as {@code Expires} (RFC 9111 §5.3). Whitespace is not skipped.
   */
  public static Instant parseStrict(String value) {
    Instant imfFixdate = parseImfFixdateInstant(value);
    if (imfFixdate != null) return imfFixdate;
    // The RFC 850 pattern takes any zone name; HTTP allows only GMT.
    Instant rfc850 = value.endsWith(" GMT") ? parseWith(RFC_850, value) : null;
    return rfc850 != null ? rfc850 : parseWith(ASCTIME, value);
  }

  /**
   * Returns {@code instant} as an IMF-fixdate such as {@code Sun, 06 Nov 1994 08:49:37 GMT}.
   * Fractions of a second are dropped.
   *
   * @throws IllegalArgumentException if {@code instant} is outside the years 0000 to 9999
   */
  public static String format(Instant instant) {
    long epochSecond = instant.getEpochSecond();
    if (epochSecond < MIN_FORMATTABLE_SECOND || epochSecond > MAX_FORMATTABLE_SECOND) {
      throw new IllegalArgumentException("instant outside the years 0000 to 9999: " + instant);
    }
    long epochDay = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
    int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);

    // Civil-from-days in 400-year eras starting on March 1st, so the leap day ends each year.
    long shifted = epochDay + 719_468L;
    long era = Math.floorDiv(shifted, 146_097L);
    int dayOfEra = (int) (shifted - era * 146_097L);
    int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    int monthFromMarch = (5 * dayOfYear + 2) / 153;
    int day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
    int month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
    long year = era * 400 + yearOfEra + (month <= 2 ? 1 : 0);
    // 1970-01-01 was a Thursday.
    int dayOfWeek = (int) Math.floorMod(epochDay + 4, 7L);

    char[] out = new char[IMF_FIXDATE_LENGTH];
    DAY_NAMES[dayOfWeek].getChars(0, 3, out, 0);
    out[3] = ',';
    out[4] = ' ';
    writeTwoDigits(out, 5, day);
    out[7] = ' ';
    MONTH_NAMES[month - 1].getChars(0, 3, out, 8);
    out[11] = ' ';
    writeTwoDigits(out, 12, (int) (year / 100));
    writeTwoDigits(out, 14, (int) (year % 100));
    out[16] = ' ';
    writeTwoDigits(out, 17, secondOfDay / 3600);
    out[19] = ':';
    writeTwoDigits(out, 20, secondOfDay / 60 % 60);
    out[22] = ':';
    writeTwoDigits(out, 23, secondOfDay % 60);
    out[25] = ' ';
    out[26] = 'G';
    out[27] = 'M';
    out[28] = 'T';
    return new String(out);
  }

  /**
   * Returns the epoch second of the IMF-fixdate {@code s}, or {@link Long#MIN_VALUE} if {@code s}
   * is not exactly one. The caller has checked the length.
   */
  private static long parseImfFixdate(String s) {
    if (indexOfName(DAY_NAMES, s, 0) == -1
        || s.charAt(3) != ','
        || s.charAt(4) != ' '
        || s.charAt(7) != ' '
        || s.charAt(11) != ' '
        || s.charAt(16) != ' '
        || s.charAt(19) != ':'
        || s.charAt(22) != ':'
        || s.charAt(25) != ' '
        || s.charAt(26) != 'G'
        || s.charAt(27) != 'M'
        || s.charAt(28) != 'T') {
      return Long.MIN_VALUE;
    }
    int day = readDigits(s, 5, 7);
    int month = indexOfName(MONTH_NAMES, s, 8) + 1;
    int year = readDigits(s, 12, 16);
    int hour = readDigits(s, 17, 19);
    int minute = readDigits(s, 20, 22);
    int second = readDigits(s, 23, 25);
    // RFC 9110 allows second 60 only where a leap second was added; like java.time, reject it.
    if (day < 1
        || month == 0
        || year < 0
        || day > daysInMonth(year, month)
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return Long.MIN_VALUE;
    }
    return daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
  }

  private static Instant parseImfFixdateInstant(String value) {
    if (value.length() != IMF_FIXDATE_LENGTH) return null;
    long epochSecond = parseImfFixdate(value);
    return epochSecond != Long.MIN_VALUE ? Instant.ofEpochSecond(epochSecond) : null;
  }

  private static Instant parseFallback(String value) {
    for (DateTimeFormatter format : FALLBACK_FORMATS) {
      Instant parsed = parseWith(format, value);
      if (parsed != null) return parsed;
    }
    return null;
  }

  private static Instant parseWith(DateTimeFormatter format, String value) {
    try {
      TemporalAccessor parsed = format.parse(value);
      return Instant.from(parsed);
    } catch (DateTimeException e) {
      return null; // Not this form.
    }
  }

  /**
   * Returns a formatter for {@code prefix + year + suffix}, where the year has two digits (read as
   * 1970–2069) or four. The day of week is parsed but left out of resolving, so a wrong day name
   * does not reject an otherwise valid date.
   */
  private static DateTimeFormatter fallbackFormat(
      String prefix, boolean twoDigitYear, String suffix) {
    DateTimeFormatterBuilder builder =
        new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(prefix);
    if (twoDigitYear) {
      builder.appendValueReduced(ChronoField.YEAR, 2, 2, 1970);
    } else {
      builder.appendValue(ChronoField.YEAR, 4);
    }
    return builder
        .appendPattern(suffix)
        .toFormatter(Locale.US)
        .withZone(ZoneOffset.UTC)
        .withResolverStyle(ResolverStyle.STRICT)
        .withResolverFields(
            ChronoField.YEAR,
            ChronoField.MONTH_OF_YEAR,
            ChronoField.DAY_OF_MONTH,
            ChronoField.HOUR_OF_DAY,
            ChronoField.MINUTE_OF_HOUR,
            ChronoField.SECOND_OF_MINUTE,
            ChronoField.OFFSET_SECONDS);
  }

  /** Returns the index of the three-letter name at {@code offset} in {@code s}, or -1. */
  private static int indexOfName(String[] names, String s, int offset) {
    for (int i = 0; i < names.length; i++) {
      if (s.regionMatches(offset, names[i], 0, 3)) return i;
    }
    return -1;
  }

  /** Returns the decimal number in {@code s[start..end)}, or -1 if any character is not a digit. */
  private static int readDigits(String s, int start, int end) {
    int result = 0;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return -1;
      result = result * 10 + (c - '0');
    }
    return result;
  }

  private static void writeTwoDigits(char[] out, int offset, int value) {
    out[offset] = (char) ('0' + value / 10);
    out[offset + 1] = (char) ('0' + value % 10);
  }

  static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Returns days since 1970-01-01 of a proleptic Gregorian date with a non-negative year. */
  static long daysFromCivil(int year, int month, int day) {
    // Count from March 1st so the leap day falls at the end of the computed year.
    int y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    int yearOfEra = (int) (y - era * 400);
    int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097L + dayOfEra - 719_468L;
  }
}
