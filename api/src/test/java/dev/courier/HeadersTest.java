package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersTest {
  @Test
  void namesAreCaseInsensitiveAndTheLastValueWins() {
    Headers headers = Headers.of("Accept", "a", "accept", "b");
    assertThat(headers.get("ACCEPT")).isEqualTo("b");
    assertThat(headers.values("Accept")).containsExactly("a", "b");
    assertThat(headers.names()).hasSize(1);
  }

  @Test
  void getFindsTheLastFieldOfTheNameWhateverItsSpellingAmongNamesOfTheSameLength() {
    // "Content-Type" and "Content-Size" share a length; "content-type" is another instance.
    Headers headers = Headers.of("Content-Type", "a", "Content-Size", "b",
        new String("content-type"), "c", "Content-Size", "d");
    assertThat(headers.get("Content-Type")).isEqualTo("c");
    assertThat(headers.get("CONTENT-TYPE")).isEqualTo("c");
    assertThat(headers.get("Content-Size")).isEqualTo("d");
    assertThat(headers.get("Content-Tape")).isNull();
    assertThat(headers.get("Content-Typ")).isNull();
    assertThat(headers.get("Content-Types")).isNull();
    assertThat(Headers.EMPTY.get("Content-Type")).isNull();
  }

  @Test
  void orderIsKept() {
    Headers headers = Headers.of("B", "1", "A", "2", "B", "3");
    assertThat(headers.name(0)).isEqualTo("B");
    assertThat(headers.value(2)).isEqualTo("3");
    assertThat(headers.toMultimap()).isEqualTo(Map.of("b", List.of("1", "3"), "a", List.of("2")));
  }

  @Test
  void crAndLfInValuesAreRejected() {
    assertThatThrownBy(() -> Headers.of("X", "a\r\nInjected: yes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unexpected char 0xd at 1 in X value");
  }

  @Test
  void nonVisibleCharactersInNamesAreRejected() {
    assertThatThrownBy(() -> new Headers.Builder().add("Bad Name", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("header name");
    assertThatThrownBy(() -> new Headers.Builder().add("Caf\u00e9", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Headers.Builder().add("", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Header name is empty");
  }

  @Test
  void sensitiveValuesAreRedactedInToString() {
    Headers headers = Headers.of("Authorization", "secret", "Accept", "text/plain");
    assertThat(headers.toString()).doesNotContain("secret").contains("Accept: text/plain");
  }

  @Test
  void lenientAddKeepsObsoleteTextFromThePeer() {
    Headers headers = new Headers.Builder().addLenient("X", "caf\u00e9").build();
    assertThat(headers.get("x")).isEqualTo("caf\u00e9");
  }

  @Test
  void builderSetReplacesAndRemoveAllRemoves() {
    Headers headers = Headers.of("A", "1", "a", "2", "B", "3").newBuilder()
        .set("A", "9").removeAll("b").build();
    assertThat(headers).isEqualTo(Headers.of("A", "9"));
  }

  @Test
  void lineParsingSplitsAtTheFirstColon() {
    Headers headers = new Headers.Builder().add("Host: example.com:8080").build();
    assertThat(headers.get("host")).isEqualTo("example.com:8080");
    assertThatThrownBy(() -> new Headers.Builder().add("no colon"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
