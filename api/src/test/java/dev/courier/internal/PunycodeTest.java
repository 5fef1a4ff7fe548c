package dev.courier.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
            PublicSuffixList.class.getResourceAsStream(PublicSuffixList.RESOURCE));
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
