package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChallengeTest {
  private static List<Challenge> challenges(int code, String... namesAndValues) {
    Request request = new Request.Builder().url("https://example.com/").build();
    return new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(code)
        .headers(Headers.of(namesAndValues)).build().challenges();
  }

  private static List<Challenge> www(String... values) {
    String[] namesAndValues = new String[values.length * 2];
    for (int i = 0; i < values.length; i++) {
      namesAndValues[2 * i] = "WWW-Authenticate";
      namesAndValues[2 * i + 1] = values[i];
    }
    return challenges(401, namesAndValues);
  }

  @Test
  void basicWithRealmAndCharset() {
    List<Challenge> result = www("Basic realm=\"WallyWorld\", charset=\"UTF-8\"");
    assertThat(result).hasSize(1);
    Challenge basic = result.get(0);
    assertThat(basic.scheme()).isEqualTo("Basic");
    assertThat(basic.realm()).isEqualTo("WallyWorld");
    assertThat(basic.authParam("CHARSET")).isEqualTo("UTF-8");
    assertThat(basic.authParams()).containsExactly(Map.entry("realm", "WallyWorld"), Map.entry("charset", "UTF-8"));
    assertThat(basic.token68()).isNull();
  }

  @Test
  void rfc9110ExampleWithTwoChallengesInOneField() {
    List<Challenge> result = www(
        "Newauth realm=\"apps\", type=1,\n title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"".replace("\n", ""));
    assertThat(result).containsExactly(
        new Challenge("Newauth", Map.of("realm", "apps", "type", "1", "title", "Login to \"apps\"")),
        new Challenge("Basic", Map.of("realm", "simple")));
  }

  @Test
  void token68AndSchemesWithoutParameters() {
    assertThat(www("Negotiate, NTLM", "Bearer", "Custom abc+/_-.~==, Other YWJj"))
        .containsExactly(
            new Challenge("Negotiate", Map.of()),
            new Challenge("NTLM", Map.of()),
            new Challenge("Bearer", Map.of()),
            new Challenge("Custom", "abc+/_-.~=="),
            new Challenge("Other", "YWJj"));
  }

  @Test
  void whitespaceAroundEqualsEmptyElementsAndCaseInsensitiveNames() {
    assertThat(www(" , Basic   REALM = \"r\" ,, , Charset=UTF-8 ,"))
        .containsExactly(new Challenge("Basic", Map.of("realm", "r", "charset", "UTF-8")));
  }

  @Test
  void bearerWithErrorParameters() {
    Challenge bearer = www("Bearer realm=\"example\", error=\"invalid_token\", "
        + "error_description=\"The access token expired\"").get(0);
    assertThat(bearer.authParam("error")).isEqualTo("invalid_token");
    assertThat(bearer.authParam("error_description")).isEqualTo("The access token expired");
  }

  @Test
  void malformedChallengesAreSkippedAndTheRestRead() {
    assertThat(www(
        "Basic realm=\"unterminated",
        "Digest realm=\"x\" nonce=\"y\", Basic realm=\"ok\"",
        "=junk, \"quoted\", Bearer realm=\"x\" trailing garbage, Token abc",
        "Broken a=b=c, Basic realm=\"second\"",
        ""))
        .containsExactly(
            new Challenge("Basic", Map.of("realm", "ok")),
            new Challenge("Token", "abc"),
            new Challenge("Basic", Map.of("realm", "second")));
  }

  @Test
  void bareWordAfterTheSchemeIsAToken68() {
    assertThat(www("Digest realm, Other realm=")).containsExactly(
        new Challenge("Digest", "realm"), new Challenge("Other", "realm="));
  }

  @Test
  void repeatedParameterKeepsTheFirst() {
    assertThat(www("Basic realm=\"a\", realm=\"b\"").get(0).realm()).isEqualTo("a");
  }

  @Test
  void commaInsideAQuotedStringDoesNotSplit() {
    assertThat(www("Digest realm=\"a, b\", qop=\"auth,auth-int\", nonce=\"n\"").get(0).authParams())
        .containsExactly(Map.entry("realm", "a, b"), Map.entry("qop", "auth,auth-int"), Map.entry("nonce", "n"));
  }

  @Test
  void proxyChallengesComeFromProxyAuthenticateOf407Only() {
    assertThat(challenges(407, "Proxy-Authenticate", "Basic realm=\"proxy\"",
        "WWW-Authenticate", "Basic realm=\"origin\""))
        .containsExactly(new Challenge("Basic", Map.of("realm", "proxy")));
    assertThat(challenges(401, "Proxy-Authenticate", "Basic realm=\"proxy\"")).isEmpty();
    assertThat(challenges(200, "WWW-Authenticate", "Basic realm=\"origin\"")).isEmpty();
  }

  @Test
  void toStringQuotesParameterValues() {
    assertThat(new Challenge("Basic", Map.of("realm", "say \"hi\"")).toString())
        .isEqualTo("Basic realm=\"say \\\"hi\\\"\"");
    assertThat(new Challenge("Bearer", "abc=").toString()).isEqualTo("Bearer abc=");
  }

  @Test
  void schemesCompareIgnoringCaseAndParameterNamesMustDiffer() {
    assertThat(new Challenge("BASIC", Map.of("realm", "r"))).isEqualTo(new Challenge("basic", Map.of("Realm", "r")));
    assertThatThrownBy(() -> new Challenge("Basic", Map.of("realm", "a", "REALM", "b")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Challenge("", Map.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
