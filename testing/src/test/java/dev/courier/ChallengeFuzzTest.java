package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.testing.fuzz.FuzzResult;
import dev.courier.testing.fuzz.Fuzzer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes challenge parsing: {@link Response#challenges()} of a 401 whose {@code WWW-Authenticate}
 * field is the input as UTF-8. Parsing never throws; every challenge has a token for a scheme,
 * lowercase token parameter names, and its string form parses back to an equal challenge. Inputs
 * with CR, LF or NUL, which no header can carry, are skipped. Seeds live in {@code
 * src/test/resources/fuzz/challenge}.
 */
class ChallengeFuzzTest {
  private static final Request REQUEST = new Request.Builder().url("https://example.com/").build();

  @Test
  void challengesParseWithoutThrowingAndRoundTrip() {
    FuzzResult result = Fuzzer.forTarget("challenge")
        .corpusResource("fuzz/challenge")
        .dictionary("Basic", "Bearer", "Digest", " ", ",", "=", "==", "\"", "\\", "realm=", "charset=",
            "\"UTF-8\"", "\t", "abc+/", "\u00e9", ", ,")
        .build()
        .run(ChallengeFuzzTest::parse);

    assertThat(result.inputs()).isGreaterThan(result.corpusEntries());
  }

  private static List<Challenge> challenges(String field) {
    return new Response.Builder().request(REQUEST).protocol(Protocol.HTTP_1_1).code(401)
        .headers(new Headers.Builder().addLenient("WWW-Authenticate", field).build())
        .build().challenges();
  }

  private static void parse(byte[] input) {
    String field = new String(input, StandardCharsets.UTF_8);
    if (field.indexOf('\r') != -1 || field.indexOf('\n') != -1 || field.indexOf('\0') != -1) {
      return;
    }
    for (Challenge challenge : challenges(field)) {
      checkToken(challenge.scheme(), field);
      for (Map.Entry<String, String> param : challenge.authParams().entrySet()) {
        checkToken(param.getKey(), field);
        if (!param.getKey().equals(param.getKey().toLowerCase(java.util.Locale.ROOT))) {
          throw new AssertionError("parameter name not lowercase in " + field);
        }
      }
      List<Challenge> reparsed = challenges(challenge.toString());
      if (!reparsed.equals(List.of(challenge))) {
        throw new AssertionError(challenge + " parsed back as " + reparsed + " (from " + field + ")");
      }
    }
  }

  private static void checkToken(String text, String field) {
    if (text.isEmpty()) {
      throw new AssertionError("empty token in " + field);
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) != -1) {
        throw new AssertionError("not a token: " + text + " in " + field);
      }
    }
  }
}
