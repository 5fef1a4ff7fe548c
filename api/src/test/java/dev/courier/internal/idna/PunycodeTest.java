package dev.courier.internal.idna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.internal.PublicSuffixList;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPInputStream;
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

  @Test
  void asciiLabelIsReturnedAsItIs() {
    assertThat(Punycode.encodeLabel("example")).isEqualTo("example");
  }

  @Test
  void encodesWellKnownLabels() {
    assertThat(Punycode.encodeLabel("b\u00fccher")).isEqualTo("xn--bcher-kva");
    assertThat(Punycode.encodeLabel("m\u00fcnchen")).isEqualTo("xn--mnchen-3ya");
    assertThat(Punycode.encodeLabel("\u0440\u0444")).isEqualTo("xn--p1ai");
    assertThat(Punycode.encodeLabel("\u516c\u53f8")).isEqualTo("xn--55qx5d");
    // Non-transitional: ß stays ß rather than becoming "ss" as IDNA 2003 would map it.
    assertThat(Punycode.encodeLabel("fa\u00df")).isEqualTo("xn--fa-hia");
  }

  @Test
  void encodesSupplementaryCodePoints() {
    String label = "a" + new String(Character.toChars(0x1F600));
    assertThat(Punycode.encodeLabel(label)).isEqualTo(IDN.toASCII(label, IDN.ALLOW_UNASSIGNED));
  }

  @Test
  void emptyLabelIsRefused() {
    assertThatThrownBy(() -> Punycode.encodeLabel("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void agreesWithTheJdkOnEveryUnicodeLabelOfThePublicSuffixList() throws IOException {
    int checked = 0;
    try (InputStream in = new GZIPInputStream(
            PublicSuffixList.class.getResourceAsStream("publicsuffix/public_suffix_list.dat.gz"));
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("//")) continue;
        for (String label : line.replaceFirst("^[!*]\\.?", "").split("\\.")) {
          if (label.chars().allMatch(c -> c < 0x80)) continue;
          assertThat(Punycode.encodeLabel(label)).as(label)
              .isEqualTo(IDN.toASCII(label, IDN.ALLOW_UNASSIGNED));
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(300);
  }

  @Test
  void agreesWithTheJdkOnSeededRandomLabels() {
    // Lowercase letters, digits, Latin-1 letters, Cyrillic and CJK: all unchanged by nameprep.
    int[][] ranges = {{'a', 'z'}, {'0', '9'}, {0xe0, 0xf6}, {0x430, 0x44f}, {0x4e00, 0x4fff}};
    Random random = new Random(6265);
    for (int i = 0; i < 2000; i++) {
      StringBuilder label = new StringBuilder();
      for (int j = 1 + random.nextInt(12); j > 0; j--) {
        int[] range = ranges[random.nextInt(ranges.length)];
        label.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
      }
      String s = label.toString();
      assertThat(Punycode.encodeLabel(s)).as(s).isEqualTo(IDN.toASCII(s, IDN.ALLOW_UNASSIGNED));
    }
  }
}
