package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.testing.fuzz.FuzzResult;
import dev.courier.testing.fuzz.Fuzzer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes URL parsing: {@link HttpUrl#parse} of the input as UTF-8, and the input resolved as a
 * link against a base URL. A URL that parses must serialize to printable ASCII, parse again to
 * itself, copy through its builder unchanged, and answer every accessor. Anything but an {@link
 * IllegalArgumentException} from {@code parse} is a bug. Seeds live in {@code
 * src/test/resources/fuzz/url}.
 */
class HttpUrlFuzzTest {
  private static final HttpUrl BASE = HttpUrl.parse("https://user:secret@example.com:8443/a/b/c?q=1&r#frag");

  @Test
  void urlsFailOnlyWithIllegalArgumentException() {
    FuzzResult result = Fuzzer.forTarget("url")
        .corpusResource("fuzz/url")
        .dictionary("http://", "https://", "//", "/", "\\", "..", ".", "%2e", "%2E%2e", "%", "%00",
            "%zz", "?", "#", "@", ":", "[", "]", "::", "::ffff:", "0x", "0", "255", "256",
            "4294967295", "65535", "65536", "xn--", "\u00df", "\u0130", "\uff0e", "\u3002",
            "\u200d", "\ud83d\ude00", "\t", "\n", " ", "=", "&", "+", "localhost", "127.0.0.1")
        .allow(IllegalArgumentException.class)
        .build()
        .run(HttpUrlFuzzTest::parse);

    assertThat(result.inputs()).isGreaterThan(result.corpusEntries());
  }

  private static void parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    HttpUrl resolved = BASE.resolve(text);
    if (resolved != null) {
      check(resolved);
    }
    check(HttpUrl.parse(text));
  }

  private static void check(HttpUrl url) {
    String string = url.toString();
    for (int i = 0; i < string.length(); i++) {
      char c = string.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new AssertionError("URL string holds 0x" + Integer.toHexString(c) + ": " + string);
      }
    }
    HttpUrl reparsed = HttpUrl.parse(string);
    if (!reparsed.equals(url) || !reparsed.toString().equals(string)) {
      throw new AssertionError("URL " + string + " parses again as " + reparsed);
    }
    if (!url.newBuilder().build().equals(url)) {
      throw new AssertionError("URL " + string + " changes when copied through its builder");
    }
    if (url.host().isEmpty() || url.port() < 0 || url.port() > 65535) {
      throw new AssertionError("URL " + string + " has host " + url.host() + " port " + url.port());
    }
    url.username();
    url.password();
    url.pathSegments();
    url.encodedPath();
    for (int i = 0; i < url.querySize(); i++) {
      url.queryParameterName(i);
      url.queryParameterValue(i);
    }
    url.queryParameterNames();
    url.query();
    url.fragment();
    url.redact();
    url.uri();
    url.resolve("../x?y#z");
  }
}
