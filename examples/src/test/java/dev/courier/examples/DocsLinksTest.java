package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Checks that the README and the docs link only to files that exist in the repository. */
class DocsLinksTest {
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  @Test
  void everyRelativeLinkNamesAnExistingFile() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<Path> pages = new ArrayList<>();
    pages.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(page -> page.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    assertThat(pages).hasSizeGreaterThan(5);

    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : pages) {
      Matcher link = LINK.matcher(Files.readString(page));
      while (link.find()) {
        String target = link.group(1);
        if (target.contains("://") || target.startsWith("#") || target.startsWith("mailto:")) continue;
        int anchor = target.indexOf('#');
        String file = anchor == -1 ? target : target.substring(0, anchor);
        checked++;
        if (!Files.exists(page.getParent().resolve(file).normalize())) {
          broken.add(root.relativize(page) + " -> " + target);
        }
      }
    }
    assertThat(checked).isGreaterThan(10);
    assertThat(broken).isEmpty();
  }
}
