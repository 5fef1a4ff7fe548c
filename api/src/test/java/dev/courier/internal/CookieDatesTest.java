package dev.courier.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests {@link CookieDates} with cases of our own, and runs the date cases of the IETF http-state
 * test suite when they are present (see {@link HttpStateSuite}); those are skipped otherwise.
 */
class CookieDatesTest {
  private static final Instant NOV_6_1994 = Instant.parse("1994-11-06T08:49:37Z");

  @ParameterizedTest
  @ValueSource(strings = {
      "Sun, 06 Nov 1994 08:49:37 GMT",
      "Sunday, 06-Nov-94 08:49:37 GMT",
      "Sun Nov  6 08:49:37 1994",
      "06 Nov 1994 08:49:37",
      "Nov 6 1994 8:49:37",
      "8:49:37 1994 November 6",
      "1994 6 Nov 08:49:37 GMT",
      "Sun, 6-Nov-1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 08:49:37 UTC",
      "Sun, 06 Nov 1994 08:49:37 +0000",
      "Sat, 06 Nov 1994 08:49:37 GMT",
      "sun, 06 NOV 1994 08:49:37 gmt",
      "Sun,06/Nov/1994;08:49:37",
      "Sun, 06 Nov 94 08:49:37 GMT"})
  void readsTheTokensInAnyOrderAndIgnoresTheWeekdayAndZone(String value) {
    assertThat(CookieDates.parse(value)).isEqualTo(NOV_6_1994);
  }

  @Test
  void singleDigitDaysAreAccepted() {
    assertThat(CookieDates.parse("Wed, 6 Nov 2030 08:49:37 GMT"))
        .isEqualTo(Instant.parse("2030-11-06T08:49:37Z"));
    assertThat(CookieDates.parse("Thu, 1-Jan-2015 00:00:00 GMT"))
        .isEqualTo(Instant.parse("2015-01-01T00:00:00Z"));
    assertThat(CookieDates.parse("Jan 9 2015 23:59:59"))
        .isEqualTo(Instant.parse("2015-01-09T23:59:59Z"));
  }

  @Test
  void twoDigitYearsAreAccepted() {
    assertThat(CookieDates.parse("Wed, 06-Nov-30 08:49:37 GMT"))
        .isEqualTo(Instant.parse("2030-11-06T08:49:37Z"));
    assertThat(CookieDates.parse("Thursday, 01-Jan-15 00:00:00 GMT"))
        .isEqualTo(Instant.parse("2015-01-01T00:00:00Z"));
  }

  @Test
  void weekdayMayBeLeftOut() {
    Instant nov6 = Instant.parse("2030-11-06T08:49:37Z");
    assertThat(CookieDates.parse("06 Nov 2030 08:49:37 GMT")).isEqualTo(nov6);
    assertThat(CookieDates.parse("06-Nov-30 08:49:37 GMT")).isEqualTo(nov6);
    assertThat(CookieDates.parse("6 Nov 30 08:49:37")).isEqualTo(nov6);
  }

  @Test
  void twoDigitYearsBelow70AreThisCentury() {
    assertThat(CookieDates.parse("1 Jan 69 00:00:00")).isEqualTo(Instant.parse("2069-01-01T00:00:00Z"));
    assertThat(CookieDates.parse("1 Jan 70 00:00:00")).isEqualTo(Instant.parse("1970-01-01T00:00:00Z"));
    assertThat(CookieDates.parse("1 Jan 00 00:00:00")).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
    assertThat(CookieDates.parse("1 Jan 99 00:00:00")).isEqualTo(Instant.parse("1999-01-01T00:00:00Z"));
  }

  @Test
  void singleDigitTimeFieldsAndTrailingTextAfterDigitsAreAccepted() {
    assertThat(CookieDates.parse("1 Jan 2030 1:2:3")).isEqualTo(Instant.parse("2030-01-01T01:02:03Z"));
    assertThat(CookieDates.parse("1st Jan 2030 01:02:03pm"))
        .isEqualTo(Instant.parse("2030-01-01T01:02:03Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "tomorrow",
      "Sun, 06 Nov 1994",
      "Sun, 06 Nov 08:49:37",
      "Sun, Nov 1994 08:49:37",
      "Sun, 06 1994 08:49:37",
      "Sun, 32 Nov 1994 08:49:37 GMT",
      "Sun, 00 Nov 1994 08:49:37 GMT",
      "Sun, 31 Nov 1994 08:49:37 GMT",
      "Sun, 29 Feb 1900 08:49:37 GMT",
      "Sun, 06 Nov 1600 08:49:37 GMT",
      "Sun, 06 Nov 1994 24:00:00 GMT",
      "Sun, 06 Nov 1994 08:60:00 GMT",
      "Sun, 06 Nov 1994 08:49:60 GMT",
      "Sun, 06 Nov 1994 008:49:37 GMT",
      "Sun, 06 Nov 19945 08:49:37 GMT",
      "Sun, 006 Nov 1994 08:49:37 GMT",
      "Sun, 06 No 1994 08:49:37 GMT"})
  void invalidDatesAreRefused(String value) {
    assertThat(CookieDates.parse(value)).isNull();
  }

  @Test
  void leapDayExistsOnlyInLeapYears() {
    assertThat(CookieDates.parse("29 Feb 2024 00:00:00")).isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
    assertThat(CookieDates.parse("29 Feb 2023 00:00:00")).isNull();
  }

  @Test
  void firstTimeLikeTokenWinsEvenWhenItIsInvalid() {
    // The algorithm takes the first token of each kind; a bad time is not replaced by a later one.
    assertThat(CookieDates.parse("15-Apr-17 91:22:33 21:01:22")).isNull();
  }

  /**
   * Runs the date cases of the IETF http-state test suite ({@code tests/data/dates/}), read from
   * the suite's directory that {@link HttpStateSuite} finds; skipped when the data is absent.
   */
  @ParameterizedTest
  @ValueSource(strings = {"examples.json", "bsd-examples.json"})
  void passesTheHttpStateDateCases(String file) throws IOException {
    List<String[]> cases = readCases(
        new String(Files.readAllBytes(HttpStateSuite.directory("dates").resolve(file)),
            StandardCharsets.UTF_8));
    assertThat(cases).hasSizeGreaterThan(10);
    for (String[] c : cases) {
      Instant expected = c[1] == null ? null : HttpDates.parse(c[1]);
      assertThat(CookieDates.parse(c[0])).as(c[0]).isEqualTo(expected);
    }
  }

  /** Returns {test, expected} pairs, reading just enough JSON for these files. */
  private static List<String[]> readCases(String json) {
    Pattern pair = Pattern.compile(
        "\"test\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\",\\s*\"expected\":\\s*(null|\"((?:[^\"\\\\]|\\\\.)*)\")");
    List<String[]> result = new ArrayList<>();
    Matcher m = pair.matcher(json);
    while (m.find()) {
      result.add(new String[] {unescape(m.group(1)), m.group(3) == null ? null : unescape(m.group(3))});
    }
    return result;
  }

  private static String unescape(String s) {
    return s.replace("\\\"", "\"").replace("\\\\", "\\");
  }
}
