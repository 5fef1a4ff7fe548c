package dev.courier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** Checks that every way of setting a header refuses CR, LF and NUL in names and values. */
class HeaderInjectionTest {
  private static final List<String> FORBIDDEN = List.of("\r", "\n", "\u0000", "\r\n");

  /** Each public path that takes a header name and value, by the name a failure reports. */
  private static final Map<String, BiConsumer<String, String>> PATHS = Map.of(
      "Headers.of(String...)", (name, value) -> Headers.of(name, value),
      "Headers.of(Map)", (name, value) -> Headers.of(Map.of(name, value)),
      "Headers.Builder.add", (name, value) -> new Headers.Builder().add(name, value),
      "Headers.Builder.add(line)", (name, value) -> new Headers.Builder().add(name + ": " + value),
      "Headers.Builder.set", (name, value) -> new Headers.Builder().set(name, value),
      "Headers.Builder.addLenient", (name, value) -> new Headers.Builder().addLenient(name, value),
      "Request.Builder.header", (name, value) -> new Request.Builder().header(name, value),
      "Request.Builder.addHeader", (name, value) -> new Request.Builder().addHeader(name, value),
      "Response.Builder.header", (name, value) -> new Response.Builder().header(name, value),
      "Response.Builder.addHeader", (name, value) -> new Response.Builder().addHeader(name, value));

  @Test
  void everyPathRefusesCrLfAndNulInValuesAndNamesTheHeader() {
    PATHS.forEach((path, addHeader) -> {
      for (String bad : FORBIDDEN) {
        assertThatThrownBy(() -> addHeader.accept("X-Note", "a" + bad + "Injected: yes"))
            .as(path + " with %s in the value", escape(bad))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("X-Note value");
      }
    });
  }

  @Test
  void everyPathRefusesCrLfAndNulInNames() {
    PATHS.forEach((path, addHeader) -> {
      for (String bad : FORBIDDEN) {
        assertThatThrownBy(() -> addHeader.accept("X" + bad + "Injected", "v"))
            .as(path + " with %s in the name", escape(bad))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("header");
      }
    });
  }

  @Test
  void everyPathHidesTheValueOfASensitiveHeader() {
    PATHS.forEach((path, addHeader) ->
        assertThatThrownBy(() -> addHeader.accept("Authorization", "Bearer s3cret\r\nX: y"))
            .as(path)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("Authorization value")
            .hasMessageNotContaining("s3cret"));
  }

  @Test
  void everyPathAcceptsAnOrdinaryHeader() {
    PATHS.forEach((path, addHeader) -> addHeader.accept("X-Note", "plain value"));
    Headers headers = new Headers.Builder().addLenient("X-Note", "plain value").build();
    assertThat(headers.get("x-note")).isEqualTo("plain value");
  }

  @Test
  void lenientAddStillKeepsOtherPeerTextAsIs() {
    // RFC 9110 §5.5: obs-text and controls other than CR, LF and NUL may be retained.
    Headers headers = new Headers.Builder()
        .addLenient("X", " caf\u00e9\u0001\t")
        .addLenient("Odd{Name}", "v")
        .build();
    assertThat(headers.value(0)).isEqualTo(" caf\u00e9\u0001\t");
    assertThat(headers.name(1)).isEqualTo("Odd{Name}");
  }

  @Test
  void headersBuiltFromValidatedHeadersStayClean() {
    Headers clean = Headers.of("A", "1");
    Request request = new Request.Builder().url("http://example.com/").headers(clean).build();
    Headers copy = new Headers.Builder().addAll(request.headers()).build();
    assertThat(copy).isEqualTo(clean);
  }

  private static String escape(String s) {
    return s.replace("\r", "CR").replace("\n", "LF").replace("\u0000", "NUL");
  }
}
