package dev.courier.internal.idna;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PunycodeTest {
  @Test
  void encodesAndDecodesRfc3492Samples() {
    // RFC 3492 section 7.1: (A) Arabic (Egyptian), (L) Japanese, (S) "-> $1.00 <-".
    assertRoundTrip("\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634"
        + "\u0639\u0631\u0628\u064A\u061F", "egbpdaj6bu4bxfgehfvwxn");
    assertRoundTrip("3\u5E74B\u7D44\u91D1\u516B\u5148\u751F", "3B-ww4c5e180e575a65lsy2b");
    assertRoundTrip("-> $1.00 <-", "-> $1.00 <--");
    assertRoundTrip("bücher", "bcher-kva");
    assertRoundTrip("\uD83D\uDE00", "e28h"); // A supplementary code point.
  }

  @Test
  void decodeRefusesMalformedInput() {
    assertThat(Punycode.decode("a-!", 0, 3)).isNull(); // Not a digit.
    assertThat(Punycode.decode("ü-a", 0, 3)).isNull(); // A basic code point that is not ASCII.
    assertThat(Punycode.decode("99999999999", 0, 11)).isNull(); // Overflows.
    assertThat(Punycode.decode("bcher-kv", 0, 8)).isNull(); // Truncated.
  }

  @Test
  void encodeRefusesUnpairedSurrogate() {
    assertThat(Punycode.encode("a\uD800", new StringBuilder())).isFalse();
  }

  private static void assertRoundTrip(String decoded, String encoded) {
    StringBuilder out = new StringBuilder();
    assertThat(Punycode.encode(decoded, out)).isTrue();
    assertThat(out.toString()).isEqualToIgnoringCase(encoded);
    assertThat(Punycode.decode(encoded, 0, encoded.length())).isEqualTo(decoded);
  }
}
