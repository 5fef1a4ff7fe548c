package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.internal.ConformanceFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the WHATWG URL Standard's parser tests (web-platform-tests' {@code urltestdata.json}) for
 * http and https: every case whose result is an http or https URL, and every expected failure
 * whose input is, or is relative to, an http or https URL.
 *
 * <p>The data is not part of the repository; it is read at test time through {@link
 * ConformanceFiles}: from {@code ../shared/conformance/urltestdata.json} beside the repository
 * root if present, else from {@code /usr/share/cargo/registry/url-2.3.1/tests/urltestdata.json},
 * which Debian's {@code librust-url-dev} package (2.3.1) installs. That is web-platform-tests' file
 * as of wpt commit 2a64dae4 (its second line says so), vendored by the url crate 2.3.1;
 * web-platform-tests is under the 3-Clause BSD License, and Debian distributes the crate under MIT
 * or Apache-2.0. See {@code PROVENANCE.md} in the test resources. Without either file the test is
 * skipped, or fails when {@code COURIER_REQUIRE_INTEROP} is set.
 *
 * <p>The cases Courier does not pass on purpose are listed with a reason in {@code
 * urltestdata-known-differences.txt}; the test fails if any other case fails, and also if a listed
 * case passes, so that the list stays true.
 */
class UrlConformanceTest {
  private static final String PACKAGED_COPY = "/usr/share/cargo/registry/url-2.3.1/tests/urltestdata.json";

  @Test
  void passesWhatwgUrlTestDataForHttpAndHttps() throws IOException {
    Map<String, String> knownDifferences = knownDifferences();
    Map<String, String> failures = new LinkedHashMap<>();
    int cases = 0;
    Path data = ConformanceFiles.locate("urltestdata.json", Path.of(PACKAGED_COPY), "librust-url-dev");
    for (Map<String, Object> testCase : UrlTestData.read(data)) {
      String input = (String) testCase.get("input");
      String baseString = (String) testCase.get("base");
      // Older copies of the data write "about:blank" where newer ones write null: no http base.
      if ("about:blank".equals(baseString)) baseString = null;
      boolean expectFailure = Boolean.TRUE.equals(testCase.get("failure"));
      if (!concernsHttp(testCase, input, baseString, expectFailure)) continue;
      cases++;

      HttpUrl base = baseString != null ? HttpUrl.parseOrNull(baseString) : null;
      HttpUrl url = base != null ? base.resolve(input) : HttpUrl.parseOrNull(input);
      String problem = expectFailure
          ? (url != null ? "parsed as " + url + ", expected failure" : null)
          : mismatch(testCase, url);
      if (problem != null) failures.put(escape(input) + "\t" + escape(baseString), problem);
    }

    System.out.println(data + ": " + (cases - failures.size()) + " of " + cases
        + " http/https cases pass, " + knownDifferences.size() + " known differences");
    assertThat(cases).isGreaterThan(400);
    assertThat(failures.keySet())
        .as("cases that fail, other than the known differences: %s", failures)
        .containsExactlyInAnyOrderElementsOf(knownDifferences.keySet());
  }

  /** Returns what differs between {@code url} and the expected result, or null if nothing. */
  private static String mismatch(Map<String, Object> expected, HttpUrl url) {
    if (url == null) return "failed, expected " + expected.get("href");
    StringBuilder out = new StringBuilder();
    check(out, "href", expected, url.toString());
    check(out, "username", expected, url.encodedUsername());
    check(out, "password", expected, url.encodedPassword());
    String host = url.host();
    check(out, "hostname", expected, host.indexOf(':') != -1 ? "[" + host + "]" : host);
    check(out, "port", expected,
        url.port() == HttpUrl.defaultPort(url.scheme()) ? "" : Integer.toString(url.port()));
    check(out, "pathname", expected, url.encodedPath());
    String query = url.encodedQuery();
    check(out, "search", expected, query == null || query.isEmpty() ? "" : "?" + query);
    String fragment = url.encodedFragment();
    check(out, "hash", expected, fragment == null || fragment.isEmpty() ? "" : "#" + fragment);
    return out.length() == 0 ? null : out.toString();
  }

  private static void check(StringBuilder out, String name, Map<String, Object> expected, String actual) {
    Object value = expected.get(name);
    if (value != null && !value.equals(actual)) {
      out.append(name).append(" was ").append(actual).append(", expected ").append(value).append("; ");
    }
  }

  private static boolean concernsHttp(
      Map<String, Object> testCase, String input, String base, boolean expectFailure) {
    if (!expectFailure) {
      Object protocol = testCase.get("protocol");
      return "http:".equals(protocol) || "https:".equals(protocol);
    }
    String scheme = scheme(input);
    if (scheme != null) return scheme.equals("http") || scheme.equals("https");
    return base != null && (base.startsWith("http:") || base.startsWith("https:"));
  }

  /** Returns the lowercase scheme that {@code input} starts with, or null if it has none. */
  private static String scheme(String input) {
    String s = input.replaceAll("[\\t\\n\\r]", "").replaceAll("^[\\x00-\\x20]+", "");
    int colon = s.indexOf(':');
    if (colon <= 0 || !s.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) return null;
    return s.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
  }

  /** Returns {@code s} with tabs, controls and non-ASCII written as {@code \\uXXXX}. */
  static String escape(String s) {
    if (s == null) return "null";
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '\\') {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Reads {@code input TAB base TAB reason} lines, keyed by {@code input TAB base}. */
  private static Map<String, String> knownDifferences() throws IOException {
    Map<String, String> result = new LinkedHashMap<>();
    try (InputStream in = UrlConformanceTest.class.getResourceAsStream(
            "urltestdata-known-differences.txt");
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      List<String> lines = reader.lines().collect(java.util.stream.Collectors.toList());
      for (String line : lines) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] fields = line.split("\t", 3);
        result.put(fields[0] + "\t" + fields[1], fields.length > 2 ? fields[2] : "");
      }
    }
    return result;
  }
}
