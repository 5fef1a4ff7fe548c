package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BasicAuthenticatorTest {
  private static final Request REQUEST = new Request.Builder().url("https://example.com/private").build();

  private static Response challenge(Request request, int code, String field, String value) {
    return new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(code)
        .header(field, value).build();
  }

  @Test
  void answersABasicChallengeWithAuthorization() {
    Request answer = Authenticator.basic("Aladdin", "open sesame")
        .authenticate(null, challenge(REQUEST, 401, "WWW-Authenticate", "Basic realm=\"x\""));
    assertThat(answer.header("Authorization")).isEqualTo("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    assertThat(answer.url()).isEqualTo(REQUEST.url());
  }

  @Test
  void answersAProxyChallengeWithProxyAuthorization() {
    Request answer = new BasicAuthenticator("u", "p")
        .authenticate(null, challenge(REQUEST, 407, "Proxy-Authenticate", "Basic realm=\"proxy\""));
    assertThat(answer.header("Proxy-Authorization")).isEqualTo(Credentials.basic("u", "p"));
    assertThat(answer.header("Authorization")).isNull();
  }

  @Test
  void givesUpWhenTheRefusedRequestCarriedTheSameCredentials() {
    BasicAuthenticator authenticator = new BasicAuthenticator("u", "p");
    Request refused = REQUEST.newBuilder().header("Authorization", Credentials.basic("u", "p")).build();
    assertThat(authenticator.authenticate(null, challenge(refused, 401, "WWW-Authenticate", "Basic realm=\"x\"")))
        .isNull();
    // Other credentials were refused: these are worth one try.
    Request other = REQUEST.newBuilder().header("Authorization", Credentials.basic("v", "q")).build();
    assertThat(authenticator.authenticate(null, challenge(other, 401, "WWW-Authenticate", "Basic realm=\"x\"")))
        .isNotNull();
  }

  @Test
  void declinesChallengesOfOtherSchemesAndResponsesWithoutChallenges() {
    BasicAuthenticator authenticator = new BasicAuthenticator("u", "p");
    assertThat(authenticator.authenticate(null, challenge(REQUEST, 401, "WWW-Authenticate", "Bearer realm=\"x\"")))
        .isNull();
    assertThat(authenticator.authenticate(null, challenge(REQUEST, 401, "X-Other", "1"))).isNull();
    assertThat(authenticator.authenticate(null,
        challenge(REQUEST, 401, "WWW-Authenticate", "Bearer, basic realm=\"x\""))).isNotNull();
  }

  @Test
  void utf8WhenTheChallengeAsksForItElseTheGivenCharset() {
    BasicAuthenticator latin1 = new BasicAuthenticator("test", "123\u00a3", StandardCharsets.ISO_8859_1);
    assertThat(latin1.authenticate(null, challenge(REQUEST, 401, "WWW-Authenticate", "Basic realm=\"x\""))
        .header("Authorization")).isEqualTo("Basic dGVzdDoxMjOj");
    assertThat(latin1.authenticate(null,
        challenge(REQUEST, 401, "WWW-Authenticate", "Basic realm=\"x\", charset=\"UTF-8\""))
        .header("Authorization")).isEqualTo("Basic dGVzdDoxMjPCow==");
  }

  @Test
  void toStringDoesNotShowThePassword() {
    assertThat(new BasicAuthenticator("user", "hunter2").toString()).contains("user").doesNotContain("hunter2");
  }
}
