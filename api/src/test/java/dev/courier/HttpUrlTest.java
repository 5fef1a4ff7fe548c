package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URL;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpUrlTest {

  @Nested
  class Parsing {
    @Test
    void parsesEveryComponent() {
      HttpUrl url = HttpUrl.parse("https://user:secret@example.com:8443/a/b?q=1#top");

      assertThat(url.scheme()).isEqualTo("https");
      assertThat(url.isHttps()).isTrue();
      assertThat(url.username()).isEqualTo("user");
      assertThat(url.password()).isEqualTo("secret");
      assertThat(url.host()).isEqualTo("example.com");
      assertThat(url.port()).isEqualTo(8443);
      assertThat(url.encodedPath()).isEqualTo("/a/b");
      assertThat(url.encodedQuery()).isEqualTo("q=1");
      assertThat(url.encodedFragment()).isEqualTo("top");
      assertThat(url.toString()).isEqualTo("https://user:secret@example.com:8443/a/b?q=1#top");
    }

    @Test
    void absentComponentsHaveDefaults() {
      HttpUrl url = HttpUrl.parse("http://example.com");

      assertThat(url.isHttps()).isFalse();
      assertThat(url.username()).isEmpty();
      assertThat(url.password()).isEmpty();
      assertThat(url.port()).isEqualTo(80);
      assertThat(url.encodedPath()).isEqualTo("/");
      assertThat(url.encodedPathSegments()).containsExactly("");
      assertThat(url.encodedQuery()).isNull();
      assertThat(url.query()).isNull();
      assertThat(url.encodedFragment()).isNull();
      assertThat(url.fragment()).isNull();
      assertThat(url.toString()).isEqualTo("http://example.com/");
    }

    @Test
    void schemeIsCaseInsensitiveAndWrittenInLowercase() {
      assertThat(HttpUrl.parse("HTTP://example.com/").scheme()).isEqualTo("http");
      assertThat(HttpUrl.parse("hTtPs://example.com/").toString()).isEqualTo("https://example.com/");
    }

    @Test
    void httpsDefaultsToPort443() {
      assertThat(HttpUrl.parse("https://example.com/").port()).isEqualTo(443);
    }

    @Test
    void explicitDefaultPortIsOmittedFromString() {
      assertThat(HttpUrl.parse("http://example.com:80/").toString()).isEqualTo("http://example.com/");
      assertThat(HttpUrl.parse("https://example.com:443/").toString())
          .isEqualTo("https://example.com/");
      assertThat(HttpUrl.parse("http://example.com:443/").toString())
          .isEqualTo("http://example.com:443/");
    }

    @Test
    void portWithLeadingZerosIsNormalized() {
      assertThat(HttpUrl.parse("http://example.com:08080/").toString())
          .isEqualTo("http://example.com:8080/");
    }

    @Test
    void emptyPortMeansDefaultPort() {
      HttpUrl url = HttpUrl.parse("http://example.com:/");

      assertThat(url.port()).isEqualTo(80);
      assertThat(url.toString()).isEqualTo("http://example.com/");
    }

    @Test
    void lowestAndHighestPortsAreAccepted() {
      assertThat(HttpUrl.parse("http://h:0/").port()).isEqualTo(0);
      assertThat(HttpUrl.parse("http://h:0/")).hasToString("http://h:0/");
      assertThat(HttpUrl.parse("http://h:1/").port()).isEqualTo(1);
      assertThat(HttpUrl.parse("http://h:65535/").port()).isEqualTo(65535);
    }

    @ParameterizedTest
    @ValueSource(strings = {"65536", "99999", "8o", "-1", "+80", "99999999999999999999"})
    void portOutsideRangeOrNotDecimalIsRejected(String port) {
      assertThatThrownBy(() -> HttpUrl.parse("http://example.com:" + port + "/"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Invalid URL port: \"" + port + "\"");
    }

    @Test
    void otherSchemeIsRejectedByName() {
      assertThatThrownBy(() -> HttpUrl.parse("ftp://example.com/"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Expected URL scheme 'http' or 'https' but was 'ftp'");
    }

    @Test
    void schemeThatOnlyStartsWithHttpIsRejected() {
      assertThatThrownBy(() -> HttpUrl.parse("httpx://example.com/"))
          .hasMessage("Expected URL scheme 'http' or 'https' but was 'httpx'");
      assertThatThrownBy(() -> HttpUrl.parse("ws://example.com/"))
          .hasMessage("Expected URL scheme 'http' or 'https' but was 'ws'");
    }

    @Test
    void missingSchemeIsRejected() {
      assertThatThrownBy(() -> HttpUrl.parse("/path"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Expected URL scheme 'http' or 'https' but no scheme was found for \"/path\"");
      assertThatThrownBy(() -> HttpUrl.parse("example.com/path"))
          .hasMessageContaining("no scheme was found");
      assertThatThrownBy(() -> HttpUrl.parse(""))
          .hasMessage("Expected URL scheme 'http' or 'https' but no scheme was found for \"\"");
    }

    @Test
    void hostAndPortWithoutSchemeIsReadAsScheme() {
      assertThatThrownBy(() -> HttpUrl.parse("localhost:8080/path"))
          .hasMessage("Expected URL scheme 'http' or 'https' but was 'localhost'");
    }

    @Test
    void longInputIsShortenedInMessage() {
      String input = "/" + "a".repeat(500);

      assertThatThrownBy(() -> HttpUrl.parse(input))
          .hasMessage("Expected URL scheme 'http' or 'https' but no scheme was found for \""
              + input.substring(0, 64) + "...\"");
    }

    @Test
    void leadingAndTrailingWhitespaceAndControlCharactersAreIgnored() {
      assertThat(HttpUrl.parse(" \t\n\u0000\u001f http://example.com/a \r\n\u000c ").toString())
          .isEqualTo("http://example.com/a");
    }

    @Test
    void tabsAndLineBreaksInsideAreRemoved() {
      assertThat(HttpUrl.parse("ht\ttp://exa\nmple.com/a\r\nb?c\td#e\nf").toString())
          .isEqualTo("http://example.com/ab?cd#ef");
    }

    @Test
    void backslashesActAsSlashesBeforeTheQuery() {
      assertThat(HttpUrl.parse("http:\\\\example.com\\a\\b").toString())
          .isEqualTo("http://example.com/a/b");
      assertThat(HttpUrl.parse("http://example.com/a?b\\c#d\\e").toString())
          .isEqualTo("http://example.com/a?b\\c#d\\e");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http:example.com/a", "http:/example.com/a", "http:///example.com/a",
        "http:\\\\\\example.com/a"})
    void anyNumberOfSlashesAfterSchemeIntroducesTheAuthority(String input) {
      assertThat(HttpUrl.parse(input).toString()).isEqualTo("http://example.com/a");
    }

    @Test
    void authorityEndsAtQueryOrFragment() {
      assertThat(HttpUrl.parse("http://example.com?q").toString()).isEqualTo("http://example.com/?q");
      assertThat(HttpUrl.parse("http://example.com#f").toString()).isEqualTo("http://example.com/#f");
    }

    @Test
    void emptyQueryAndFragmentDifferFromAbsentOnes() {
      HttpUrl url = HttpUrl.parse("http://example.com/?#");

      assertThat(url.encodedQuery()).isEmpty();
      assertThat(url.query()).isEmpty();
      assertThat(url.encodedFragment()).isEmpty();
      assertThat(url.fragment()).isEmpty();
      assertThat(url.toString()).isEqualTo("http://example.com/?#");
    }

    @Test
    void parseOrNullReturnsNullForInvalidUrls() {
      assertThat(HttpUrl.parseOrNull("ftp://example.com/")).isNull();
      assertThat(HttpUrl.parseOrNull("http://exa mple.com/")).isNull();
      assertThat(HttpUrl.parseOrNull("not a url")).isNull();
      assertThat(HttpUrl.parseOrNull("http://example.com/a"))
          .isEqualTo(HttpUrl.parse("http://example.com/a"));
    }

    @Test
    void getConvertsUriAndUrl() throws Exception {
      HttpUrl expected = HttpUrl.parse("https://example.com/a%20b?c=d#e");

      assertThat(HttpUrl.get(new URI("https://example.com/a%20b?c=d#e"))).isEqualTo(expected);
      assertThat(HttpUrl.get(new URL("https://example.com/a%20b?c=d#e"))).isEqualTo(expected);
      assertThatThrownBy(() -> HttpUrl.get(new URI("mailto:someone@example.com")))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultPortIsKnownForHttpAndHttpsOnly() {
      assertThat(HttpUrl.defaultPort("http")).isEqualTo(80);
      assertThat(HttpUrl.defaultPort("https")).isEqualTo(443);
      assertThat(HttpUrl.defaultPort("ftp")).isEqualTo(-1);
    }
  }

  @Nested
  class UserInfo {
    @Test
    void passwordStartsAtFirstColonAndHostAfterLastAt() {
      HttpUrl url = HttpUrl.parse("http://us@er:pa:ss@word@example.com/");

      assertThat(url.host()).isEqualTo("example.com");
      assertThat(url.username()).isEqualTo("us@er");
      assertThat(url.password()).isEqualTo("pa:ss@word");
      assertThat(url.encodedUsername()).isEqualTo("us%40er");
      assertThat(url.encodedPassword()).isEqualTo("pa%3Ass%40word");
      assertThat(url.toString()).isEqualTo("http://us%40er:pa%3Ass%40word@example.com/");
    }

    @Test
    void userInfoIsEncodedAndDecoded() {
      HttpUrl url = HttpUrl.parse("http://J%C3%BCrgen:p w%2F@example.com/");

      assertThat(url.username()).isEqualTo("Jürgen");
      assertThat(url.password()).isEqualTo("p w/");
      assertThat(url.encodedPassword()).isEqualTo("p%20w%2F");
    }

    @Test
    void passwordWithoutUsernameIsKept() {
      HttpUrl url = HttpUrl.parse("http://:secret@example.com/");

      assertThat(url.username()).isEmpty();
      assertThat(url.password()).isEqualTo("secret");
      assertThat(url.toString()).isEqualTo("http://:secret@example.com/");
    }

    @Test
    void emptyUserInfoIsDropped() {
      assertThat(HttpUrl.parse("http://@example.com/").toString()).isEqualTo("http://example.com/");
      assertThat(HttpUrl.parse("http://:@example.com/").toString()).isEqualTo("http://example.com/");
    }

    @Test
    void userInfoWithoutHostIsRejected() {
      assertThatThrownBy(() -> HttpUrl.parse("http://user:pass@/"))
          .hasMessage("Invalid URL host: \"\"");
    }
  }

  @Nested
  class Hosts {
    @Test
    void hostIsLowercased() {
      assertThat(HttpUrl.parse("http://EXAMPLE.Com/").host()).isEqualTo("example.com");
    }

    @Test
    void hostMayUseCharactersThatAreNotForbidden() {
      assertThat(HttpUrl.parse("http://my_host-1.~example!$&'()*+,;=.com/").host())
          .isEqualTo("my_host-1.~example!$&'()*+,;=.com");
    }

    @Test
    void hostWithTrailingDotKeepsIt() {
      assertThat(HttpUrl.parse("http://example.com./").host()).isEqualTo("example.com.");
    }

    @ParameterizedTest
    @CsvSource({
        "☃.net, xn--n3h.net",
        "Bücher.example, xn--bcher-kva.example",
        "ЯНДЕКС.рф, xn--d1acpjx3f.xn--p1ai",
        "ｅｘａｍｐｌｅ.com, example.com",
        "example。com, example.com",
        "%E2%98%83.net, xn--n3h.net",
        "\uD83D\uDCA9.la, xn--ls8h.la",
    })
    void internationalizedHostIsConvertedToPunycode(String host, String expected) {
      HttpUrl url = HttpUrl.parse("http://" + host + "/");

      assertThat(url.host()).isEqualTo(expected);
      assertThat(url.toString()).isEqualTo("http://" + expected + "/");
    }

    @Test
    void percentEncodedHostIsDecoded() {
      assertThat(HttpUrl.parse("http://ex%41mple.com/").host()).isEqualTo("example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"exa mple.com", "a%20b", "a%00b", "a%23b", "a%25b", "a%2Fb", "a%3Ab",
        "a%3Fb", "a%40b", "a%5Bb", "a%5Cb", "a%5Db", "a<b", "a>b", "a^b", "a|b", "a\"b", "a{b",
        "a}b", "a`b", "a%7Fb", "a%01b", "a\u007fb", "a%C0b", "a\uFF0Fb.com"})
    void hostWithForbiddenCharacterIsRejected(String host) {
      assertThatThrownBy(() -> HttpUrl.parse("http://" + host + "/"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Invalid URL host: \"" + host + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://", "http:///", "http://:80/", "http://?q", "http://#f"})
    void emptyHostIsRejected(String input) {
      assertThatThrownBy(() -> HttpUrl.parse(input))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Invalid URL host: \"\"");
    }

    @Test
    void labelLongerThanDnsAllowsIsAcceptedAsWhatwgRequires() {
      // The WHATWG URL Standard runs UTS #46 with VerifyDnsLength=false; DNS refuses such names.
      String host = "ü".repeat(64) + ".com";

      assertThat(HttpUrl.parse("http://" + host + "/").host()).startsWith("xn--").endsWith(".com");
    }

    @Test
    void internationalizedHostThatUts46RefusesIsRejected() {
      String host = "a\u200Db.com"; // A ZERO WIDTH JOINER that follows no virama.

      assertThatThrownBy(() -> HttpUrl.parse("http://" + host + "/"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Invalid URL host: \"" + host + "\"");
    }

    @ParameterizedTest
    @CsvSource({
        "192.168.0.1, 192.168.0.1",
        "127.1, 127.0.0.1",
        "127.0.1, 127.0.0.1",
        "2130706433, 127.0.0.1",
        "0x7f.0.0.1, 127.0.0.1",
        "0X7F.1, 127.0.0.1",
        "0177.0.0.1, 127.0.0.1",
        "127.000.000.001, 127.0.0.1",
        "127.0.0.1., 127.0.0.1",
        "0x, 0.0.0.0",
        "255.255.255.255, 255.255.255.255",
        "%31%32%37.0.0.1, 127.0.0.1",
        "１２７.0.0.1, 127.0.0.1",
    })
    void ipv4HostIsNormalized(String host, String expected) {
      assertThat(HttpUrl.parse("http://" + host + "/").host()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.256", "256.1.1.1", "1.2.3.4.5", "4294967296", "0x100000000",
        "1.2.3.09", "1..2.3", "example.123", "1.2.65536", "1.16777216"})
    void invalidIpv4HostIsRejected(String host) {
      assertThatThrownBy(() -> HttpUrl.parse("http://" + host + "/"))
          .hasMessage("Invalid URL host: \"" + host + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4.example", "123.example", "0x7f.example", "1.2.3.4a",
        "1.2.3.0xg"})
    void hostNotEndingInNumberIsADomain(String host) {
      assertThat(HttpUrl.parse("http://" + host + "/").host()).isEqualTo(host);
    }

    @ParameterizedTest
    @CsvSource({
        "[::1], ::1",
        "[0:0:0:0:0:0:0:1], ::1",
        "[::], ::",
        "[0:0:0:0:0:0:0:0], ::",
        "[1::], 1::",
        "[2001:DB8::1], 2001:db8::1",
        "[2001:0db8:0000:0000:0000:0000:0000:0001], 2001:db8::1",
        "[2001:db8:0:0:1:0:0:1], 2001:db8::1:0:0:1",
        "[1:0:0:2:0:0:0:3], 1:0:0:2::3",
        "[1:2:3:4:5:6:7:8], 1:2:3:4:5:6:7:8",
        "[1:0:2:3:4:5:6:7], 1:0:2:3:4:5:6:7",
        "[0:0:1:0:0:0:0:0], 0:0:1::",
        "[::ffff:192.168.1.1], ::ffff:c0a8:101",
        "[::1.2.3.4], ::102:304",
        "[1:2:3:4:5:6:1.2.3.4], 1:2:3:4:5:6:102:304",
        "[1::0.0.0.0], 1::",
    })
    void ipv6HostIsWrittenInCanonicalForm(String host, String expected) {
      HttpUrl url = HttpUrl.parse("http://" + host + "/");

      assertThat(url.host()).isEqualTo(expected);
      assertThat(url.toString()).isEqualTo("http://[" + expected + "]/");
    }

    @Test
    void ipv6HostWithPortIsBracketedInString() {
      HttpUrl url = HttpUrl.parse("http://[::1]:8080/");

      assertThat(url.host()).isEqualTo("::1");
      assertThat(url.port()).isEqualTo(8080);
      assertThat(url.toString()).isEqualTo("http://[::1]:8080/");
      assertThat(url.uri().getHost()).isEqualTo("[::1]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1", "[1:2:3]", "[1:2:3:4:5:6:7:8:9]", "[1::2::3]", "[12345::]",
        "[:1]", "[1:]", "[1:2:3:4:5:6:7:]", "[::1.2.3]", "[::1.2.3.256]", "[::01.2.3.4]",
        "[::1.2.3.4.5]", "[::1.2.3.]", "[1:2:3:4:5:6:7:1.2.3.4]", "[1:2:3:4::5:6:7:8]", "[g::]",
        "[::1%25eth0]", "[]", "[::1]x", "[::1:]", "x[::1]", "[::0x1]", "[::a.2.3.4]"})
    void malformedIpv6HostIsRejected(String host) {
      assertThatThrownBy(() -> HttpUrl.parse("http://" + host + "/"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Invalid URL host: \"" + host + "\"");
    }
  }

  @Nested
  class Paths {
    @ParameterizedTest
    @CsvSource({
        "/a/./b, /a/b",
        "/a/../b, /b",
        "/a/b/.., /a/",
        "/a/b/., /a/b/",
        "/a/b/../, /a/",
        "/.., /",
        "/../../a, /a",
        "/a/%2e/b, /a/b",
        "/a/%2E%2e/b, /b",
        "/a/b/.%2e, /a/",
        "/a/b/%2e., /a/",
        "/a/..b/c., /a/..b/c.",
        "/a/.../b, /a/.../b",
        "/a\\..\\b, /b",
    })
    void dotSegmentsAreResolved(String path, String expected) {
      assertThat(HttpUrl.parse("http://example.com" + path).encodedPath()).isEqualTo(expected);
    }

    @Test
    void emptySegmentsAreKept() {
      HttpUrl url = HttpUrl.parse("http://example.com//a//b/");

      assertThat(url.encodedPath()).isEqualTo("//a//b/");
      assertThat(url.encodedPathSegments()).containsExactly("", "a", "", "b", "");
      assertThat(url.pathSize()).isEqualTo(5);
    }

    @Test
    void pathSegmentsAreSplitOnSlashes() {
      HttpUrl url = HttpUrl.parse("http://example.com/a%20b/c%2Fd/");

      assertThat(url.encodedPathSegments()).containsExactly("a%20b", "c%2Fd", "");
      assertThat(url.pathSegments()).containsExactly("a b", "c/d", "");
    }

    @Test
    void charactersThatMustBeEncodedAreEncodedInPath() {
      HttpUrl url = HttpUrl.parse("http://example.com/ \"<>^`{}|[]");

      assertThat(url.encodedPath()).isEqualTo("/%20%22%3C%3E%5E%60%7B%7D|[]");
      assertThat(url.pathSegments()).containsExactly(" \"<>^`{}|[]");
    }

    @Test
    void charactersAllowedInPathAreKept() {
      assertThat(HttpUrl.parse("http://example.com/az-._~!$&'()*+,;=:@09").encodedPath())
          .isEqualTo("/az-._~!$&'()*+,;=:@09");
    }

    @Test
    void nonAsciiPathIsEncodedAsUtf8() {
      HttpUrl url = HttpUrl.parse("http://example.com/ü/☃/\uD83D\uDE00");

      assertThat(url.encodedPath()).isEqualTo("/%C3%BC/%E2%98%83/%F0%9F%98%80");
      assertThat(url.pathSegments()).containsExactly("ü", "☃", "\uD83D\uDE00");
    }

    @Test
    void unpairedSurrogateIsEncodedAsReplacementCharacter() {
      assertThat(HttpUrl.parse("http://example.com/a\uD83Db").encodedPath())
          .isEqualTo("/a%EF%BF%BDb");
    }

    @Test
    void controlCharactersInPathAreEncoded() {
      assertThat(HttpUrl.parse("http://example.com/a\u0000b\u007fc\u000cd").encodedPath())
          .isEqualTo("/a%00b%7Fc%0Cd");
    }

    @Test
    void escapesAndLonePercentsAreKeptAsTheyAre() {
      HttpUrl url = HttpUrl.parse("http://example.com/%2f%2F%41/%/%zz/%4/100%");

      assertThat(url.encodedPath()).isEqualTo("/%2f%2F%41/%/%zz/%4/100%");
      assertThat(url.pathSegments()).containsExactly("//A", "%", "%zz", "%4", "100%");
    }

    @Test
    void malformedUtf8EscapesDecodeToReplacementCharacter() {
      assertThat(HttpUrl.parse("http://example.com/%C3%28").pathSegments())
          .containsExactly("\uFFFD(");
    }
  }

  @Nested
  class Queries {
    @Test
    void charactersThatMustBeEncodedAreEncodedInQuery() {
      HttpUrl url = HttpUrl.parse("http://example.com/?a b\"<>'^`{}|\\ü");

      assertThat(url.encodedQuery()).isEqualTo("a%20b%22%3C%3E%27^`{}|\\%C3%BC");
      assertThat(url.query()).isEqualTo("a b\"<>'^`{}|\\ü");
    }

    @Test
    void charactersAllowedInQueryAreKept() {
      assertThat(HttpUrl.parse("http://example.com/?a=1&b=/?:@[]!$()*+,;~").encodedQuery())
          .isEqualTo("a=1&b=/?:@[]!$()*+,;~");
    }

    @Test
    void lonePercentInQueryIsKept() {
      assertThat(HttpUrl.parse("http://example.com/?a=100%&b=%41").encodedQuery())
          .isEqualTo("a=100%&b=%41");
    }

    @Test
    void dotSegmentsInQueryAreLeftAlone() {
      assertThat(HttpUrl.parse("http://example.com/a?b/../c").toString())
          .isEqualTo("http://example.com/a?b/../c");
    }

    @Test
    void queryParametersAreReadByNameAndIndex() {
      HttpUrl url = HttpUrl.parse("http://example.com/?a=1&b=2&a=3&c&d=&=e");

      assertThat(url.querySize()).isEqualTo(6);
      assertThat(url.queryParameter("a")).isEqualTo("1");
      assertThat(url.queryParameterValues("a")).containsExactly("1", "3");
      assertThat(url.queryParameter("c")).isNull();
      assertThat(url.queryParameterValues("c")).containsExactly((String) null);
      assertThat(url.queryParameter("d")).isEmpty();
      assertThat(url.queryParameter("")).isEqualTo("e");
      assertThat(url.queryParameter("missing")).isNull();
      assertThat(url.queryParameterValues("missing")).isEmpty();
      assertThat(url.queryParameterNames()).containsExactly("a", "b", "c", "d", "");
      assertThat(url.queryParameterName(2)).isEqualTo("a");
      assertThat(url.queryParameterValue(2)).isEqualTo("3");
      assertThat(url.queryParameterValue(3)).isNull();
      assertThat(url.queryParameterName(5)).isEmpty();
      assertThat(url.queryParameterValue(5)).isEqualTo("e");
    }

    @Test
    void queryParameterValueMayContainEquals() {
      HttpUrl url = HttpUrl.parse("http://example.com/?token=a=b=");

      assertThat(url.queryParameter("token")).isEqualTo("a=b=");
    }

    @Test
    void queryParameterNamesAndValuesAreDecodedWithPlusAsSpace() {
      HttpUrl url = HttpUrl.parse("http://example.com/?first+name=J%C3%BCrgen+M&a%26b=c%3Dd%2B");

      assertThat(url.queryParameter("first name")).isEqualTo("Jürgen M");
      assertThat(url.queryParameter("a&b")).isEqualTo("c=d+");
      assertThat(url.queryParameterNames()).containsExactly("first name", "a&b");
      assertThat(url.query()).isEqualTo("first name=Jürgen M&a&b=c=d+");
    }

    @Test
    void emptyQueryHasNoParameters() {
      HttpUrl url = HttpUrl.parse("http://example.com/?");

      assertThat(url.querySize()).isZero();
      assertThat(url.queryParameterNames()).isEmpty();
      assertThat(HttpUrl.parse("http://example.com/").querySize()).isZero();
    }

    @Test
    void emptyParametersBetweenAmpersandsAreCounted() {
      HttpUrl url = HttpUrl.parse("http://example.com/?a&&b&");

      assertThat(url.querySize()).isEqualTo(4);
      assertThat(url.queryParameterName(1)).isEmpty();
      assertThat(url.queryParameterName(3)).isEmpty();
    }

    @Test
    void queryParameterIndexOutOfRangeIsRejected() {
      HttpUrl url = HttpUrl.parse("http://example.com/?a=1");

      assertThatThrownBy(() -> url.queryParameterName(1))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> url.queryParameterValue(-1))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> HttpUrl.parse("http://example.com/").queryParameterName(0))
          .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void returnedQueryCollectionsAreImmutable() {
      HttpUrl url = HttpUrl.parse("http://example.com/a?a=1");

      assertThatThrownBy(() -> url.queryParameterValues("a").add("2"))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> url.queryParameterNames().add("b"))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> url.encodedPathSegments().add("b"))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> url.pathSegments().add("b"))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Nested
  class Fragments {
    @Test
    void fragmentIsEncodedAndDecoded() {
      HttpUrl url = HttpUrl.parse("http://example.com/#a b\"<>`{}|^\\#ü?/+[]");

      assertThat(url.encodedFragment()).isEqualTo("a%20b%22%3C%3E%60{}|^\\#%C3%BC?/+[]");
      assertThat(url.fragment()).isEqualTo("a b\"<>`{}|^\\#ü?/+[]");
    }

    @Test
    void fragmentKeepsEscapesAndLonePercent() {
      assertThat(HttpUrl.parse("http://example.com/#%41%").encodedFragment()).isEqualTo("%41%");
    }
  }

  @Nested
  class Resolution {
    private final HttpUrl base = HttpUrl.parse("http://a/b/c/d;p?q");

    /** RFC 3986 §5.4.1, with "http://g" written in canonical form. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "g       | http://a/b/c/g",
        "./g     | http://a/b/c/g",
        "g/      | http://a/b/c/g/",
        "/g      | http://a/g",
        "//g     | http://g/",
        "?y      | http://a/b/c/d;p?y",
        "g?y     | http://a/b/c/g?y",
        "'#s'    | http://a/b/c/d;p?q#s",
        "g#s     | http://a/b/c/g#s",
        "g?y#s   | http://a/b/c/g?y#s",
        ";x      | http://a/b/c/;x",
        "g;x     | http://a/b/c/g;x",
        "g;x?y#s | http://a/b/c/g;x?y#s",
        "''      | http://a/b/c/d;p?q",
        ".       | http://a/b/c/",
        "./      | http://a/b/c/",
        "..      | http://a/b/",
        "../     | http://a/b/",
        "../g    | http://a/b/g",
        "../..   | http://a/",
        "../../  | http://a/",
        "../../g | http://a/g",
    })
    void resolvesRfc3986NormalExamples(String link, String expected) {
      assertThat(base.resolve(link)).hasToString(expected);
    }

    /** RFC 3986 §5.4.2; "http:g" resolves in the backward-compatible way. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "../../../g    | http://a/g",
        "../../../../g | http://a/g",
        "/./g          | http://a/g",
        "/../g         | http://a/g",
        "g.            | http://a/b/c/g.",
        ".g            | http://a/b/c/.g",
        "g..           | http://a/b/c/g..",
        "..g           | http://a/b/c/..g",
        "./../g        | http://a/b/g",
        "./g/.         | http://a/b/c/g/",
        "g/./h         | http://a/b/c/g/h",
        "g/../h        | http://a/b/c/h",
        "g;x=1/./y     | http://a/b/c/g;x=1/y",
        "g;x=1/../y    | http://a/b/c/y",
        "g?y/./x       | http://a/b/c/g?y/./x",
        "g?y/../x      | http://a/b/c/g?y/../x",
        "g#s/./x       | http://a/b/c/g#s/./x",
        "g#s/../x      | http://a/b/c/g#s/../x",
        "http:g        | http://a/b/c/g",
    })
    void resolvesRfc3986AbnormalExamples(String link, String expected) {
      assertThat(base.resolve(link)).hasToString(expected);
    }

    @Test
    void linkWithOtherSchemeResolvesToNull() {
      assertThat(base.resolve("g:h")).isNull();
      assertThat(base.resolve("mailto:someone@example.com")).isNull();
      assertThat(base.resolve("ftp://example.com/")).isNull();
      assertThat(base.resolve("javascript:alert(1)")).isNull();
      assertThat(base.newBuilder("g:h")).isNull();
    }

    @Test
    void invalidLinkResolvesToNull() {
      assertThat(base.resolve("http://exa mple.com/")).isNull();
      assertThat(base.resolve("//[::1/")).isNull();
      assertThat(base.resolve("http://a:-1/")).isNull();
      assertThat(base.newBuilder("https://a:99999/")).isNull();
    }

    @Test
    void absoluteLinkReplacesEverything() {
      assertThat(base.resolve("https://example.com/x")).hasToString("https://example.com/x");
    }

    @Test
    void linkWithOtherHttpSchemeAndNoSlashesHasAnAuthority() {
      assertThat(base.resolve("https:example.com")).hasToString("https://example.com/");
    }

    @Test
    void relativeLinkKeepsUserInfoAndPort() {
      HttpUrl base = HttpUrl.parse("https://user:pw@example.com:8443/a/b?q#f");

      assertThat(base.resolve("c")).hasToString("https://user:pw@example.com:8443/a/c");
      assertThat(base.resolve("//other.com/")).hasToString("https://other.com/");
    }

    @Test
    void linkIsTrimmedAndItsBackslashesActAsSlashes() {
      assertThat(base.resolve("  ..\\g\\h  ")).hasToString("http://a/b/g/h");
      assertThat(base.resolve("\\\\example.com\\x")).hasToString("http://example.com/x");
    }

    @Test
    void fragmentOfBaseIsNeverKept() {
      HttpUrl base = HttpUrl.parse("http://a/b?q#f");

      assertThat(base.resolve("")).hasToString("http://a/b?q");
      assertThat(base.resolve("?")).hasToString("http://a/b?");
    }

    @Test
    void resolvedLinkIsCanonicalized() {
      assertThat(base.resolve("x y/ü?a b#c d")).hasToString("http://a/b/c/x%20y/%C3%BC?a%20b#c%20d");
    }

    @Test
    void newBuilderWithLinkStartsFromTheResolvedUrl() {
      HttpUrl.Builder builder = base.newBuilder("../g?y");

      assertThat(builder.addQueryParameter("z", "1").build()).hasToString("http://a/b/g?y&z=1");
    }
  }

  @Nested
  class Conversions {
    @Test
    void redactKeepsOnlySchemeHostAndPort() {
      assertThat(HttpUrl.parse("https://user:pw@example.com/secret?token=x#f").redact())
          .isEqualTo("https://example.com/...");
      assertThat(HttpUrl.parse("http://example.com:8080/a").redact())
          .isEqualTo("http://example.com:8080/...");
      assertThat(HttpUrl.parse("http://[::1]:80/a").redact()).isEqualTo("http://[::1]/...");
    }

    @Test
    void equalUrlsHaveEqualCanonicalStrings() {
      HttpUrl a = HttpUrl.parse("HTTP://EXAMPLE.com:80/a/../b?q");
      HttpUrl b = HttpUrl.parse("http://example.com/b?q");

      assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
      assertThat(a).isNotEqualTo(HttpUrl.parse("http://example.com/b?q#f"));
      assertThat(a).isNotEqualTo(HttpUrl.parse("https://example.com/b?q"));
      assertThat(a).isNotEqualTo("http://example.com/b?q");
    }

    @Test
    void differentlyCasedEscapesAreDifferentUrls() {
      assertThat(HttpUrl.parse("http://h/%2f")).isNotEqualTo(HttpUrl.parse("http://h/%2F"));
    }

    @Test
    void uriHasTheSameComponents() {
      URI uri = HttpUrl.parse("https://u:p@example.com:8443/a%20b?c=d%20e#f").uri();

      assertThat(uri.getScheme()).isEqualTo("https");
      assertThat(uri.getRawUserInfo()).isEqualTo("u:p");
      assertThat(uri.getHost()).isEqualTo("example.com");
      assertThat(uri.getPort()).isEqualTo(8443);
      assertThat(uri.getRawPath()).isEqualTo("/a%20b");
      assertThat(uri.getPath()).isEqualTo("/a b");
      assertThat(uri.getRawQuery()).isEqualTo("c=d%20e");
      assertThat(uri.getRawFragment()).isEqualTo("f");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://h/ \"<>^`{}|[]\\%/?\"<>^`{}|[]\\%'#\"<>^`{}|[]\\%#",
        "http://a b:c[]d@h/",
        "http://a%b:%@h/",
        "http://h/\u0000\u0001\u007f?\u0000#\u0000",
        "http://h/ü?ü#ü",
        "http://h/%?%#%",
        "http://my_host!$&'()*+,;=/",
        "http://[1::2]/a",
    })
    void uriIsValidForEveryUrlAndMeansTheSame(String input) {
      HttpUrl url = HttpUrl.parse(input);

      URI uri = url.uri();
      HttpUrl fromUri = HttpUrl.get(uri);
      assertThat(fromUri.uri()).isEqualTo(uri);
      assertThat(fromUri.username()).isEqualTo(url.username());
      assertThat(fromUri.password()).isEqualTo(url.password());
      assertThat(fromUri.host()).isEqualTo(url.host());
      assertThat(fromUri.pathSegments()).isEqualTo(url.pathSegments());
      assertThat(fromUri.query()).isEqualTo(url.query());
      assertThat(fromUri.fragment()).isEqualTo(url.fragment());
    }

    @Test
    void uriNeverFailsForRandomUrls() {
      Random random = new Random(7);
      String alphabet = "aZ09-._~!$&'()*+,;=:@/?#[]%\\ \"<>^`{|}\u0000\u007f\u00fc\u2603";
      int parsed = 0;
      for (int i = 0; i < 20_000; i++) {
        StringBuilder input = new StringBuilder("http://h/");
        for (int j = random.nextInt(16); j > 0; j--) {
          input.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        HttpUrl url = HttpUrl.parseOrNull(input.toString());
        if (url == null) continue;
        parsed++;
        HttpUrl fromUri = HttpUrl.get(url.uri());
        assertThat(fromUri.pathSegments()).as(input.toString()).isEqualTo(url.pathSegments());
        assertThat(fromUri.query()).as(input.toString()).isEqualTo(url.query());
        assertThat(fromUri.fragment()).as(input.toString()).isEqualTo(url.fragment());
      }
      assertThat(parsed).isGreaterThan(10_000);
    }

    @Test
    void uriEscapesWhatUriRefusesButTheStringKeeps() {
      HttpUrl url = HttpUrl.parse("http://h/a{b}|%/[c]?q|%^#f#%`");

      assertThat(url.toString()).isEqualTo("http://h/a%7Bb%7D|%/[c]?q|%^#f#%%60");
      assertThat(url.uri().toString()).isEqualTo("http://h/a%7Bb%7D%7C%25/%5Bc%5D?q%7C%25%5E#f%23%25%60");
    }

    @Test
    void uriOfUrlWithNothingToEscapeIsTheCanonicalString() {
      HttpUrl url = HttpUrl.parse("https://u:p@example.com:8443/a%20b/c?d=e%25&f#g");

      assertThat(url.uri().toString()).isEqualTo(url.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP://User:Pw@EXAMPLE.com:80/a/./b/../c d?e f#g h",
        "http://h//a\\b/%2e%2E/c?%zz#%",
        "https://☃.net/ü?q=ü#ü",
        "http://[0:0::1]:8080",
        "http://0x7f.1/",
        "http:/h?a=1&&b",
    })
    void canonicalStringParsesToAnEqualUrl(String input) {
      HttpUrl url = HttpUrl.parse(input);
      HttpUrl reparsed = HttpUrl.parse(url.toString());

      assertThat(reparsed).isEqualTo(url);
      assertThat(reparsed.toString()).isEqualTo(url.toString());
    }

    @Test
    void decodedComponentsRoundTripThroughBuilderAndString() {
      StringBuilder allAscii = new StringBuilder();
      for (char c = 0; c < 0x80; c++) {
        allAscii.append(c);
      }
      List<String> samples = Arrays.asList(allAscii.toString(), "ü☃\uD83D\uDE00", "%", "%41", "+",
          "a b", "", "&=#?/\\");
      for (String s : samples) {
        HttpUrl url = new HttpUrl.Builder().scheme("http").host("example.com")
            .username(s)
            .password(s)
            .addPathSegment(s)
            .addQueryParameter(s, s)
            .fragment(s)
            .build();
        HttpUrl reparsed = HttpUrl.parse(url.toString());

        assertThat(reparsed).as(s).isEqualTo(url);
        assertThat(reparsed.username()).as(s).isEqualTo(s);
        assertThat(reparsed.password()).as(s).isEqualTo(s);
        assertThat(reparsed.pathSegments()).as(s).containsExactly(s);
        assertThat(reparsed.queryParameterValues(s)).as(s).containsExactly(s);
        assertThat(reparsed.fragment()).as(s).isEqualTo(s);
        assertThat(url.uri()).as(s).isNotNull();
      }
    }

    @Test
    void decodedQueryRoundTripsThroughBuilder() {
      String query = "a=b c+d&e=ü%";

      HttpUrl url = new HttpUrl.Builder().scheme("http").host("h").query(query).build();

      assertThat(HttpUrl.parse(url.toString()).query()).isEqualTo(query);
    }
  }

  @Test
  void canonicalInputIsKeptAsTheStringForm() {
    String canonical = "http://127.0.0.1:8080/1k.bin?a=b#f";
    HttpUrl url = HttpUrl.parse(canonical);
    assertThat(url.toString()).isSameAs(canonical);
    assertThat(url.encodedPath()).isEqualTo("/1k.bin");
    assertThat(url.pathSegments()).containsExactly("1k.bin");

    HttpUrl other = HttpUrl.parse("HTTP://127.0.0.1:8080/1k.bin?a=b#f");
    assertThat(other.toString()).isEqualTo(canonical);
    assertThat(other).isEqualTo(url).hasSameHashCodeAs(url);
    assertThat(HttpUrl.parse("http://127.1:80/a/b").toString()).isEqualTo("http://127.0.0.1/a/b");
  }
}
