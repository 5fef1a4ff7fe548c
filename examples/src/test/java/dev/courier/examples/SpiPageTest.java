package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks that docs/spi.md shows exactly the code of the worked examples in examples/custom-codec
 * and examples/custom-pool-policy, so the page cannot drift from code that compiles and is tested.
 */
class SpiPageTest {
  private static final List<Path> EXAMPLE_MODULES = List.of(Path.of("custom-codec"), Path.of("custom-pool-policy"));

  @Test
  void pageShowsExactlyTheExamplesCode() throws IOException {
    Map<String, String> snippets = snippetsInExamples();
    String page = Files.readString(Path.of("..", "docs", "spi.md"));

    assertThat(snippets).hasSizeGreaterThanOrEqualTo(8);
    assertThat(DocSnippets.markersOnPage(page, "snippet")).containsExactlyInAnyOrderElementsOf(snippets.keySet());
    for (Map.Entry<String, String> snippet : snippets.entrySet()) {
      assertThat(page).as(snippet.getKey())
          .contains(DocSnippets.shownOnPage("snippet", snippet.getKey(), snippet.getValue()));
    }
  }

  @Test
  void everyJavaBlockOnThePageIsTakenFromTheExamples() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("..", "docs", "spi.md"));
    List<Integer> unchecked = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("```java") && (i == 0 || !lines.get(i - 1).startsWith("<!-- snippet: "))) {
        unchecked.add(i + 1);
      }
    }
    assertThat(unchecked).as("lines of docs/spi.md opening a Java block without a snippet marker").isEmpty();
  }

  /** Returns every snippet of the example modules' main and test sources, by name. */
  private static Map<String, String> snippetsInExamples() throws IOException {
    Map<String, String> result = new LinkedHashMap<>();
    for (Path module : EXAMPLE_MODULES) {
      List<Path> sources;
      try (Stream<Path> files = Files.walk(module.resolve("src"))) {
        sources = files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
      }
      for (Path source : sources) {
        for (Map.Entry<String, String> snippet : DocSnippets.inSource(source, "snippet", "// end snippet").entrySet()) {
          assertThat(result.put(snippet.getKey(), snippet.getValue())).as("snippet " + snippet.getKey() + " in two places").isNull();
        }
      }
    }
    return result;
  }
}
