package dev.courier.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the code a documentation page shows from the sources it is taken from. In a source file a
 * snippet stands between a {@code // <kind>: <name>} line and an end line; on the page it is a
 * fenced Java block right after an {@code <!-- <kind>: <name> -->} marker.
 */
final class DocSnippets {
  private DocSnippets() {}

  /**
   * Returns each snippet of {@code file} by name, in source order, dedented to its start line.
   *
   * @throws IllegalStateException if a name is used twice or a snippet has no end line
   */
  static Map<String, String> inSource(Path file, String kind, String endLine) throws IOException {
    List<String> lines = Files.readAllLines(file);
    Map<String, String> result = new LinkedHashMap<>();
    String start = "// " + kind + ": ";
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (!line.startsWith(start)) continue;
      String name = line.substring(start.length());
      int indent = lines.get(i).indexOf('/');
      StringBuilder code = new StringBuilder();
      for (i++; i < lines.size() && !lines.get(i).trim().equals(endLine); i++) {
        String text = lines.get(i);
        code.append(text.length() >= indent ? text.substring(indent) : text.trim()).append('\n');
      }
      if (i == lines.size()) {
        throw new IllegalStateException(file + ": snippet '" + name + "' has no '" + endLine + "' line");
      }
      if (result.put(name, code.toString()) != null) {
        throw new IllegalStateException(file + ": snippet '" + name + "' appears twice");
      }
    }
    return result;
  }

  /** Returns the names of the {@code <!-- <kind>: <name> -->} markers on {@code page}, in order. */
  static List<String> markersOnPage(String page, String kind) {
    List<String> names = new ArrayList<>();
    Matcher marker = Pattern.compile("<!-- " + Pattern.quote(kind) + ": ([a-z0-9-]+) -->").matcher(page);
    while (marker.find()) names.add(marker.group(1));
    return names;
  }

  /** Returns how {@code page} shows the snippet {@code name} with {@code code}. */
  static String shownOnPage(String kind, String name, String code) {
    return "<!-- " + kind + ": " + name + " -->\n```java\n" + code + "```\n";
  }
}
