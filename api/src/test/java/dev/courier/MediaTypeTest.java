package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MediaTypeTest {
  @Test
  void parsesTypeSubtypeAndParameters() {
    MediaType type = MediaType.get("Text/HTML; charset=\"ISO-8859-1\"; q=0.5");
    assertThat(type.type()).isEqualTo("text");
    assertThat(type.subtype()).isEqualTo("html");
    assertThat(type.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(type.parameter("Q")).isEqualTo("0.5");
    assertThat(type.toString()).isEqualTo("Text/HTML; charset=\"ISO-8859-1\"; q=0.5");
  }

  @Test
  void unknownCharsetFallsBackToTheDefault() {
    MediaType type = MediaType.get("text/plain; charset=no-such-charset");
    assertThat(type.charset()).isNull();
    assertThat(type.charset(StandardCharsets.UTF_8)).isEqualTo(StandardCharsets.UTF_8);
  }

  @Test
  void malformedTypesAreRejectedWithTheInputInTheMessage() {
    assertThatThrownBy(() -> MediaType.get("text"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("No subtype found for: \"text\"");
    assertThatThrownBy(() -> MediaType.get("text/plain; charset"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Parameter is not formatted correctly");
    assertThat(MediaType.parse("a b/c")).isNull();
  }

  @Test
  void trailingSemicolonIsTolerated() {
    assertThat(MediaType.get("application/json;").subtype()).isEqualTo("json");
  }
}
