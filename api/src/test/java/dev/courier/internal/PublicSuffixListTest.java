package dev.courier.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class PublicSuffixListTest {
  private final PublicSuffixList shipped = PublicSuffixList.get();

  @Test
  void shippedListIsLoadedOnce() {
    assertThat(PublicSuffixList.get()).isSameAs(shipped);
  }

  @Test
  void everyRuleOfTheShippedFileIsLoaded() throws IOException {
    int plain = 0;
    int wildcard = 0;
    int exception = 0;
    try (InputStream in = new GZIPInputStream(
            PublicSuffixList.class.getResourceAsStream(PublicSuffixList.RESOURCE));
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("//")) continue;
        if (line.startsWith("!")) exception++;
        else if (line.startsWith("*.")) wildcard++;
        else plain++;
      }
    }
    assertThat(plain).isGreaterThan(9000);
    assertThat(shipped.ruleCounts()).containsExactly(plain, wildcard, exception);
  }

  @Test
  void icannSuffixes() {
    assertThat(shipped.isPublicSuffix("com")).isTrue();
    assertThat(shipped.isPublicSuffix("uk")).isTrue();
    assertThat(shipped.isPublicSuffix("co.uk")).isTrue();
    assertThat(shipped.isPublicSuffix("CO.UK")).isTrue();
    assertThat(shipped.isPublicSuffix("example.co.uk")).isFalse();
    assertThat(shipped.isPublicSuffix("example.com")).isFalse();
    assertThat(shipped.publicSuffix("www.example.co.uk")).isEqualTo("co.uk");
  }

  @Test
  void privateSuffixes() {
    assertThat(shipped.isPublicSuffix("github.io")).isTrue();
    assertThat(shipped.isPublicSuffix("octocat.github.io")).isFalse();
    assertThat(shipped.publicSuffix("www.octocat.github.io")).isEqualTo("github.io");
  }

  @Test
  void unlistedTopLevelDomainIsASuffixByTheImplicitRule() {
    assertThat(shipped.isPublicSuffix("invalid")).isTrue();
    assertThat(shipped.isPublicSuffix("localhost")).isTrue();
    assertThat(shipped.publicSuffix("www.example.invalid")).isEqualTo("invalid");
  }

  @Test
  void wildcardsCoverAnyOneLabelAndExceptionsCarveOut() {
    // *.ck and !www.ck
    assertThat(shipped.isPublicSuffix("anything.ck")).isTrue();
    assertThat(shipped.publicSuffix("a.anything.ck")).isEqualTo("anything.ck");
    assertThat(shipped.isPublicSuffix("www.ck")).isFalse();
    assertThat(shipped.publicSuffix("www.ck")).isEqualTo("ck");
    assertThat(shipped.publicSuffix("a.www.ck")).isEqualTo("ck");
    // *.kobe.jp and !city.kobe.jp
    assertThat(shipped.isPublicSuffix("chuo.kobe.jp")).isTrue();
    assertThat(shipped.publicSuffix("a.city.kobe.jp")).isEqualTo("kobe.jp");
  }

  @Test
  void unicodeRulesAreHeldInTheirAsciiForm() {
    // "рф" (Russia) and "公司.cn" are written in Unicode in the list.
    assertThat(shipped.isPublicSuffix("xn--p1ai")).isTrue();
    assertThat(shipped.isPublicSuffix("xn--55qx5d.cn")).isTrue();
    assertThat(shipped.publicSuffix("example.xn--55qx5d.cn")).isEqualTo("xn--55qx5d.cn");
    assertThat(shipped.isPublicSuffix("example.xn--p1ai")).isFalse();
  }

  @Test
  void malformedNamesAreTreatedAsSuffixesSoCallersRefuseThem() {
    assertThat(shipped.isPublicSuffix("")).isTrue();
    assertThat(shipped.isPublicSuffix("example.com.")).isTrue();
    assertThat(shipped.isPublicSuffix(".example.com")).isTrue();
    assertThat(shipped.isPublicSuffix("example..com")).isTrue();
    assertThat(shipped.isPublicSuffix("b\u00fccher.example")).isTrue();
  }

  @Test
  void exceptionPrevailsOverALongerPlainRule() throws IOException {
    PublicSuffixList list = parse("jp\n*.kobe.jp\n!city.kobe.jp\na.city.kobe.jp\n");
    assertThat(list.publicSuffix("x.a.city.kobe.jp")).isEqualTo("kobe.jp");
  }

  @Test
  void parserIgnoresCommentsBlankLinesAndTextAfterWhitespace() throws IOException {
    PublicSuffixList list = parse("// comment\n\n  example  trailing text\n// ===END===\n");
    assertThat(list.ruleCounts()).containsExactly(1, 0, 0);
    assertThat(list.isPublicSuffix("example")).isTrue();
  }

  @Test
  void parserEncodesEachLabelOfAUnicodeRule() throws IOException {
    PublicSuffixList list = parse("*.b\u00fccher.example\n!www.b\u00fccher.example\n\u516c\u53f8.cn\n");
    assertThat(list.isPublicSuffix("shop.xn--bcher-kva.example")).isTrue();
    assertThat(list.publicSuffix("www.xn--bcher-kva.example")).isEqualTo("xn--bcher-kva.example");
    assertThat(list.isPublicSuffix("xn--55qx5d.cn")).isTrue();
  }

  @Test
  void parserRefusesAUnicodeRuleWithAnEmptyLabel() {
    assertThatThrownBy(() -> parse("b\u00fccher..example\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static PublicSuffixList parse(String text) throws IOException {
    return PublicSuffixList.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }
}
