package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Checks that {@link UrlCanonicalForm} accepts only URLs that {@link UrlParser} would parse to the
 * same components and the same string, the input itself, and that it accepts the common shapes.
 */
class UrlCanonicalFormTest {
  @Test
  void acceptsCommonCanonicalUrlsAndKeepsTheInputAsTheirString() {
    for (String input : List.of(
        "http://127.0.0.1:8080/1k.bin",
        "https://example.com/",
        "https://www.example.com/account/settings",
        "https://api.example.com:8443/v1/items/42?fields=name,price&sort=-date#top",
        "http://a/",
        "http://a:0/",
        "http://a:65535/",
        "http://my_host-1.example/a%20b/c%2Fd/",
        "https://example.com/a//b/?",
        "https://example.com/path?q=a?b#frag#ment?x",
        "https://example.com/#",
        "http://255.255.255.255/",
        "http://1.2.3.com/",
        "https://example.com/.well-known/x",
        "https://example.com/a..b/.../%2e%2e%2e")) {
      HttpUrl url = UrlCanonicalForm.parse(input);
      assertThat(url).as(input).isNotNull();
      assertThat(url.toString()).isSameAs(input);
      assertSameAsParser(input, url);
    }
  }

  @Test
  void leavesEverythingElseToTheParser() {
    for (String input : List.of(
        "HTTP://example.com/", "Http://example.com/", "https://Example.com/", "ftp://example.com/",
        "http:/example.com/", "http:\\\\example.com/", "https://example.com", "https://example.com?q",
        "https://example.com#f", " https://example.com/", "https://example.com/ ",
        "https://exa\tmple.com/", "https://example.com/a\nb", "https://example.com:443/",
        "http://example.com:80/", "http://example.com:/", "http://example.com:0080/",
        "http://example.com:65536/", "http://example.com:123456/", "http://example.com:8x/",
        "https://user@example.com/", "https://user:pw@example.com/", "https://[::1]/",
        "https://example.com./", "https://.example.com/", "https://a..b/", "https://xn--n3h.net/",
        "https://a.xn--fa-hia.example/", "https://127.1/", "https://0x7f.0.0.1/", "https://010.0.0.1/",
        "https://1.2.3.4.5/", "https://256.0.0.1/", "https://example.1/", "https://example.0x/",
        "https://ex%41mple.com/", "https://exa!mple.com/", "https://example.com/a\\b",
        "https://example.com/./a", "https://example.com/a/..", "https://example.com/a/%2E/b",
        "https://example.com/a/.%2e", "https://example.com/a b", "https://example.com/a{b}",
        "https://example.com/a^b", "https://example.com/?a b", "https://example.com/?a'b",
        "https://example.com/#a b", "https://example.com/#a`b", "https://exämple.com/",
        "https://example.com/caf\u00e9", "https://example.com/\u4e2d", "https://example.com/?\u4e2d",
        "https://example.com/#\u4e2d", "https://example.com/\ud83d\ude00",
        "https://example.com/?q=\ud83d\ude00", "https://example.com/a\u007fb",
        "https://example.com/a\u0000b")) {
      assertThat(UrlCanonicalForm.parse(input)).as(input).isNull();
    }
  }

  /**
   * Generates inputs from pieces that each matter to some rule (case, dots, escapes, delimiters,
   * ports, IPv4 forms, whitespace, non-ASCII and replaced characters) and checks every one the
   * fast path accepts against the parser: never a URL the parser refuses or parses otherwise.
   */
  @Test
  void agreesWithTheParserOnEveryInputItAccepts() {
    String[] schemes = {"http://", "https://", "HTTP://", "http:/", "https:\\\\", "http:", ""};
    String[] hosts = {
        "example.com", "a", "A.b", "127.0.0.1", "1.2.3.4", "127.1", "0x7f.0.0.1", "01.2.3.4",
        "256.1.1.1", "1.2.3.04", "xn--n3h.net", "xn--", "x.xn--a", "a..b", ".a", "a.", "a.1", "a.0x",
        "a.09", "1.2.3.com", "ex%41mple", "\u00e9.com", "\u4e2d.com", "a_b-c", "", "[::1]", "u@h",
        "u:p@h"};
    String[] ports = {"", ":", ":0", ":80", ":443", ":8080", ":08080", ":65535", ":65536",
        ":123456", ":1a"};
    String[] pieces = {
        "/", "/", "/", "a", "b", ".", "..", "%2e", "%2E", "%", "%41", "?", "?", "#", "#", " ", "\t",
        "\\", "'", "`", "{", "^", "|", "\"", "<", ">", "&", "=", "+", "@", ":", ";", "~", "!", "$",
        "\u00e9", "\u4e2d", "\ud83d\ude00", "\ud83d", "\u007f", "\u0000", "\n"};
    Random random = new Random(20261205L);
    int accepted = 0;
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      // Each piece is drawn from the first few entries (which the fast path accepts) most of the
      // time, so that most inputs are canonical or one piece away from it.
      StringBuilder input = new StringBuilder()
          .append(pick(random, schemes, 2))
          .append(pick(random, hosts, 5))
          .append(pick(random, ports, 1));
      int count = random.nextInt(12);
      if (random.nextInt(8) != 0) input.append('/');
      for (int p = 0; p < count; p++) input.append(pick(random, pieces, 5));
      inputs.add(input.toString());
    }
    for (String input : inputs) {
      HttpUrl fast = UrlCanonicalForm.parse(input);
      if (fast == null) continue;
      accepted++;
      assertThat(fast.toString()).isSameAs(input);
      assertSameAsParser(input, fast);
    }
    // Enough of the inputs take the fast path for the comparison to mean something.
    assertThat(accepted).isGreaterThan(10_000);
  }

  /** Returns one of the first {@code common} entries three times in four, else any entry. */
  private static String pick(Random random, String[] choices, int common) {
    return choices[random.nextInt(random.nextInt(4) != 0 ? common : choices.length)];
  }

  private static void assertSameAsParser(String input, HttpUrl fast) {
    HttpUrl parsed;
    try {
      parsed = UrlParser.parse(null, input).build(input);
    } catch (IllegalArgumentException e) {
      throw new AssertionError("accepted " + input + ", which the parser refuses: " + e.getMessage());
    }
    assertThat(fast.scheme()).as(input).isEqualTo(parsed.scheme());
    assertThat(fast.encodedUsername()).as(input).isEqualTo(parsed.encodedUsername());
    assertThat(fast.encodedPassword()).as(input).isEqualTo(parsed.encodedPassword());
    assertThat(fast.host()).as(input).isEqualTo(parsed.host());
    assertThat(fast.port()).as(input).isEqualTo(parsed.port());
    assertThat(fast.encodedPathSegments()).as(input).isEqualTo(parsed.encodedPathSegments());
    assertThat(fast.encodedPath()).as(input).isEqualTo(parsed.encodedPath());
    assertThat(fast.encodedQuery()).as(input).isEqualTo(parsed.encodedQuery());
    assertThat(fast.encodedFragment()).as(input).isEqualTo(parsed.encodedFragment());
    assertThat(fast.toString()).as(input).isEqualTo(parsed.toString());
    assertThat(fast).isEqualTo(parsed);
  }
}
