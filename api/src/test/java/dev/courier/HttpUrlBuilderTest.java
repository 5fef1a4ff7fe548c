package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpUrlBuilderTest {
  @Test
  void buildsUrlFromParts() {
    HttpUrl url = new HttpUrl.Builder()
        .scheme("https")
        .host("example.com")
        .port(8443)
        .username("user")
        .password("pw")
        .addPathSegment("a")
        .addPathSegment("b c")
        .addQueryParameter("q", "x y")
        .fragment("top")
        .build();

    assertThat(url).hasToString("https://user:pw@example.com:8443/a/b%20c?q=x%20y#top");
  }

  @Test
  void buildRequiresSchemeAndHost() {
    assertThatThrownBy(() -> new HttpUrl.Builder().host("example.com").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scheme == null");
    assertThatThrownBy(() -> new HttpUrl.Builder().scheme("http").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host == null");
  }

  @Test
  void schemeIsValidated() {
    assertThat(new HttpUrl.Builder().scheme("HTTPS").host("h").build().scheme())
        .isEqualTo("https");
    assertThatThrownBy(() -> new HttpUrl.Builder().scheme("ftp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected URL scheme 'http' or 'https' but was 'ftp'");
  }

  @Test
  void hostIsCanonicalized() {
    HttpUrl.Builder builder = new HttpUrl.Builder().scheme("http");

    assertThat(builder.host("EXAMPLE.com").build().host()).isEqualTo("example.com");
    assertThat(builder.host("☃.net").build().host()).isEqualTo("xn--n3h.net");
    assertThat(builder.host("127.1").build().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void hostAcceptsIpv6WithOrWithoutBrackets() {
    HttpUrl.Builder builder = new HttpUrl.Builder().scheme("http").port(8080);

    assertThat(builder.host("::1").build()).hasToString("http://[::1]:8080/");
    assertThat(builder.host("[0:0:0:0:0:0:0:1]").build()).hasToString("http://[::1]:8080/");
    assertThat(builder.host("::ffff:10.0.0.1").build().host()).isEqualTo("::ffff:a00:1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a b", "a/b", "a?b", "a#b", "a@b", "a:b", "a[b", "a]b", "a\\b",
      "a%b", "a\u0001b", "[::1", "1:2:3", "1.2.3.256", "example.com:80"})
  void invalidHostIsRejected(String host) {
    assertThatThrownBy(() -> new HttpUrl.Builder().host(host))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid URL host: \"" + host + "\"");
  }

  @Test
  void portZeroIsAcceptedAsWhatwgDoes() {
    HttpUrl url = new HttpUrl.Builder().scheme("http").host("h").port(0).build();

    assertThat(url.port()).isZero();
    assertThat(url).hasToString("http://h:0/");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 65536, Integer.MAX_VALUE})
  void portOutsideRangeIsRejected(int port) {
    assertThatThrownBy(() -> new HttpUrl.Builder().port(port))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid URL port: \"" + port + "\"");
  }

  @Test
  void defaultPortFollowsScheme() {
    HttpUrl.Builder builder = new HttpUrl.Builder().host("example.com");

    assertThat(builder.scheme("http").build().port()).isEqualTo(80);
    assertThat(builder.scheme("https").build().port()).isEqualTo(443);
    assertThat(builder.port(443).build()).hasToString("https://example.com/");
  }

  @Test
  void userInfoIsEncodedOrKeptEncoded() {
    HttpUrl url = new HttpUrl.Builder().scheme("http").host("h")
        .username("a:b@c/%")
        .password("p%41ss w")
        .build();
    HttpUrl encoded = new HttpUrl.Builder().scheme("http").host("h")
        .encodedUsername("a%3Ab c")
        .encodedPassword("p%41ss%")
        .build();

    assertThat(url).hasToString("http://a%3Ab%40c%2F%25:p%2541ss%20w@h/");
    assertThat(url.username()).isEqualTo("a:b@c/%");
    assertThat(url.password()).isEqualTo("p%41ss w");
    assertThat(encoded).hasToString("http://a%3Ab%20c:p%41ss%@h/");
    assertThat(encoded.password()).isEqualTo("pAss%");
  }

  @Test
  void addPathSegmentFillsTrailingEmptySegment() {
    HttpUrl.Builder builder = new HttpUrl.Builder().scheme("http").host("h");

    assertThat(builder.addPathSegment("a").build().encodedPath()).isEqualTo("/a");
    assertThat(builder.addPathSegment("b").build().encodedPath()).isEqualTo("/a/b");
    assertThat(builder.addPathSegment("").build().encodedPath()).isEqualTo("/a/b/");
    assertThat(builder.addPathSegment("c").build().encodedPath()).isEqualTo("/a/b/c");
  }

  @Test
  void addPathSegmentEncodesSlashesAndPercents() {
    HttpUrl url = new HttpUrl.Builder().scheme("http").host("h")
        .addPathSegment("a/b\\c?d#e%41 ü")
        .build();

    assertThat(url.encodedPath()).isEqualTo("/a%2Fb%5Cc%3Fd%23e%2541%20%C3%BC");
    assertThat(url.pathSegments()).containsExactly("a/b\\c?d#e%41 ü");
  }

  @Test
  void addPathSegmentTreatsDotsAsNavigation() {
    HttpUrl.Builder builder = HttpUrl.parse("http://h/a/b").newBuilder();

    assertThat(builder.addPathSegment(".").build().encodedPath()).isEqualTo("/a/b");
    assertThat(builder.addPathSegment("..").build().encodedPath()).isEqualTo("/a/");
    assertThat(builder.addPathSegment("%2e").build().encodedPath()).isEqualTo("/a/%252e");
    assertThat(builder.addEncodedPathSegment("%2E%2E").build().encodedPath()).isEqualTo("/a/");
  }

  @Test
  void addPathSegmentsSplitsOnSlashes() {
    HttpUrl.Builder builder = new HttpUrl.Builder().scheme("http").host("h");

    assertThat(builder.addPathSegments("a/b c/").build().encodedPath()).isEqualTo("/a/b%20c/");
    assertThat(builder.addPathSegments("d\\e").build().encodedPath())
        .isEqualTo("/a/b%20c/d%5Ce");
    assertThat(builder.addPathSegments("../f").build().encodedPath()).isEqualTo("/a/b%20c/f");
  }

  @Test
  void addEncodedPathSegmentsKeepsEscapesAndSplitsOnBackslashes() {
    HttpUrl url = new HttpUrl.Builder().scheme("http").host("h")
        .addEncodedPathSegments("a%2Fb\\c d/%")
        .build();

    assertThat(url.encodedPathSegments()).containsExactly("a%2Fb", "c%20d", "%");
  }

  @Test
  void addEncodedPathSegmentEncodesSlashes() {
    HttpUrl url = new HttpUrl.Builder().scheme("http").host("h")
        .addEncodedPathSegment("a/b%20c")
        .build();

    assertThat(url.encodedPathSegments()).containsExactly("a%2Fb%20c");
  }

  @Test
  void setPathSegmentReplacesOneSegment() {
    HttpUrl.Builder builder = HttpUrl.parse("http://h/a/b/c").newBuilder();

    assertThat(builder.setPathSegment(1, "x y").build().encodedPath()).isEqualTo("/a/x%20y/c");
    assertThat(builder.setEncodedPathSegment(2, "%41/").build().encodedPath())
        .isEqualTo("/a/x%20y/%41%2F");
  }

  @ParameterizedTest
  @ValueSource(strings = {".", ".."})
  void setPathSegmentRejectsDotSegments(String segment) {
    HttpUrl.Builder builder = HttpUrl.parse("http://h/a").newBuilder();

    assertThatThrownBy(() -> builder.setPathSegment(0, segment))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unexpected path segment: \"" + segment + "\"");
  }

  @Test
  void setEncodedPathSegmentRejectsEncodedDotSegments() {
    HttpUrl.Builder builder = HttpUrl.parse("http://h/a").newBuilder();

    assertThatThrownBy(() -> builder.setEncodedPathSegment(0, "%2e%2E"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(builder.setPathSegment(0, "%2e").build().encodedPath()).isEqualTo("/%252e");
  }

  @Test
  void setPathSegmentOutOfRangeIsRejected() {
    assertThatThrownBy(() -> HttpUrl.parse("http://h/a").newBuilder().setPathSegment(1, "b"))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void removePathSegmentLeavesRootWhenLastIsRemoved() {
    HttpUrl.Builder builder = HttpUrl.parse("http://h/a/b").newBuilder();

    assertThat(builder.removePathSegment(0).build().encodedPath()).isEqualTo("/b");
    assertThat(builder.removePathSegment(0).build().encodedPath()).isEqualTo("/");
    assertThatThrownBy(() -> builder.removePathSegment(1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void encodedPathReplacesPathAndResolvesDots() {
    HttpUrl.Builder builder = HttpUrl.parse("http://h/old/path").newBuilder();

    assertThat(builder.encodedPath("/a/./b/../c%20d e").build().encodedPath())
        .isEqualTo("/a/c%20d%20e");
    assertThat(builder.encodedPath("/").build().encodedPath()).isEqualTo("/");
  }

  @Test
  void encodedPathMustStartWithSlash() {
    assertThatThrownBy(() -> new HttpUrl.Builder().encodedPath("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected encoded path to start with '/' but was \"a/b\"");
  }

  @Test
  void queryIsEncodedOrKeptEncoded() {
    HttpUrl.Builder builder = new HttpUrl.Builder().scheme("http").host("h");

    assertThat(builder.query("a=b c&d=e+f#%").build().encodedQuery())
        .isEqualTo("a=b%20c&d=e%2Bf%23%25");
    assertThat(builder.build().queryParameter("d")).isEqualTo("e+f#%");
    assertThat(builder.encodedQuery("a=b+c%20&d#").build().encodedQuery())
        .isEqualTo("a=b+c%20&d%23");
    assertThat(builder.build().queryParameter("a")).isEqualTo("b c ");
    assertThat(builder.query(null).build().encodedQuery()).isNull();
    assertThat(builder.encodedQuery("").build()).hasToString("http://h/?");
  }

  @Test
  void addQueryParameterEncodesDelimiters() {
    HttpUrl url = new HttpUrl.Builder().scheme("http").host("h")
        .addQueryParameter("a&b=c", "d=e&f+g h#i%")
        .addQueryParameter("flag", null)
        .addQueryParameter("empty", "")
        .build();

    assertThat(url.encodedQuery()).isEqualTo("a%26b%3Dc=d%3De%26f%2Bg%20h%23i%25&flag&empty=");
    assertThat(url.queryParameter("a&b=c")).isEqualTo("d=e&f+g h#i%");
    assertThat(url.queryParameterValues("flag")).containsExactly((String) null);
    assertThat(url.queryParameter("empty")).isEmpty();
  }

  @Test
  void addEncodedQueryParameterKeepsEscapesAndEncodesDelimiters() {
    HttpUrl url = new HttpUrl.Builder().scheme("http").host("h")
        .addEncodedQueryParameter("a+b%20", "c=d&e%3D%")
        .build();

    assertThat(url.encodedQuery()).isEqualTo("a+b%20=c%3Dd%26e%3D%");
    assertThat(url.queryParameter("a b ")).isEqualTo("c=d&e=%");
  }

  @Test
  void addQueryParameterAppendsToParsedQuery() {
    HttpUrl url = HttpUrl.parse("http://h/?a=1&b").newBuilder()
        .addQueryParameter("a", "2")
        .build();

    assertThat(url.encodedQuery()).isEqualTo("a=1&b&a=2");
    assertThat(url.queryParameterValues("a")).containsExactly("1", "2");
  }

  @Test
  void setQueryParameterReplacesEveryValue() {
    HttpUrl url = HttpUrl.parse("http://h/?a=1&b=2&a=3").newBuilder()
        .setQueryParameter("a", "4")
        .setEncodedQueryParameter("c", "%35")
        .build();

    assertThat(url.encodedQuery()).isEqualTo("b=2&a=4&c=%35");
  }

  @Test
  void removeAllQueryParametersMatchesDecodedNames() {
    HttpUrl url = HttpUrl.parse("http://h/?a+b=1&a%20b=2&c=3&a b=4").newBuilder()
        .removeAllQueryParameters("a b")
        .build();

    assertThat(url.encodedQuery()).isEqualTo("c=3");
  }

  @Test
  void removeAllEncodedQueryParametersMatchesEncodedNames() {
    HttpUrl url = HttpUrl.parse("http://h/?a+b=1&a%20b=2&c=3&a b=4").newBuilder()
        .removeAllEncodedQueryParameters("a b")
        .build();

    assertThat(url.encodedQuery()).isEqualTo("a+b=1&c=3");
  }

  @Test
  void removingEveryQueryParameterRemovesTheQuery() {
    HttpUrl url = HttpUrl.parse("http://h/?a=1&a=2").newBuilder()
        .removeAllQueryParameters("a")
        .build();

    assertThat(url.encodedQuery()).isNull();
    assertThat(url).hasToString("http://h/");
  }

  @Test
  void removingAbsentQueryParameterKeepsTheQuery() {
    assertThat(HttpUrl.parse("http://h/?a=1").newBuilder().removeAllQueryParameters("b").build())
        .hasToString("http://h/?a=1");
    assertThat(HttpUrl.parse("http://h/").newBuilder().removeAllQueryParameters("b").build())
        .hasToString("http://h/");
  }

  @Test
  void queryReplacesEditedParameters() {
    HttpUrl url = new HttpUrl.Builder().scheme("http").host("h")
        .addQueryParameter("a", "1")
        .encodedQuery("b=2")
        .addQueryParameter("c", "3")
        .build();

    assertThat(url.encodedQuery()).isEqualTo("b=2&c=3");
  }

  @Test
  void fragmentIsEncodedOrKeptEncoded() {
    HttpUrl.Builder builder = new HttpUrl.Builder().scheme("http").host("h");

    assertThat(builder.fragment("a b#%41").build().encodedFragment()).isEqualTo("a%20b#%2541");
    assertThat(builder.encodedFragment("a b#%41").build().encodedFragment())
        .isEqualTo("a%20b#%41");
    assertThat(builder.fragment(null).build()).hasToString("http://h/");
  }

  @Test
  void newBuilderRebuildsAnEqualUrl() {
    HttpUrl url = HttpUrl.parse("https://u:p@[::1]:8443/a/b/?q=1&r#f");

    assertThat(url.newBuilder().build()).isEqualTo(url);
    assertThat(url.newBuilder().build()).hasToString(url.toString());
  }

  @Test
  void newBuilderKeepsExplicitPortAndMovesDefaultPortWithScheme() {
    assertThat(HttpUrl.parse("http://h/").newBuilder().scheme("https").build())
        .hasToString("https://h/");
    assertThat(HttpUrl.parse("http://h:8080/").newBuilder().scheme("https").build())
        .hasToString("https://h:8080/");
  }

  @Test
  void builderDoesNotChangeTheUrlItCameFrom() {
    HttpUrl url = HttpUrl.parse("http://h/a?b=1");
    url.newBuilder().addPathSegment("c").addQueryParameter("d", "2").host("other").build();

    assertThat(url).hasToString("http://h/a?b=1");
  }

  @Test
  void builderToStringShowsWhatIsSetSoFar() {
    HttpUrl.Builder builder = new HttpUrl.Builder().addPathSegment("a").addQueryParameter("b", "c");

    assertThat(builder).hasToString("///a?b=c");
    assertThat(builder.scheme("https").host("::1").port(8443))
        .hasToString("https://[::1]:8443/a?b=c");
  }
}
