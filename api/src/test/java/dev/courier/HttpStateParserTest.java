package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.internal.HttpStateSuite;
import dev.courier.internal.InMemoryCookieJar;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the cookie parser cases of the IETF http-state test suite. The cases are not part of the
 * repository: they are read at test time from {@code ../shared/conformance/http-state/parser/}
 * beside the repository root (or under {@code -Dcourier.conformance.dir}), found by {@link
 * HttpStateSuite}, and the tests are skipped when they are absent. See {@code
 * src/test/resources/http-state/README.md} for their provenance and how they are replayed.
 */
class HttpStateParserTest {
  /** The date of the suite's last change, so that its expiry dates in 2019 and 2027 are future. */
  private static final long NOW = Instant.parse("2017-08-09T00:00:00Z").toEpochMilli();

  /** What a case yields when Courier refuses the response that carries its headers. */
  private static final String REFUSED = "(response refused)";

  private static final String KNOWN_DIFFERENCES = "http-state/parser-known-differences.txt";

  // The suite's server reads each header line of a case with (\S+):\s*(.*) and the expected
  // Cookie header with Cookie:\s*(.*), both in Python 2, where '.' stops only at '\n'.
  private static final Pattern HEADER_LINE = Pattern.compile("(?d)(\\S+):\\s*(.*)");
  private static final Pattern EXPECTED_COOKIE = Pattern.compile("(?d)Cookie:\\s*(.*)");

  @TestFactory
  Stream<DynamicTest> eachCaseSendsTheExpectedCookieHeaderOrIsAKnownDifference() throws IOException {
    if (!HttpStateSuite.isPresent("parser")) {
      // One test that reports the skip and says where to place the data.
      return Stream.of(DynamicTest.dynamicTest("http-state parser cases",
          () -> HttpStateSuite.directory("parser")));
    }
    Path directory = HttpStateSuite.directory("parser");
    Map<String, String> known = knownDifferences();
    return caseNames(directory).stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      String expected = expectedCookieHeader(directory, name);
      String actual = run(directory, name);
      if (known.containsKey(name)) {
        assertThat(actual)
            .as("%s is listed as a known difference (%s) but now passes: remove it from %s",
                name, known.get(name), KNOWN_DIFFERENCES)
            .isNotEqualTo(expected);
      } else {
        assertThat(actual).as("Cookie header sent for case %s", name).isEqualTo(expected);
      }
    }));
  }

  @Test
  void knownDifferencesNameRealCasesAndStayFew() throws IOException {
    List<String> cases = caseNames(HttpStateSuite.directory("parser"));
    Map<String, String> known = knownDifferences();
    assertThat(cases).hasSize(222);
    assertThat(cases).containsAll(known.keySet());
    assertThat(known.values()).allSatisfy(reason -> assertThat(reason).isNotBlank());
    assertThat(known.size()).isLessThanOrEqualTo(5);
  }

  /**
   * Replays case {@code name}: its header lines come back in a redirect from the cookie-parser
   * URL; the jar receives the Set-Cookie headers and then supplies the Cookie header for the
   * redirect's target. Returns that header's value, null if the jar sends no cookie, or {@link
   * #REFUSED} if the response could not be received at all.
   */
  private static String run(Path directory, String name) throws IOException {
    HttpUrl url = HttpUrl.parse("http://home.example.org:8888/cookie-parser?" + name);
    Headers.Builder response = new Headers.Builder();
    String location = "/cookie-parser-result?" + name;
    for (String line : read(directory, name + "-test").split("\n", -1)) {
      Matcher matcher = HEADER_LINE.matcher(line);
      if (!matcher.find()) continue;
      // The server writes "name: value"; a client splits the line at its first colon and trims
      // the value, as Courier's HTTP/1 reader does.
      String wire = matcher.group(1) + ": " + matcher.group(2);
      int colon = wire.indexOf(':');
      String headerName = wire.substring(0, colon);
      String headerValue = wire.substring(colon + 1).strip();
      try {
        response.addLenient(headerName, headerValue);
      } catch (IllegalArgumentException e) {
        // A header value holding NUL or CR fails the whole response (RFC 9110 §5.5): no cookies.
        return REFUSED;
      }
      if (headerName.equalsIgnoreCase("Location")) location = headerValue;
    }

    InMemoryCookieJar jar = new InMemoryCookieJar(() -> NOW);
    jar.saveFromResponse(url, Cookie.parseAll(NOW, url, response.build()));
    List<Cookie> cookies = jar.loadForRequest(url.resolve(location));
    if (cookies.isEmpty()) return null;
    StringBuilder header = new StringBuilder();
    for (Cookie cookie : cookies) {
      if (header.length() > 0) header.append("; ");
      header.append(cookie.name()).append('=').append(cookie.value());
    }
    return header.toString();
  }

  /** Returns the expected Cookie header as the suite's server reads it: exactly one match. */
  private static String expectedCookieHeader(Path directory, String name) throws IOException {
    Matcher matcher = EXPECTED_COOKIE.matcher(read(directory, name + "-expected"));
    List<String> values = new ArrayList<>();
    while (matcher.find()) values.add(matcher.group(1));
    return values.size() == 1 ? values.get(0) : null;
  }

  /** Returns the reason for each case listed in the known-differences file, by case name. */
  private static Map<String, String> knownDifferences() throws IOException {
    Map<String, String> result = new LinkedHashMap<>();
    for (String line : readResource(KNOWN_DIFFERENCES).split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] parts = line.strip().split("\\s+", 2);
      result.put(parts[0], parts.length > 1 ? parts[1] : "");
    }
    return result;
  }

  private static List<String> caseNames(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(path -> path.getFileName().toString())
          .filter(file -> file.endsWith("-test"))
          .map(file -> file.substring(0, file.length() - "-test".length()))
          .sorted()
          .toList();
    }
  }

  private static String read(Path directory, String file) throws IOException {
    // Decoded leniently, as the suite's server reads bytes: a malformed sequence is not an error.
    return new String(Files.readAllBytes(directory.resolve(file)), StandardCharsets.UTF_8);
  }

  private static String readResource(String resource) throws IOException {
    try (InputStream in = HttpStateParserTest.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new UncheckedIOException(new IOException("missing " + resource));
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
