package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.testing.fuzz.FuzzResult;
import dev.courier.testing.fuzz.Fuzzer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes Set-Cookie parsing: {@link Cookie#parse} of the input as UTF-8, received from each of a
 * few URLs, at a fixed time. A cookie that parses must hold no CR, LF or NUL (it is sent back in
 * a Cookie header), must answer {@code matches} and its string form must parse again. Anything
 * but an {@link IllegalArgumentException} (or a null result) is a bug. Seeds live in {@code
 * src/test/resources/fuzz/cookie}.
 */
class CookieFuzzTest {
  private static final long NOW_MILLIS = 1_780_000_000_000L;
  private static final List<HttpUrl> URLS = List.of(
      HttpUrl.parse("https://www.example.com/a/b"),
      HttpUrl.parse("http://127.0.0.1:8080/"),
      HttpUrl.parse("https://sub.example.co.uk/x/y/z?q"),
      HttpUrl.parse("http://[::1]/"));

  @Test
  void cookiesFailOnlyWithIllegalArgumentException() {
    FuzzResult result = Fuzzer.forTarget("cookie")
        .corpusResource("fuzz/cookie")
        .dictionary("; ", "=", "Expires=", "Max-Age=", "Domain=", "Path=", "Secure", "HttpOnly",
            "SameSite=", "Lax", "Strict", "None", "example.com", ".example.com", "co.uk", "127.0.0.1",
            "[::1]", "Wed, 21 Oct 2026 07:28:00 GMT", "Thu, 01 Jan 1970 00:00:00 GMT", "GMT", "UTC",
            "-1", "0", "9223372036854775807", "99999999999999999999", "Jan", "Dec", "1601", "99",
            "\"", "\t", "\r\n", "\0", "\u00e9", "\u0130")
        .allow(IllegalArgumentException.class)
        .build()
        .run(CookieFuzzTest::parse);

    assertThat(result.inputs()).isGreaterThan(result.corpusEntries());
  }

  private static void parse(byte[] input) {
    String setCookie = new String(input, StandardCharsets.UTF_8);
    for (HttpUrl url : URLS) {
      Cookie cookie = Cookie.parse(NOW_MILLIS, url, setCookie);
      if (cookie == null) {
        continue;
      }
      checkText(cookie.name(), cookie);
      checkText(cookie.value(), cookie);
      checkText(cookie.domain(), cookie);
      checkText(cookie.path(), cookie);
      cookie.expiresAt();
      cookie.matches(url);
      Cookie.parse(NOW_MILLIS, url, cookie.toString());
      cookie.newBuilder().build();
    }
  }

  private static void checkText(String text, Cookie cookie) {
    if (text.indexOf('\r') != -1 || text.indexOf('\n') != -1 || text.indexOf('\0') != -1) {
      throw new AssertionError("cookie holds CR, LF or NUL: " + cookie);
    }
  }
}
