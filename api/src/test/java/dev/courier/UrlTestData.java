package dev.courier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code urltestdata.json}: a JSON array whose elements are comment strings or objects of
 * string, boolean and null members. A JSON reader just large enough for that file.
 */
final class UrlTestData {
  private final String json;
  private int pos;

  private UrlTestData(String json) {
    this.json = json;
  }

  /** Returns the test case objects of the file {@code path}, in file order. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> read(Path path) throws IOException {
    String json = Files.readString(path, StandardCharsets.UTF_8);
    UrlTestData reader = new UrlTestData(json);
    List<Map<String, Object>> cases = new ArrayList<>();
    for (Object element : (List<Object>) reader.value()) {
      if (element instanceof Map) cases.add((Map<String, Object>) element);
    }
    return cases;
  }

  private Object value() {
    skipWhitespace();
    char c = json.charAt(pos);
    if (c == '[') {
      pos++;
      List<Object> list = new ArrayList<>();
      while (!consume(']')) {
        consume(',');
        list.add(value());
        skipWhitespace();
      }
      return list;
    }
    if (c == '{') {
      pos++;
      Map<String, Object> map = new LinkedHashMap<>();
      while (!consume('}')) {
        consume(',');
        skipWhitespace();
        String key = string();
        skipWhitespace();
        expect(':');
        map.put(key, value());
        skipWhitespace();
      }
      return map;
    }
    if (c == '"') return string();
    for (String literal : new String[] {"true", "false", "null"}) {
      if (json.startsWith(literal, pos)) {
        pos += literal.length();
        return literal.equals("null") ? null : Boolean.valueOf(literal);
      }
    }
    throw new IllegalArgumentException("Unexpected JSON at " + pos);
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = json.charAt(pos++);
      if (c == '"') return out.toString();
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char escape = json.charAt(pos++);
      switch (escape) {
        case 'u':
          out.append((char) Integer.parseInt(json.substring(pos, pos + 4), 16));
          pos += 4;
          break;
        case 'n':
          out.append('\n');
          break;
        case 't':
          out.append('\t');
          break;
        case 'r':
          out.append('\r');
          break;
        case 'b':
          out.append('\b');
          break;
        case 'f':
          out.append('\f');
          break;
        default:
          out.append(escape); // '"', '\\' and '/'.
      }
    }
  }

  private boolean consume(char c) {
    skipWhitespace();
    if (json.charAt(pos) != c) return false;
    pos++;
    return true;
  }

  private void expect(char c) {
    if (!consume(c)) throw new IllegalArgumentException("Expected '" + c + "' at " + pos);
  }

  private void skipWhitespace() {
    while (pos < json.length() && Character.isWhitespace(json.charAt(pos))) pos++;
  }
}
