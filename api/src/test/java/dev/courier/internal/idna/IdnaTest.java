package dev.courier.internal.idna;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.internal.ConformanceFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Tests {@link Idna#toAscii}, and runs Unicode's UTS #46 conformance data, {@code IdnaTestV2.txt},
 * through it with the flags the WHATWG URL Standard uses.
 *
 * <p>The conformance data is not part of the repository; it is read at test time through {@link
 * ConformanceFiles}: from {@code ../shared/conformance/IdnaTestV2.txt} beside the repository root
 * if present, else from {@code /usr/share/cargo/registry/idna-0.3.0/tests/IdnaTestV2.txt}, which
 * Debian's {@code librust-idna-dev} package (0.3.0) installs: Unicode's file for Unicode 13.0.0,
 * © Unicode, Inc., under the Unicode License (Debian distributes the crate under MIT or
 * Apache-2.0). Its Unicode version must be that of {@code idna.bin}. See {@code PROVENANCE.md} in
 * the test resources. Without either file the test is skipped, or fails when {@code
 * COURIER_REQUIRE_INTEROP} is set.
 */
class IdnaTest {
  private static final String PACKAGED_COPY = "/usr/share/cargo/registry/idna-0.3.0/tests/IdnaTestV2.txt";

  /** Status codes of flags the URL Standard turns off; a case with only these expects success. */
  private static final Set<String> IGNORED_STATUSES =
      Set.of("V2", "V3", "U1", "A4_1", "A4_2", "X4_2");

  private static final Pattern ESCAPE = Pattern.compile("\\\\u([0-9A-Fa-f]{4})|\\\\x\\{([0-9A-Fa-f]+)\\}");

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

  @Test
  void passesUnicodeConformanceData() throws IOException {
    Path data = ConformanceFiles.locate("IdnaTestV2.txt", Path.of(PACKAGED_COPY), "librust-idna-dev");
    String unicodeVersion = IdnaData.get().unicodeVersion;
    boolean before15_1 = false;
    int cases = 0;
    Map<String, String> failures = new LinkedHashMap<>(); // Keyed by source.
    try (BufferedReader reader = Files.newBufferedReader(data, StandardCharsets.UTF_8)) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.startsWith("# Version: ")) {
          String version = line.substring("# Version: ".length()).trim();
          assertThat(version)
              .as("Unicode version of %s; regenerate idna.bin from the same version's"
                  + " IdnaMappingTable.txt (see IdnaDataGenerator)", data)
              .isEqualTo(unicodeVersion);
          before15_1 = compareVersions(version, "15.1.0") < 0;
        }
        int hash = line.indexOf('#');
        if (hash != -1) line = line.substring(0, hash);
        if (line.isBlank()) continue;
        String[] fields = Arrays.copyOf(line.split(";", -1), 7);
        String source = unescape(fields[0].trim());
        String toUnicode = blankOr(fields[1], source);
        String toAsciiN = blankOr(fields[3], toUnicode);
        String statuses = blankOr(fields[4], blankOr(fields[2], ""));
        boolean expectFailure = false;
        for (String status : statuses.replaceAll("[\\[\\] ]", "").split(",")) {
          if (!status.isEmpty() && !IGNORED_STATUSES.contains(status)) expectFailure = true;
        }
        String actual = Idna.toAscii(source);
        if (before15_1) {
          // Data before UTS #46 revision 31 (Unicode 15.1) was made with UseSTD3ASCIIRules=true,
          // reporting breaches as P1 or V6 rather than U1, and predates rule V4 (a label must not
          // begin with "xn--"), which the URL Standard applies with CheckHyphens=false.
          if (actual != null && breaksStd3Rules(actual)) actual = null;
          if (hasLabelStartingWithXnDashDash(toUnicode)) expectFailure = true;
        }
        cases++;
        if (expectFailure ? actual != null : !toAsciiN.equals(actual)) {
          failures.put(source, fields[0].trim() + " -> " + actual + " (expected "
              + (expectFailure ? "failure " + statuses : toAsciiN) + ")");
        }
      }
    }
    Map<String, String> knownDifferences = knownDifferences(unicodeVersion);
    System.out.println(data + " (Unicode " + unicodeVersion + "): " + (cases - failures.size())
        + " of " + cases + " cases pass, " + knownDifferences.size() + " known differences");
    assertThat(cases).isGreaterThan(6000);
    assertThat(failures.keySet())
        .as("cases that fail, other than the known differences: %s", failures.values())
        .containsExactlyInAnyOrderElementsOf(knownDifferences.keySet());
  }

  /**
   * Reads the {@code version TAB source TAB reason} lines of {@code
   * IdnaTestV2-known-differences.txt} for {@code unicodeVersion}, keyed by unescaped source.
   */
  private static Map<String, String> knownDifferences(String unicodeVersion) throws IOException {
    Map<String, String> result = new LinkedHashMap<>();
    try (InputStream in = IdnaTest.class.getResourceAsStream("IdnaTestV2-known-differences.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] fields = line.split("\t", 3);
        if (fields[0].equals(unicodeVersion)) result.put(unescape(fields[1]), fields[2]);
      }
    }
    return result;
  }

  /**
   * Returns true if the result {@code ascii} breaks UseSTD3ASCIIRules: a label holds, after
   * Punycode decoding and canonical decomposition, an ASCII character other than a lowercase
   * letter, digit or '-' (so U+2260 NOT EQUAL TO, '=' with a combining mark, breaks them too).
   */
  private static boolean breaksStd3Rules(String ascii) {
    for (String label : ascii.split("\\.", -1)) {
      String unicode = label.startsWith("xn--") ? Punycode.decode(label, 4, label.length()) : label;
      String decomposed = Normalizer.normalize(unicode, Normalizer.Form.NFD);
      for (int i = 0; i < decomposed.length(); i++) {
        char c = decomposed.charAt(i);
        if (c < 0x80 && !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) return true;
      }
    }
    return false;
  }

  private static boolean hasLabelStartingWithXnDashDash(String domain) {
    for (String label : domain.split("\\.", -1)) {
      if (label.startsWith("xn--")) return true;
    }
    return false;
  }

  /** Compares dotted version numbers such as {@code 13.0.0} numerically. */
  private static int compareVersions(String a, String b) {
    String[] left = a.split("\\.");
    String[] right = b.split("\\.");
    for (int i = 0; i < Math.max(left.length, right.length); i++) {
      int l = i < left.length ? Integer.parseInt(left[i]) : 0;
      int r = i < right.length ? Integer.parseInt(right[i]) : 0;
      if (l != r) return Integer.compare(l, r);
    }
    return 0;
  }

  private static String blankOr(String field, String otherwise) {
    if (field == null) return otherwise;
    String trimmed = field.trim();
    if (trimmed.isEmpty()) return otherwise;
    return trimmed.equals("\"\"") ? "" : unescape(trimmed);
  }

  private static String unescape(String s) {
    if (s.equals("\"\"")) return "";
    Matcher matcher = ESCAPE.matcher(s);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String hex = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
      matcher.appendReplacement(out, Matcher.quoteReplacement(
          new String(Character.toChars(Integer.parseInt(hex, 16)))));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
