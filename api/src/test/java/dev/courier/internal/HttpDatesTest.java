package dev.courier.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HttpDatesTest {
  /** 1994-11-06T08:49:37Z, the example date of RFC 9110 §5.6.7. */
  private static final Instant RFC_EXAMPLE = Instant.parse("1994-11-06T08:49:37Z");

  /** An independent IMF-fixdate writer to check the hand-written one against. */
  private static final DateTimeFormatter REFERENCE =
      DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  @Test
  void strictParsingAcceptsTheThreeHttpDateForms() {
    assertThat(HttpDates.parseStrict("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(RFC_EXAMPLE);
    assertThat(HttpDates.parseStrict("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(RFC_EXAMPLE);
    assertThat(HttpDates.parseStrict("Sun Nov  6 08:49:37 1994")).isEqualTo(RFC_EXAMPLE);
  }

  @Test
  void strictParsingRefusesWhatOnlyCookiesUse() {
    assertThat(HttpDates.parseStrict("Sun, 06-Nov-1994 08:49:37 GMT")).isNull();
    assertThat(HttpDates.parseStrict("Sunday, 06-Nov-1994 08:49:37 GMT")).isNull();
    assertThat(HttpDates.parseStrict("Sun, 06 Nov 1994 08:49:37 UTC")).isNull();
    assertThat(HttpDates.parseStrict("Sun, 06 Nov 1994 08:49:37 AEST")).isNull();
    assertThat(HttpDates.parseStrict("Sunday, 06-Nov-94 08:49:37 UTC")).isNull();
    assertThat(HttpDates.parseStrict("Sun, 06 Nov 1994 08:49:37 -0000")).isNull();
    assertThat(HttpDates.parseStrict("Sun 06 Nov 1994 08:49:37 GMT")).isNull();
    assertThat(HttpDates.parseStrict("Sun, 06 Nov 1994 8:49:37 GMT")).isNull();
    assertThat(HttpDates.parseStrict("0")).isNull();
    assertThat(HttpDates.parseStrict("")).isNull();
  }

  @Test
  void parsesImfFixdate() {
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(RFC_EXAMPLE);
  }

  @Test
  void parsesObsoleteRfc850Date() {
    assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(RFC_EXAMPLE);
  }

  @Test
  void parsesRfc850DateWithFourDigitYear() {
    assertThat(HttpDates.parse("Sunday, 06-Nov-1994 08:49:37 GMT")).isEqualTo(RFC_EXAMPLE);
  }

  @Test
  void parsesAsctimeDateWithSpacePaddedDay() {
    assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).isEqualTo(RFC_EXAMPLE);
  }

  @Test
  void parsesAsctimeDateWithTwoDigitDay() {
    assertThat(HttpDates.parse("Wed Nov 16 08:49:37 1994"))
        .isEqualTo(Instant.parse("1994-11-16T08:49:37Z"));
  }

  @Test
  void parsesNetscapeCookieDateWithDashesAndFourDigitYear() {
    assertThat(HttpDates.parse("Sun, 06-Nov-1994 08:49:37 GMT")).isEqualTo(RFC_EXAMPLE);
  }

  @Test
  void parsesNumericZeroOffset() {
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 -0000")).isEqualTo(RFC_EXAMPLE);
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 +0000")).isEqualTo(RFC_EXAMPLE);
  }

  @Test
  void appliesNonZeroNumericOffset() {
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 09:49:37 +0100")).isEqualTo(RFC_EXAMPLE);
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 03:49:37 -0500")).isEqualTo(RFC_EXAMPLE);
  }

  @Test
  void parsesUtcZoneName() {
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 UTC")).isEqualTo(RFC_EXAMPLE);
  }

  @Test
  void parsesNamesCaseInsensitively() {
    assertThat(HttpDates.parse("SUN, 06 NOV 1994 08:49:37 GMT")).isEqualTo(RFC_EXAMPLE);
    assertThat(HttpDates.parse("sunday, 06-nov-94 08:49:37 gmt")).isEqualTo(RFC_EXAMPLE);
  }

  @Test
  void readsTwoDigitYearsAsNineteenSeventyToTwentySixtyNine() {
    assertThat(HttpDates.parse("Thursday, 01-Jan-70 00:00:00 GMT")).isEqualTo(Instant.EPOCH);
    assertThat(HttpDates.parse("Sunday, 01-Jan-69 00:00:00 GMT"))
        .isEqualTo(Instant.parse("2069-01-01T00:00:00Z"));
    assertThat(HttpDates.parse("Friday, 01-Jan-99 00:00:00 GMT"))
        .isEqualTo(Instant.parse("1999-01-01T00:00:00Z"));
    assertThat(HttpDates.parse("Saturday, 01-Jan-00 00:00:00 GMT"))
        .isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
  }

  @Test
  void toleratesWrongDayOfWeekInEveryForm() {
    assertThat(HttpDates.parse("Mon, 06 Nov 1994 08:49:37 GMT")).isEqualTo(RFC_EXAMPLE);
    assertThat(HttpDates.parse("Monday, 06-Nov-94 08:49:37 GMT")).isEqualTo(RFC_EXAMPLE);
    assertThat(HttpDates.parse("Mon Nov  6 08:49:37 1994")).isEqualTo(RFC_EXAMPLE);
    assertThat(HttpDates.parse("Mon, 06-Nov-1994 08:49:37 GMT")).isEqualTo(RFC_EXAMPLE);
  }

  @Test
  void rejectsUnknownDayOrMonthName() {
    assertThat(HttpDates.parse("Sux, 06 Nov 1994 08:49:37 GMT")).isNull();
    assertThat(HttpDates.parse("Sun, 06 Nom 1994 08:49:37 GMT")).isNull();
  }

  @Test
  void acceptsLeapDayOnlyInLeapYears() {
    assertThat(HttpDates.parse("Thu, 29 Feb 2024 00:00:00 GMT"))
        .isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
    assertThat(HttpDates.parse("Tue, 29 Feb 2000 00:00:00 GMT"))
        .isEqualTo(Instant.parse("2000-02-29T00:00:00Z"));
    assertThat(HttpDates.parse("Wed, 29 Feb 2023 00:00:00 GMT")).isNull();
    assertThat(HttpDates.parse("Thu, 29 Feb 2100 00:00:00 GMT")).isNull();
  }

  @Test
  void rejectsDaysBeyondTheEndOfTheMonth() {
    assertThat(HttpDates.parse("Sat, 31 Apr 2021 00:00:00 GMT")).isNull();
    assertThat(HttpDates.parse("Sat, 32 Jan 2021 00:00:00 GMT")).isNull();
    assertThat(HttpDates.parse("Sat, 00 Jan 2021 00:00:00 GMT")).isNull();
  }

  @Test
  void rejectsOutOfRangeTimeOfDay() {
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 24:00:00 GMT")).isNull();
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:60:00 GMT")).isNull();
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:60 GMT")).isNull();
  }

  @Test
  void rejectsMalformedInput() {
    assertThat(HttpDates.parse("")).isNull();
    assertThat(HttpDates.parse("garbage")).isNull();
    assertThat(HttpDates.parse("1994-11-06T08:49:37Z")).isNull();
    assertThat(HttpDates.parse("Sun, 6 Nov 1994 08:49:37 GMT")).isNull();
    assertThat(HttpDates.parse("Sun, 06 Nov 94 08:49:37 GMT")).isNull();
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMX")).isNull();
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:3x GMT")).isNull();
    assertThat(HttpDates.parse("Sun; 06 Nov 1994 08:49:37 GMT")).isNull();
  }

  @Test
  void rejectsSurroundingWhitespaceAndTrailingText() {
    assertThat(HttpDates.parse(" Sun, 06 Nov 1994 08:49:37 GMT")).isNull();
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT ")).isNull();
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMTx")).isNull();
  }

  @Test
  void formatsImfFixdate() {
    assertThat(HttpDates.format(RFC_EXAMPLE)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    assertThat(HttpDates.format(Instant.EPOCH)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
  }

  @Test
  void formatsLeapDayAndDatesBeforeTheEpoch() {
    assertThat(HttpDates.format(Instant.parse("2024-02-29T23:59:59Z")))
        .isEqualTo("Thu, 29 Feb 2024 23:59:59 GMT");
    assertThat(HttpDates.format(Instant.parse("1969-12-31T23:59:59Z")))
        .isEqualTo("Wed, 31 Dec 1969 23:59:59 GMT");
  }

  @Test
  void formatsFirstAndLastFourDigitYears() {
    assertThat(HttpDates.format(Instant.parse("0000-01-01T00:00:00Z")))
        .isEqualTo("Sat, 01 Jan 0000 00:00:00 GMT");
    assertThat(HttpDates.format(Instant.parse("9999-12-31T23:59:59.999Z")))
        .isEqualTo("Fri, 31 Dec 9999 23:59:59 GMT");
  }

  @Test
  void formatDropsFractionsOfASecond() {
    assertThat(HttpDates.format(RFC_EXAMPLE.plusMillis(999)))
        .isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
  }

  @Test
  void formatRejectsYearsThatDoNotFitFourDigits() {
    assertThatThrownBy(() -> HttpDates.format(Instant.parse("+10000-01-01T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0000 to 9999");
    assertThatThrownBy(() -> HttpDates.format(Instant.parse("-0001-12-31T23:59:59Z")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0000 to 9999");
  }

  @Test
  void formatAgreesWithJavaTimeAndParsesBack() {
    Random random = new Random(20240229L);
    long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 20_000; i++) {
      long epochSecond = min + Math.floorMod(random.nextLong(), max - min + 1);
      Instant instant = Instant.ofEpochSecond(epochSecond);
      String formatted = HttpDates.format(instant);
      assertThat(formatted).isEqualTo(REFERENCE.format(instant));
      assertThat(HttpDates.parse(formatted)).isEqualTo(instant);
    }
  }

  @Test
  @Timeout(10)
  void parseAndFormatAreSafeToCallFromManyThreads() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long seed = t;
        results.add(
            executor.submit(
                () -> {
                  Random random = new Random(seed);
                  for (int i = 0; i < 2_000; i++) {
                    Instant instant = Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE));
                    String imf = HttpDates.format(instant);
                    String rfc850 =
                        DateTimeFormatter.ofPattern("EEEE, dd-MMM-uuuu HH:mm:ss 'GMT'", Locale.US)
                            .withZone(ZoneOffset.UTC)
                            .format(instant);
                    if (!instant.equals(HttpDates.parse(imf))) return false;
                    if (!instant.equals(HttpDates.parse(rfc850))) return false;
                  }
                  return true;
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      executor.shutdownNow();
    }
  }
}
