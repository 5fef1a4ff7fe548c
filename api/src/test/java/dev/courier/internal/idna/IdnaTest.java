package dev.courier.internal.idna;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tests {@link Idna#toAscii}: mapping, validity rules and Punycode, on chosen and random input. */
class IdnaTest {
  @Test
  void mapsSharpSNonTransitionally() {
    assertThat(Idna.toAscii("faß.example")).isEqualTo("xn--fa-hia.example");
    assertThat(Idna.toAscii("Faß.ExAmple")).isEqualTo("xn--fa-hia.example");
  }

  @Test
  void mapsFullWidthAndCaseFoldedCharacters() {
    assertThat(Idna.toAscii("ＥＸＡＭＰＬＥ．com")).isEqualTo("example.com");
    assertThat(Idna.toAscii("☃.net")).isEqualTo("xn--n3h.net");
    assertThat(Idna.toAscii("a\u00ADb")).isEqualTo("ab"); // Soft hyphen is ignored.
  }

  @Test
  void refusesDisallowedCodePointsAndBadPunycode() {
    assertThat(Idna.toAscii("a\uFFFDb")).isNull();
    assertThat(Idna.toAscii("xn--a")).isNull(); // Decodes to ASCII only.
    assertThat(Idna.toAscii("xn--")).isNull(); // Decodes to nothing.
    assertThat(Idna.toAscii("xn--ß")).isNull();
    assertThat(Idna.toAscii("xn--zca.xn--zz")).isNull();
  }

  @Test
  void appliesJoinerAndBidiRules() {
    assertThat(Idna.toAscii("a\u200Db")).isNull(); // ZWJ without a virama before it.
    assertThat(Idna.toAscii("a\u094D\u200Db")).isEqualTo("xn--ab-fsf014u"); // After a virama.
    assertThat(Idna.toAscii("0a.\u05D0")).isNull(); // An LTR label may not start with a digit.
    assertThat(Idna.toAscii("a.\u05D0")).isEqualTo("a.xn--4db");
  }

  @Test
  void randomInputNeverThrowsAndConvertsToStableAscii() {
    Random random = new Random(1);
    int[] pool = {'a', 'B', '-', '.', '0', 'x', 'n', 0xDF, 0x200C, 0x200D, 0x094D, 0x05D0, 0x0627,
        0x0660, 0x0301, 0xFF0E, 0x3002, 0xAD, 0xFFFD, 0xD800, 0xDC00, 0x1F600, 0x0644, 0x06F0};
    int converted = 0;
    for (int i = 0; i < 50_000; i++) {
      StringBuilder input = new StringBuilder(random.nextInt(4) == 0 ? "xn--" : "");
      for (int j = random.nextInt(12); j > 0; j--) {
        input.appendCodePoint(random.nextInt(3) == 0
            ? random.nextInt(Character.MAX_CODE_POINT + 1) : pool[random.nextInt(pool.length)]);
      }
      String ascii = Idna.toAscii(input.toString());
      if (ascii == null) continue;
      converted++;
      assertThat(Idna.isAscii(ascii)).as(input.toString()).isTrue();
      assertThat(Idna.toAscii(ascii)).as(input.toString()).isEqualTo(ascii);
    }
    assertThat(converted).isGreaterThan(5_000);
  }
}
