package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CredentialsTest {
  @Test
  void basicEncodesUserColonPasswordInBase64() {
    // RFC 7617 §2's example.
    assertThat(Credentials.basic("Aladdin", "open sesame")).isEqualTo("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  }

  @Test
  void charsetChoosesTheBytes() {
    // RFC 7617 §2.1's example: "test" / "123£" in UTF-8.
    assertThat(Credentials.basic("test", "123\u00a3")).isEqualTo("Basic dGVzdDoxMjPCow==");
    assertThat(Credentials.basic("test", "123\u00a3", StandardCharsets.ISO_8859_1)).isEqualTo("Basic dGVzdDoxMjOj");
  }

  @Test
  void passwordMayHoldAColonButTheUserMayNot() {
    assertThat(Credentials.basic("u", "p:w")).isEqualTo("Basic dTpwOnc=");
    assertThatThrownBy(() -> Credentials.basic("u:v", "secret"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("colon");
  }

  @Test
  void controlCharactersAreRefusedWithoutShowingThePassword() {
    assertThatThrownBy(() -> Credentials.basic("u", "sec\nret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("password").hasMessageNotContaining("sec");
    assertThatThrownBy(() -> Credentials.basic("u\u0000", "p")).isInstanceOf(IllegalArgumentException.class);
  }
}
