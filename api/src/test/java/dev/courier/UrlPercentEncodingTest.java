package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlPercentEncodingTest {
  private static final String PRINTABLE_ASCII = printableAscii();

  private static String printableAscii() {
    StringBuilder out = new StringBuilder();
    for (char c = 0x20; c < 0x7f; c++) {
      out.append(c);
    }
    return out.toString();
  }

  /** Returns the printable ASCII characters that {@code encodeSet} encodes in decoded text. */
  private static String encodedCharacters(boolean[] encodeSet) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < PRINTABLE_ASCII.length(); i++) {
      String c = PRINTABLE_ASCII.substring(i, i + 1);
      if (!UrlPercentEncoding.canonicalize(c, encodeSet, false).equals(c)) out.append(c);
    }
    return out.toString();
  }

  @Test
  void eachComponentEncodesExactlyItsSet() {
    assertThat(encodedCharacters(UrlPercentEncoding.USERINFO)).isEqualTo(" \"#%/:;<=>?@[\\]^`{|}");
    assertThat(encodedCharacters(UrlPercentEncoding.PATH_SEGMENT)).isEqualTo(" \"#%/<>?\\^`{}");
    assertThat(encodedCharacters(UrlPercentEncoding.QUERY)).isEqualTo(" \"#%'<>");
    assertThat(encodedCharacters(UrlPercentEncoding.QUERY_DECODED)).isEqualTo(" \"#%'+<>");
    assertThat(encodedCharacters(UrlPercentEncoding.QUERY_COMPONENT_ENCODED)).isEqualTo(" \"#%&'<=>");
    assertThat(encodedCharacters(UrlPercentEncoding.QUERY_COMPONENT)).isEqualTo(" \"#%&'+<=>");
    assertThat(encodedCharacters(UrlPercentEncoding.FRAGMENT)).isEqualTo(" \"%<>`");
  }

  @Test
  void controlCharactersAreAlwaysEncoded() {
    assertThat(UrlPercentEncoding.canonicalize("\u0000\t\n\u001f\u007f", UrlPercentEncoding.QUERY, true))
        .isEqualTo("%00%09%0A%1F%7F");
  }

  @Test
  void inputIsReturnedItselfWhenNothingNeedsEncoding() {
    String input = "abc/def";

    assertThat(UrlPercentEncoding.canonicalize(input, UrlPercentEncoding.QUERY, true)).isSameAs(input);
    assertThat(UrlPercentEncoding.canonicalize("xx%41yy", 2, 5, UrlPercentEncoding.QUERY, true))
        .isEqualTo("%41");
  }

  @Test
  void rangeIsEncodedWithoutItsSurroundings() {
    assertThat(UrlPercentEncoding.canonicalize("< a >", 1, 4, UrlPercentEncoding.QUERY, true))
        .isEqualTo("%20a%20");
  }

  @Test
  void nonAsciiIsEncodedAsUtf8() {
    assertThat(UrlPercentEncoding.canonicalize("é☃\uD83D\uDE00", UrlPercentEncoding.FRAGMENT, false))
        .isEqualTo("%C3%A9%E2%98%83%F0%9F%98%80");
    assertThat(UrlPercentEncoding.canonicalize("\u0080\u07ff\u0800\uffff", UrlPercentEncoding.FRAGMENT, false))
        .isEqualTo("%C2%80%DF%BF%E0%A0%80%EF%BF%BF");
  }

  @Test
  void unpairedSurrogatesAreEncodedAsReplacementCharacter() {
    assertThat(UrlPercentEncoding.canonicalize("a\uD800", UrlPercentEncoding.FRAGMENT, false))
        .isEqualTo("a%EF%BF%BD");
    assertThat(UrlPercentEncoding.canonicalize("\uDC00b", UrlPercentEncoding.FRAGMENT, false))
        .isEqualTo("%EF%BF%BDb");
  }

  @Test
  void encodedTextKeepsEscapesAndLonePercents() {
    String input = "%41%4a%";
    assertThat(UrlPercentEncoding.canonicalize(input, UrlPercentEncoding.PATH_SEGMENT, true))
        .isSameAs(input);
    assertThat(UrlPercentEncoding.canonicalize("%4", UrlPercentEncoding.PATH_SEGMENT, true))
        .isEqualTo("%4");
    assertThat(UrlPercentEncoding.canonicalize("%4g ", UrlPercentEncoding.PATH_SEGMENT, true))
        .isEqualTo("%4g%20");
  }

  @Test
  void uriSafeEscapesWhatUriRefusesAndLonePercents() {
    assertThat(UrlPercentEncoding.uriSafe("%41%[a]{|}^`%4", UrlPercentEncoding.URI_PATH))
        .isEqualTo("%41%25%5Ba%5D%7B%7C%7D%5E%60%254");
    assertThat(UrlPercentEncoding.uriSafe("a=[1]&b=%zz#\\ \"<>", UrlPercentEncoding.URI_QUERY))
        .isEqualTo("a=[1]&b=%25zz%23%5C%20%22%3C%3E");
  }

  @Test
  void uriSafeReturnsInputItselfWhenNothingNeedsEscaping() {
    String input = "a%20b/c=d&e;f:g@h!$'()*+,~";

    assertThat(UrlPercentEncoding.uriSafe(input, UrlPercentEncoding.URI_PATH)).isSameAs(input);
    assertThat(UrlPercentEncoding.uriSafe(input, UrlPercentEncoding.URI_QUERY)).isSameAs(input);
  }

  @Test
  void decodedTextEncodesEveryPercent() {
    assertThat(UrlPercentEncoding.canonicalize("%41", UrlPercentEncoding.PATH_SEGMENT, false))
        .isEqualTo("%2541");
  }

  @Test
  void decodeReturnsInputItselfWithoutEscapes() {
    String input = "a+b c";

    assertThat(UrlPercentEncoding.decode(input, false)).isSameAs(input);
    assertThat(UrlPercentEncoding.decode(input, true)).isEqualTo("a b c");
  }

  @Test
  void decodeReadsUtf8AndKeepsInvalidEscapes() {
    assertThat(UrlPercentEncoding.decode("%C3%BC%2b%zz%4%", false)).isEqualTo("ü+%zz%4%");
    assertThat(UrlPercentEncoding.decode("a%C3", false)).isEqualTo("a\uFFFD");
  }

  @Test
  void decodeKeepsNonAsciiInput() {
    assertThat(UrlPercentEncoding.decode("☃%20\uD83D\uDE00", false)).isEqualTo("☃ \uD83D\uDE00");
  }

  @Test
  void decodeOnlyReadsTheRange() {
    assertThat(UrlPercentEncoding.decode("x%41%42y", 1, 4, false)).isEqualTo("A");
  }

  @Test
  void hexValueReadsBothCases() {
    assertThat(UrlPercentEncoding.hexValue('0')).isZero();
    assertThat(UrlPercentEncoding.hexValue('a')).isEqualTo(10);
    assertThat(UrlPercentEncoding.hexValue('F')).isEqualTo(15);
    assertThat(UrlPercentEncoding.hexValue('g')).isEqualTo(-1);
  }
}
