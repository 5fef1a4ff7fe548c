package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.internal.HttpDates;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CookieTest {
  /** The injected "now": 2021-06-09T10:18:14Z. */
  private static final long NOW = Instant.parse("2021-06-09T10:18:14Z").toEpochMilli();
  /** 9999-12-31T23:59:59Z, the expiry of session cookies and the cap on all others. */
  private static final long MAX_DATE = Instant.parse("9999-12-31T23:59:59Z").toEpochMilli();

  private final HttpUrl url = HttpUrl.parse("https://example.com/");
  private final HttpUrl www = HttpUrl.parse("https://www.example.com/");

  private static Cookie parse(HttpUrl url, String setCookie) {
    return Cookie.parse(NOW, url, setCookie);
  }

  private static Cookie parse(String url, String setCookie) {
    return Cookie.parse(NOW, HttpUrl.parse(url), setCookie);
  }

  // Name and value.

  @Test
  void simpleCookieIsHostOnlySessionCookieWithDefaultPath() {
    Cookie cookie = parse(url, "SID=31d4d96e407aad42");
    assertThat(cookie.name()).isEqualTo("SID");
    assertThat(cookie.value()).isEqualTo("31d4d96e407aad42");
    assertThat(cookie.domain()).isEqualTo("example.com");
    assertThat(cookie.hostOnly()).isTrue();
    assertThat(cookie.path()).isEqualTo("/");
    assertThat(cookie.persistent()).isFalse();
    assertThat(cookie.expiresAt()).isEqualTo(MAX_DATE);
    assertThat(cookie.secure()).isFalse();
    assertThat(cookie.httpOnly()).isFalse();
    assertThat(cookie.sameSite()).isNull();
  }

  @Test
  void nameAndValueAreTrimmedOfSpacesAndTabs() {
    Cookie cookie = parse(url, " \t a \t= \t b \t ; Path=/");
    assertThat(cookie.name()).isEqualTo("a");
    assertThat(cookie.value()).isEqualTo("b");
  }

  @Test
  void valueMayBeEmpty() {
    assertThat(parse(url, "a=").value()).isEmpty();
    assertThat(parse(url, "a=; Secure").value()).isEmpty();
  }

  @Test
  void valueKeepsQuotesAndEqualsSigns() {
    assertThat(parse(url, "a=\"b c\"").value()).isEqualTo("\"b c\"");
    assertThat(parse(url, "a=b=c==").value()).isEqualTo("b=c==");
  }

  @Test
  void headerWithoutEqualsSignIsRejected() {
    assertThat(parse(url, "SID")).isNull();
    assertThat(parse(url, "SID; Path=/a=b")).isNull();
    assertThat(parse(url, "")).isNull();
  }

  @Test
  void emptyNameIsRejected() {
    assertThat(parse(url, "=value")).isNull();
    assertThat(parse(url, "  =value")).isNull();
  }

  @Test
  void controlCharacterInNameOrValueIsRejected() {
    assertThat(parse(url, "a\u0000b=c")).isNull();
    assertThat(parse(url, "a=b\u0001c")).isNull();
    assertThat(parse(url, "a=b\u007fc")).isNull();
    assertThat(parse(url, "a=b\r\nSet-Cookie: c=d")).isNull();
  }

  @Test
  void controlCharacterAtEitherEndIsNotTrimmedAway() {
    assertThat(parse(url, "\u0001a=b")).isNull();
    assertThat(parse(url, "a=b\u0001")).isNull();
  }

  @Test
  void nonAsciiNameOrValueIsKept() {
    // RFC 6265bis §5.6 rejects only control characters; other octets are kept as they came.
    Cookie cookie = parse(url, "caf\u00e9=\u6625\u8282 \u00e9t\u00e9");
    assertThat(cookie.name()).isEqualTo("caf\u00e9");
    assertThat(cookie.value()).isEqualTo("\u6625\u8282 \u00e9t\u00e9");
    assertThat(parse(url, cookie.toString())).isEqualTo(cookie);
  }

  @Test
  void tabInsideNameOrValueIsKept() {
    assertThat(parse(url, "a=b\tc").value()).isEqualTo("b\tc");
    assertThat(parse(url, "a\tb=c").name()).isEqualTo("a\tb");
  }

  @Test
  void attributeNamesAreCaseInsensitive() {
    Cookie cookie = parse(url, "a=b; sEcUrE; HTTPONLY; PATH=/x; max-AGE=60; DOMAIN=example.com");
    assertThat(cookie.secure()).isTrue();
    assertThat(cookie.httpOnly()).isTrue();
    assertThat(cookie.path()).isEqualTo("/x");
    assertThat(cookie.expiresAt()).isEqualTo(NOW + 60_000L);
    assertThat(cookie.hostOnly()).isFalse();
  }

  @Test
  void unknownAttributesAndEmptySegmentsAreIgnored() {
    Cookie cookie = parse(url, "a=b;; Priority=High; Partitioned; =x; ; Secure");
    assertThat(cookie).isEqualTo(new Cookie.Builder().name("a").value("b")
        .hostOnlyDomain("example.com").secure(true).build());
  }

  @Test
  void secureAndHttpOnlyAttributesAreRecordedEvenWithValues() {
    Cookie cookie = parse(url, "a=b; Secure=no; HttpOnly=false");
    assertThat(cookie.secure()).isTrue();
    assertThat(cookie.httpOnly()).isTrue();
  }

  // Expiry.

  @Test
  void maxAgeSetsExpiryRelativeToInjectedClock() {
    Cookie cookie = parse(url, "a=b; Max-Age=3600");
    assertThat(cookie.expiresAt()).isEqualTo(NOW + 3_600_000L);
    assertThat(cookie.persistent()).isTrue();
    assertThat(Cookie.parse(NOW + 5_000L, url, "a=b; Max-Age=3600").expiresAt())
        .isEqualTo(NOW + 3_605_000L);
  }

  @Test
  void maxAgeWinsOverExpiresWhicheverComesFirst() {
    assertThat(parse(url, "a=b; Max-Age=1; Expires=Thu, 01 Jan 2099 00:00:00 GMT").expiresAt())
        .isEqualTo(NOW + 1_000L);
    assertThat(parse(url, "a=b; Expires=Thu, 01 Jan 2099 00:00:00 GMT; Max-Age=1").expiresAt())
        .isEqualTo(NOW + 1_000L);
  }

  @Test
  void zeroOrNegativeMaxAgeMeansAlreadyExpired() {
    Cookie zero = parse(url, "a=b; Max-Age=0");
    assertThat(zero.expiresAt()).isEqualTo(Long.MIN_VALUE);
    assertThat(zero.persistent()).isTrue();
    assertThat(parse(url, "a=b; Max-Age=-1").expiresAt()).isEqualTo(Long.MIN_VALUE);
    assertThat(parse(url, "a=b; Max-Age=-99999999999999999999999").expiresAt())
        .isEqualTo(Long.MIN_VALUE);
    assertThat(parse(url, "a=b; Expires=Thu, 01 Jan 2099 00:00:00 GMT; Max-Age=0").expiresAt())
        .isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void malformedMaxAgeIsIgnored() {
    for (String maxAge : new String[] {"", "abc", "+5", "1.5", "-", "5s", " 5 x", "0x10"}) {
      Cookie cookie = parse(url, "a=b; Max-Age=" + maxAge);
      assertThat(cookie.persistent()).as(maxAge).isFalse();
      assertThat(cookie.expiresAt()).as(maxAge).isEqualTo(MAX_DATE);
    }
  }

  @Test
  void malformedMaxAgeLeavesExpiresInEffect() {
    assertThat(parse(url, "a=b; Expires=Thu, 01 Jan 2099 00:00:00 GMT; Max-Age=soon").expiresAt())
        .isEqualTo(Instant.parse("2099-01-01T00:00:00Z").toEpochMilli());
  }

  @Test
  void lastValidMaxAgeWins() {
    assertThat(parse(url, "a=b; Max-Age=10; Max-Age=20").expiresAt()).isEqualTo(NOW + 20_000L);
    assertThat(parse(url, "a=b; Max-Age=10; Max-Age=x").expiresAt()).isEqualTo(NOW + 10_000L);
  }

  @Test
  void hugeMaxAgeIsCappedAtTheEndOfYear9999() {
    assertThat(parse(url, "a=b; Max-Age=9223372036854775807").expiresAt()).isEqualTo(MAX_DATE);
    assertThat(parse(url, "a=b; Max-Age=99999999999999999999999999").expiresAt())
        .isEqualTo(MAX_DATE);
    assertThat(parse(url, "a=b; Max-Age=9223372036854775").expiresAt()).isEqualTo(MAX_DATE);
    assertThat(Cookie.parse(Long.MAX_VALUE - 10, url, "a=b; Max-Age=60").expiresAt())
        .isEqualTo(MAX_DATE);
  }

  @Test
  void expiresSetsAbsoluteExpiryInEachDateForm() {
    long expected = Instant.parse("2030-11-06T08:49:37Z").toEpochMilli();
    String[] dates = {
      "Wed, 06 Nov 2030 08:49:37 GMT",
      "Wednesday, 06-Nov-30 08:49:37 GMT",
      "Wed Nov  6 08:49:37 2030",
      "Wed, 06-Nov-2030 08:49:37 GMT",
      "Wed, 06 Nov 2030 08:49:37 -0000",
      // RFC 6265 §5.1.1: single-digit days, two-digit years, no weekday, any order, any zone text.
      "6 Nov 30 08:49:37",
      "Nov 6 2030 8:49:37",
      "08:49:37 2030-Nov-06",
      "Tue, 06 Nov 2030 08:49:37 UTC",
    };
    for (String date : dates) {
      Cookie cookie = parse(url, "a=b; Expires=" + date);
      assertThat(cookie.expiresAt()).as(date).isEqualTo(expected);
      assertThat(cookie.persistent()).as(date).isTrue();
    }
  }

  @Test
  void twoDigitExpiresYearsBelow70AreThisCentury() {
    assertThat(parse(url, "a=b; Expires=1 Jan 69 00:00:00 GMT").expiresAt())
        .isEqualTo(Instant.parse("2069-01-01T00:00:00Z").toEpochMilli());
    assertThat(parse(url, "a=b; Expires=1 Jan 99 00:00:00 GMT").expiresAt())
        .isEqualTo(Instant.parse("1999-01-01T00:00:00Z").toEpochMilli());
  }

  @Test
  void expiresNamingADayThatDoesNotExistIsIgnored() {
    Cookie cookie = parse(url, "a=b; Expires=Wed, 31 Nov 2030 08:49:37 GMT");
    assertThat(cookie.persistent()).isFalse();
  }

  @Test
  void expiresValueIsTrimmed() {
    assertThat(parse(url, "a=b; Expires =  Wed, 06 Nov 2030 08:49:37 GMT  ").expiresAt())
        .isEqualTo(Instant.parse("2030-11-06T08:49:37Z").toEpochMilli());
  }

  @Test
  void unparseableExpiresIsIgnored() {
    Cookie cookie = parse(url, "a=b; Expires=tomorrow");
    assertThat(cookie.persistent()).isFalse();
    assertThat(cookie.expiresAt()).isEqualTo(MAX_DATE);
  }

  @Test
  void expiresInThePastIsKeptSoJarsCanDelete() {
    Cookie cookie = parse(url, "a=b; Expires=Sun, 06 Nov 1994 08:49:37 GMT");
    assertThat(cookie).isNotNull();
    assertThat(cookie.persistent()).isTrue();
    assertThat(cookie.expiresAt()).isEqualTo(Instant.parse("1994-11-06T08:49:37Z").toEpochMilli());
  }

  @Test
  void expiresAtOrBeforeTheEpochMeansAlreadyExpired() {
    assertThat(parse(url, "a=b; Expires=Thu, 01 Jan 1970 00:00:00 GMT").expiresAt())
        .isEqualTo(Long.MIN_VALUE);
    assertThat(parse(url, "a=b; Expires=Sat, 01 Jan 1960 00:00:00 GMT").expiresAt())
        .isEqualTo(Long.MIN_VALUE);
  }

  // Domain.

  @Test
  void domainAttributeMakesCookieApplyToSubdomains() {
    Cookie cookie = parse(www, "a=b; Domain=example.com");
    assertThat(cookie.domain()).isEqualTo("example.com");
    assertThat(cookie.hostOnly()).isFalse();
    assertThat(cookie.matches(url)).isTrue();
    assertThat(cookie.matches(www)).isTrue();
    assertThat(cookie.matches(HttpUrl.parse("https://a.b.example.com/"))).isTrue();
  }

  @Test
  void domainAttributeEqualToHostIsNotHostOnly() {
    Cookie cookie = parse(url, "a=b; Domain=example.com");
    assertThat(cookie.hostOnly()).isFalse();
    assertThat(cookie.matches(www)).isTrue();
  }

  @Test
  void leadingDotInDomainIsIgnored() {
    assertThat(parse(www, "a=b; Domain=.example.com").domain()).isEqualTo("example.com");
  }

  @Test
  void domainAttributeIsLowercased() {
    assertThat(parse(www, "a=b; Domain=EXAMPLE.Com").domain()).isEqualTo("example.com");
  }

  @Test
  void emptyDomainAttributeIsIgnored() {
    Cookie cookie = parse(www, "a=b; Domain=");
    assertThat(cookie.hostOnly()).isTrue();
    assertThat(cookie.domain()).isEqualTo("www.example.com");
    assertThat(parse(www, "a=b; Domain=.").hostOnly()).isTrue();
  }

  @Test
  void lastDomainAttributeWins() {
    assertThat(parse(www, "a=b; Domain=www.example.com; Domain=example.com").domain())
        .isEqualTo("example.com");
  }

  @Test
  void domainThatDoesNotContainHostIsRejected() {
    assertThat(parse(url, "a=b; Domain=example.org")).isNull();
    assertThat(parse(url, "a=b; Domain=www.example.com")).isNull();
  }

  @Test
  void domainSuffixNotOnLabelBoundaryIsRejected() {
    assertThat(parse("https://notexample.com/", "a=b; Domain=example.com")).isNull();
  }

  @Test
  void singleLabelDomainIsRejectedUnlessItIsTheHost() {
    assertThat(parse(url, "a=b; Domain=com")).isNull();
    assertThat(parse(www, "a=b; Domain=.com")).isNull();
    // Every top-level domain is a public suffix, so the host that is one gets a host-only cookie.
    Cookie localhost = parse("http://localhost/", "a=b; Domain=localhost");
    assertThat(localhost.domain()).isEqualTo("localhost");
    assertThat(localhost.hostOnly()).isTrue();
  }

  @Test
  void publicSuffixDomainIsRejected() {
    assertThat(parse("https://www.example.co.uk/", "a=b; Domain=co.uk")).isNull();
    assertThat(parse("https://www.example.co.uk/", "a=b; Domain=.CO.UK")).isNull();
    assertThat(parse("https://octocat.github.io/", "a=b; Domain=github.io")).isNull();
    assertThat(parse("https://www.example.xn--p1ai/", "a=b; Domain=xn--p1ai")).isNull();
    assertThat(parse("https://a.b.anything.ck/", "a=b; Domain=anything.ck")).isNull();
  }

  @Test
  void registrableDomainBelowAPublicSuffixIsAccepted() {
    Cookie cookie = parse("https://www.example.co.uk/", "a=b; Domain=example.co.uk");
    assertThat(cookie.domain()).isEqualTo("example.co.uk");
    assertThat(cookie.hostOnly()).isFalse();
    assertThat(cookie.matches(HttpUrl.parse("https://shop.example.co.uk/"))).isTrue();
    assertThat(cookie.matches(HttpUrl.parse("https://other.co.uk/"))).isFalse();
    assertThat(parse("https://octocat.github.io/", "a=b; Domain=octocat.github.io").hostOnly())
        .isFalse();
    // An exception rule (!www.ck) makes www.ck registrable even though *.ck is a suffix.
    assertThat(parse("https://a.www.ck/", "a=b; Domain=www.ck").domain()).isEqualTo("www.ck");
  }

  @Test
  void internationalizedNamesAreCheckedInTheirAsciiForm() {
    // The url's host is held as xn--...; the list's Unicode rules are compared in that form too.
    String url = "https://www.b\u00fccher.\u0440\u0444/";
    assertThat(parse(url, "a=b; Domain=xn--p1ai")).isNull();
    assertThat(parse(url, "a=b; Domain=xn--bcher-kva.xn--p1ai").domain())
        .isEqualTo("xn--bcher-kva.xn--p1ai");
    // RFC 6265bis §5.7: a Domain attribute that is not ASCII is never a match.
    assertThat(parse(url, "a=b; Domain=b\u00fccher.\u0440\u0444")).isNull();
  }

  @Test
  void hostThatIsAPublicSuffixMaySetAHostOnlyCookie() {
    Cookie cookie = parse("https://github.io/", "a=b; Domain=github.io");
    assertThat(cookie.domain()).isEqualTo("github.io");
    assertThat(cookie.hostOnly()).isTrue();
    assertThat(cookie.matches(HttpUrl.parse("https://github.io/"))).isTrue();
    assertThat(cookie.matches(HttpUrl.parse("https://octocat.github.io/"))).isFalse();
  }

  @Test
  void ipAddressHostAcceptsOnlyItselfAsDomain() {
    assertThat(parse("http://192.168.1.1/", "a=b; Domain=168.1.1")).isNull();
    assertThat(parse("http://192.168.1.1/", "a=b; Domain=1.1")).isNull();
    Cookie cookie = parse("http://192.168.1.1/", "a=b; Domain=192.168.1.1");
    assertThat(cookie.domain()).isEqualTo("192.168.1.1");
    assertThat(cookie.matches(HttpUrl.parse("http://192.168.1.1/"))).isTrue();
  }

  @Test
  void ipv6HostGetsHostOnlyCookie() {
    HttpUrl ipv6 = HttpUrl.parse("http://[::1]/");
    Cookie cookie = parse(ipv6, "a=b");
    assertThat(cookie.hostOnly()).isTrue();
    assertThat(cookie.domain()).isEqualTo(ipv6.host());
    assertThat(cookie.matches(ipv6)).isTrue();
    assertThat(cookie.matches(HttpUrl.parse("http://[::2]/"))).isFalse();
  }

  @Test
  void hostOnlyCookieDoesNotMatchSubdomainsOrParent() {
    Cookie cookie = parse(url, "a=b");
    assertThat(cookie.matches(url)).isTrue();
    assertThat(cookie.matches(www)).isFalse();
    Cookie wwwCookie = parse(www, "a=b");
    assertThat(wwwCookie.matches(url)).isFalse();
  }

  @Test
  void domainCookieDoesNotMatchParentOrUnrelatedHosts() {
    Cookie cookie = parse(www, "a=b; Domain=www.example.com");
    assertThat(cookie.matches(www)).isTrue();
    assertThat(cookie.matches(HttpUrl.parse("https://x.www.example.com/"))).isTrue();
    assertThat(cookie.matches(url)).isFalse();
    assertThat(cookie.matches(HttpUrl.parse("https://xwww.example.com/"))).isFalse();
    assertThat(cookie.matches(HttpUrl.parse("https://www.example.com.evil.org/"))).isFalse();
  }

  // Path.

  @Test
  void defaultPathIsTheDirectoryOfTheRequestPath() {
    assertThat(parse("https://example.com/", "a=b").path()).isEqualTo("/");
    assertThat(parse("https://example.com/a", "a=b").path()).isEqualTo("/");
    assertThat(parse("https://example.com/a/", "a=b").path()).isEqualTo("/a");
    assertThat(parse("https://example.com/a/b/c", "a=b").path()).isEqualTo("/a/b");
    assertThat(parse("https://example.com/a/b/c?d=/e/f", "a=b").path()).isEqualTo("/a/b");
  }

  @Test
  void pathAttributeOverridesDefault() {
    assertThat(parse("https://example.com/a/b/c", "a=b; Path=/x/y").path()).isEqualTo("/x/y");
  }

  @Test
  void pathAttributeNotStartingWithSlashFallsBackToDefault() {
    assertThat(parse("https://example.com/a/b/c", "a=b; Path=x/y").path()).isEqualTo("/a/b");
    assertThat(parse("https://example.com/a/b/c", "a=b; Path=").path()).isEqualTo("/a/b");
    assertThat(parse("https://example.com/a/b/c", "a=b; Path").path()).isEqualTo("/a/b");
  }

  @Test
  void emptyPathAttributeAfterAnotherStillMeansTheDefaultPath() {
    assertThat(parse("https://example.com/a/b/c", "a=b; Path=/x; Path=").path()).isEqualTo("/a/b");
    assertThat(parse("https://example.com/a/b/c", "a=b; Path=/x; Path=y").path()).isEqualTo("/a/b");
    assertThat(parse("https://example.com/a/b/c", "a=b; Path=; Path=/x").path()).isEqualTo("/x");
  }

  @Test
  void cookiePathMatchesItselfAndPathsBelowIt() {
    Cookie cookie = parse(url, "a=b; Path=/foo");
    assertThat(cookie.matches(HttpUrl.parse("https://example.com/foo"))).isTrue();
    assertThat(cookie.matches(HttpUrl.parse("https://example.com/foo/"))).isTrue();
    assertThat(cookie.matches(HttpUrl.parse("https://example.com/foo/bar"))).isTrue();
    assertThat(cookie.matches(HttpUrl.parse("https://example.com/foo?x=y"))).isTrue();
  }

  @Test
  void cookiePathDoesNotMatchSiblingsThatShareAPrefix() {
    Cookie cookie = parse(url, "a=b; Path=/foo");
    assertThat(cookie.matches(HttpUrl.parse("https://example.com/foobar"))).isFalse();
    assertThat(cookie.matches(HttpUrl.parse("https://example.com/fo"))).isFalse();
    assertThat(cookie.matches(HttpUrl.parse("https://example.com/"))).isFalse();
    assertThat(cookie.matches(HttpUrl.parse("https://example.com/FOO"))).isFalse();
  }

  @Test
  void cookiePathEndingInSlashMatchesPathsBelowButNotTheBareDirectory() {
    Cookie cookie = parse(url, "a=b; Path=/foo/");
    assertThat(cookie.matches(HttpUrl.parse("https://example.com/foo/"))).isTrue();
    assertThat(cookie.matches(HttpUrl.parse("https://example.com/foo/bar"))).isTrue();
    assertThat(cookie.matches(HttpUrl.parse("https://example.com/foo"))).isFalse();
  }

  @Test
  void rootPathMatchesEveryPath() {
    Cookie cookie = parse(url, "a=b; Path=/");
    assertThat(cookie.matches(HttpUrl.parse("https://example.com/"))).isTrue();
    assertThat(cookie.matches(HttpUrl.parse("https://example.com/any/thing"))).isTrue();
  }

  // Secure, HttpOnly, SameSite.

  @Test
  void secureCookieMatchesOnlyHttps() {
    Cookie cookie = parse(url, "a=b; Secure");
    assertThat(cookie.secure()).isTrue();
    assertThat(cookie.matches(url)).isTrue();
    assertThat(cookie.matches(HttpUrl.parse("http://example.com/"))).isFalse();
  }

  @Test
  void insecureCookieMatchesHttpAndHttps() {
    Cookie cookie = parse("http://example.com/", "a=b");
    assertThat(cookie.matches(HttpUrl.parse("http://example.com/"))).isTrue();
    assertThat(cookie.matches(url)).isTrue();
  }

  @Test
  void portDoesNotAffectMatching() {
    Cookie cookie = parse("http://example.com:8080/", "a=b");
    assertThat(cookie.matches(HttpUrl.parse("http://example.com:9090/"))).isTrue();
  }

  @Test
  void httpOnlyIsRecordedAndDoesNotAffectMatching() {
    Cookie cookie = parse(url, "a=b; HttpOnly");
    assertThat(cookie.httpOnly()).isTrue();
    assertThat(cookie.matches(url)).isTrue();
  }

  @Test
  void sameSiteIsParsedCaseInsensitivelyToItsCanonicalSpelling() {
    assertThat(parse(url, "a=b; SameSite=strict").sameSite()).isEqualTo("Strict");
    assertThat(parse(url, "a=b; SameSite=LAX").sameSite()).isEqualTo("Lax");
    assertThat(parse(url, "a=b; samesite=None").sameSite()).isEqualTo("None");
  }

  @Test
  void unknownSameSiteValueIsIgnored() {
    assertThat(parse(url, "a=b; SameSite=Sometimes").sameSite()).isNull();
    assertThat(parse(url, "a=b; SameSite").sameSite()).isNull();
    assertThat(parse(url, "a=b; SameSite=Lax; SameSite=bogus").sameSite()).isNull();
  }

  // parseAll.

  @Test
  void parseAllReadsEverySetCookieHeaderAndSkipsInvalidOnes() {
    Headers headers =
        Headers.of(
            "Set-Cookie", "a=1",
            "Content-Type", "text/plain",
            "set-cookie", "broken",
            "SET-COOKIE", "b=2; Domain=example.org",
            "Set-Cookie", "c=3; Max-Age=60");
    List<Cookie> cookies = Cookie.parseAll(NOW, url, headers);
    assertThat(cookies).extracting(Cookie::name).containsExactly("a", "c");
    assertThat(cookies.get(1).expiresAt()).isEqualTo(NOW + 60_000L);
    assertThatThrownBy(() -> cookies.add(cookies.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void parseAllReturnsEmptyListWhenThereAreNoCookies() {
    assertThat(Cookie.parseAll(url, Headers.of("Content-Type", "text/plain"))).isEmpty();
    assertThat(Cookie.parseAll(url, Headers.of("Set-Cookie", "broken"))).isEmpty();
  }

  @Test
  void publicParseUsesTheSystemClock() {
    long before = System.currentTimeMillis();
    Cookie cookie = Cookie.parse(url, "a=b; Max-Age=60");
    long after = System.currentTimeMillis();
    assertThat(cookie.expiresAt()).isBetween(before + 60_000L, after + 60_000L);
    assertThat(Cookie.parseAll(url, Headers.of("Set-Cookie", "a=b"))).containsExactly(
        parse(url, "a=b"));
  }

  // toString.

  @Test
  void toStringOfHostOnlySessionCookieOmitsDomainAndExpiry() {
    assertThat(parse(url, "a=b").toString()).isEqualTo("a=b; Path=/");
  }

  @Test
  void toStringWritesEveryAttribute() {
    Cookie cookie =
        parse(
            www,
            "SID=31d4; Max-Age=3600; Domain=example.com; Path=/docs; Secure; HttpOnly;"
                + " SameSite=lax");
    assertThat(cookie.toString())
        .isEqualTo(
            "SID=31d4; Expires=Wed, 09 Jun 2021 11:18:14 GMT; Domain=example.com; Path=/docs;"
                + " Secure; HttpOnly; SameSite=Lax");
  }

  @Test
  void toStringWritesMaxAgeZeroForExpiredCookie() {
    assertThat(parse(url, "a=b; Max-Age=0").toString()).isEqualTo("a=b; Max-Age=0; Path=/");
  }

  @Test
  void toStringParsesBackToAnEqualCookie() {
    String[] setCookies = {
      "a=b",
      "a=",
      "a=\"quoted value\"",
      "a=b; Max-Age=0",
      "a=b; Max-Age=86400",
      "a=b; Max-Age=999999999999",
      "a=b; Expires=Sun, 06 Nov 1994 08:49:37 GMT",
      "a=b; Domain=example.com; Path=/x/y; Secure; HttpOnly; SameSite=None",
      "a=b; Path=/x/",
    };
    for (String setCookie : setCookies) {
      Cookie cookie = parse(www, setCookie);
      assertThat(parse(www, cookie.toString())).as(setCookie).isEqualTo(cookie);
    }
  }

  @Test
  void toStringTruncatesExpiryToWholeSeconds() {
    Cookie cookie = Cookie.parse(NOW + 750L, url, "a=b; Max-Age=60");
    assertThat(cookie.expiresAt()).isEqualTo(NOW + 60_750L);
    assertThat(cookie.toString()).isEqualTo("a=b; Expires=Wed, 09 Jun 2021 10:19:14 GMT; Path=/");
    assertThat(parse(url, cookie.toString()).expiresAt()).isEqualTo(NOW + 60_000L);
  }

  // equals and hashCode.

  @Test
  void cookiesParsedFromTheSameHeaderAreEqual() {
    Cookie a = parse(url, "a=b; Max-Age=60; Secure; SameSite=Lax");
    Cookie b = parse(url, "a=b; Max-Age=60; Secure; SameSite=Lax");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }

  @Test
  void cookiesDifferingInAnyFieldAreNotEqual() {
    Cookie base = parse(url, "a=b; Max-Age=60");
    Cookie[] others = {
      base.newBuilder().name("x").build(),
      base.newBuilder().value("x").build(),
      base.newBuilder().expiresAt(NOW + 1).build(),
      base.newBuilder().hostOnlyDomain("www.example.com").build(),
      base.newBuilder().path("/x").build(),
      base.newBuilder().secure(true).build(),
      base.newBuilder().httpOnly(true).build(),
      base.newBuilder().domain("example.com").build(),
      base.newBuilder().sameSite("Strict").build(),
    };
    for (Cookie other : others) {
      assertThat(other).isNotEqualTo(base);
    }
    assertThat(base).isNotEqualTo(null).isNotEqualTo("a=b");
  }

  @Test
  void maxAgeAndEquivalentExpiresGiveEqualCookies() {
    Cookie maxAge = parse(url, "a=b; Max-Age=60");
    String expires = HttpDates.format(Instant.ofEpochMilli(NOW + 60_000L));
    Cookie viaExpires = parse(url, "a=b; Expires=" + expires);
    assertThat(viaExpires).isEqualTo(maxAge).hasSameHashCodeAs(maxAge);
  }

  @Test
  void sessionAndPersistentCookiesWithTheSameExpiryAreNotEqual() {
    Cookie session =
        new Cookie.Builder().name("a").value("b").hostOnlyDomain("example.com").build();
    Cookie persistent = session.newBuilder().expiresAt(session.expiresAt()).build();
    assertThat(persistent.expiresAt()).isEqualTo(session.expiresAt());
    assertThat(persistent).isNotEqualTo(session);
  }

  // Builder.

  @Test
  void builderDefaultsToSessionCookieOnRootPath() {
    Cookie cookie = new Cookie.Builder().name("a").value("b").domain("example.com").build();
    assertThat(cookie.path()).isEqualTo("/");
    assertThat(cookie.persistent()).isFalse();
    assertThat(cookie.expiresAt()).isEqualTo(MAX_DATE);
    assertThat(cookie.hostOnly()).isFalse();
    assertThat(cookie.secure()).isFalse();
    assertThat(cookie.httpOnly()).isFalse();
    assertThat(cookie.sameSite()).isNull();
    assertThat(cookie.toString()).isEqualTo("a=b; Domain=example.com; Path=/");
  }

  @Test
  void builderBuildsTheSameCookieAsParsing() {
    Cookie built =
        new Cookie.Builder()
            .name("SID")
            .value("31d4")
            .expiresAt(NOW + 3_600_000L)
            .domain("example.com")
            .path("/docs")
            .secure(true)
            .httpOnly(true)
            .sameSite("Lax")
            .build();
    Cookie parsed =
        parse(
            www,
            "SID=31d4; Max-Age=3600; Domain=example.com; Path=/docs; Secure; HttpOnly;"
                + " SameSite=Lax");
    assertThat(built).isEqualTo(parsed);
  }

  @Test
  void builderHostOnlyDomainMatchesOnlyThatHost() {
    Cookie cookie = new Cookie.Builder().name("a").value("b").hostOnlyDomain("Example.COM").build();
    assertThat(cookie.hostOnly()).isTrue();
    assertThat(cookie.domain()).isEqualTo("example.com");
    assertThat(cookie.matches(url)).isTrue();
    assertThat(cookie.matches(www)).isFalse();
  }

  @Test
  void builderDomainDropsLeadingDotAndLowercases() {
    Cookie cookie = new Cookie.Builder().name("a").value("b").domain(".Example.com").build();
    assertThat(cookie.domain()).isEqualTo("example.com");
  }

  @Test
  void builderClampsExpiry() {
    Cookie.Builder builder = new Cookie.Builder().name("a").value("b").domain("example.com");
    assertThat(builder.expiresAt(0L).build().expiresAt()).isEqualTo(Long.MIN_VALUE);
    assertThat(builder.expiresAt(-5L).build().expiresAt()).isEqualTo(Long.MIN_VALUE);
    assertThat(builder.expiresAt(Long.MAX_VALUE).build().expiresAt()).isEqualTo(MAX_DATE);
    assertThat(builder.expiresAt(1L).build().expiresAt()).isEqualTo(1L);
  }

  @Test
  void newBuilderCopiesEveryField() {
    Cookie cookie =
        parse(www, "a=b; Max-Age=60; Domain=example.com; Path=/x; Secure; HttpOnly; SameSite=None");
    assertThat(cookie.newBuilder().build()).isEqualTo(cookie);
    assertThat(cookie.newBuilder().sameSite(null).build().sameSite()).isNull();
    assertThat(cookie.newBuilder().secure(false).build().secure()).isFalse();
  }

  @Test
  void buildRequiresNameValueAndDomain() {
    assertThatThrownBy(() -> new Cookie.Builder().value("b").domain("example.com").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cookie name is required");
    assertThatThrownBy(() -> new Cookie.Builder().name("a").domain("example.com").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cookie value is required for a");
    assertThatThrownBy(() -> new Cookie.Builder().name("a").value("b").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cookie domain is required for a");
  }

  @Test
  void builderRejectsInvalidNames() {
    Cookie.Builder builder = new Cookie.Builder();
    assertThatThrownBy(() -> builder.name(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cookie name is empty");
    assertThatThrownBy(() -> builder.name(" a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leading or trailing whitespace");
    assertThatThrownBy(() -> builder.name("a=b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contains '='");
    assertThatThrownBy(() -> builder.name("a;b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cookie name contains ';'");
    assertThatThrownBy(() -> builder.name("a\nb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character");
    assertThatThrownBy(() -> builder.name(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void builderAcceptsNonAsciiNamesAndValuesButNotPaths() {
    Cookie cookie = new Cookie.Builder()
        .name("caf\u00e9").value("\u00e9t\u00e9").hostOnlyDomain("example.com").build();
    assertThat(cookie.toString()).isEqualTo("caf\u00e9=\u00e9t\u00e9; Path=/");
    assertThatThrownBy(() -> new Cookie.Builder().path("/caf\u00e9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-ASCII");
  }

  @Test
  void builderRejectsInvalidValues() {
    Cookie.Builder builder = new Cookie.Builder();
    assertThatThrownBy(() -> builder.value("b;c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cookie value contains ';'");
    assertThatThrownBy(() -> builder.value("b "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cookie value has leading or trailing whitespace");
    assertThatThrownBy(() -> builder.value("\u0000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character");
  }

  @Test
  void builderRejectsInvalidPaths() {
    Cookie.Builder builder = new Cookie.Builder();
    assertThatThrownBy(() -> builder.path("docs"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cookie path must start with '/': docs");
    assertThatThrownBy(() -> builder.path("/a;b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cookie path contains ';'");
  }

  @Test
  void builderRejectsInvalidDomains() {
    Cookie.Builder builder = new Cookie.Builder();
    for (String domain : new String[] {"", ".", "..example.com", "example.com.", "a b.com",
        "a/b", "caf\u00e9.com", "a;b"}) {
      assertThatThrownBy(() -> builder.domain(domain))
          .as(domain)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("invalid cookie domain: \"" + domain + "\"");
      assertThatThrownBy(() -> builder.hostOnlyDomain(domain))
          .as(domain)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void builderRejectsInvalidSameSite() {
    Cookie.Builder builder = new Cookie.Builder();
    assertThatThrownBy(() -> builder.sameSite(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cookie sameSite is empty");
    assertThatThrownBy(() -> builder.sameSite("Lax; Secure"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cookie sameSite contains ';'");
  }
}
