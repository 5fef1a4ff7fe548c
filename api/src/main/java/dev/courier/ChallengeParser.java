package dev.courier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the challenges of {@code WWW-Authenticate} and {@code Proxy-Authenticate} fields (RFC 9110
 * §11.2 and §11.6.1):
 *
 * <pre>
 *   challenge  = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param = token BWS "=" BWS ( token / quoted-string )
 *   token68    = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
 * </pre>
 *
 * <p>Commas separate both challenges and the parameters of one challenge: an element that is a
 * token followed by {@code =} continues the current challenge, anything else starts a new one.
 * Leniently, a challenge that breaks the grammar (a parameter without a value, an unterminated
 * quoted string, junk between parameters) is skipped up to the next comma and the challenges after
 * it are still read; of a repeated parameter the first counts; empty list elements are ignored.
 * Nothing is thrown.
 */
final class ChallengeParser {
  private final String field;
  private int pos;

  private ChallengeParser(String field) {
    this.field = field;
  }

  /** Returns the challenges of every {@code fieldName} field of {@code headers}, in order. */
  static List<Challenge> parse(Headers headers, String fieldName) {
    List<Challenge> result = new ArrayList<>(1);
    for (int i = 0, size = headers.size(); i < size; i++) {
      if (headers.name(i).equalsIgnoreCase(fieldName)) {
        new ChallengeParser(headers.value(i)).readField(result);
      }
    }
    return result;
  }

  private void readField(List<Challenge> out) {
    while (true) {
      skipSeparators();
      if (pos >= field.length()) {
        return;
      }
      Challenge challenge = readChallenge();
      if (challenge != null) {
        out.add(challenge);
      } else {
        skipElement();
      }
    }
  }

  /** Reads one challenge at {@code pos}; returns null, leaving {@code pos} inside it, if malformed. */
  private Challenge readChallenge() {
    String scheme = readToken();
    if (scheme == null) {
      return null;
    }
    int afterScheme = pos;
    skipWhitespace();
    if (pos >= field.length() || field.charAt(pos) == ',') {
      return new Challenge(scheme, Map.of());
    }
    if (pos == afterScheme) {
      return null; // Something other than a space follows the scheme, such as "realm=".
    }
    String token68 = readToken68();
    if (token68 != null) {
      return new Challenge(scheme, token68);
    }
    Map<String, String> params = new LinkedHashMap<>();
    while (true) {
      String name = readToken();
      if (name == null) {
        return null;
      }
      skipWhitespace();
      if (pos >= field.length() || field.charAt(pos) != '=') {
        return null;
      }
      pos++;
      skipWhitespace();
      String value = pos < field.length() && field.charAt(pos) == '"' ? readQuotedString() : readToken();
      if (value == null) {
        return null;
      }
      params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
      skipWhitespace();
      if (pos >= field.length()) {
        break;
      }
      if (field.charAt(pos) != ',') {
        return null;
      }
      skipSeparators();
      if (!atParameter()) {
        break; // The next element, if any, is the next challenge.
      }
    }
    return new Challenge(scheme, params);
  }

  /** Returns true if a token followed by optional whitespace and '=' starts at {@code pos}. */
  private boolean atParameter() {
    int i = pos;
    while (i < field.length() && isTokenChar(field.charAt(i))) {
      i++;
    }
    if (i == pos) {
      return false;
    }
    while (i < field.length() && isWhitespace(field.charAt(i))) {
      i++;
    }
    return i < field.length() && field.charAt(i) == '=';
  }

  /**
   * Reads a token68 that ends the challenge (the field or a comma follows it), or returns null
   * and leaves {@code pos} where it was.
   */
  private String readToken68() {
    int start = pos;
    int i = pos;
    while (i < field.length() && isToken68Char(field.charAt(i))) {
      i++;
    }
    if (i == start) {
      return null;
    }
    while (i < field.length() && field.charAt(i) == '=') {
      i++;
    }
    int end = i;
    while (i < field.length() && isWhitespace(field.charAt(i))) {
      i++;
    }
    if (i < field.length() && field.charAt(i) != ',') {
      return null; // Such as "realm=x": a parameter.
    }
    pos = i;
    return field.substring(start, end);
  }

  private String readToken() {
    int start = pos;
    while (pos < field.length() && isTokenChar(field.charAt(pos))) {
      pos++;
    }
    return pos == start ? null : field.substring(start, pos);
  }

  /** Reads a quoted string at {@code pos}, unescaping quoted pairs; null if it is unterminated. */
  private String readQuotedString() {
    StringBuilder value = new StringBuilder();
    int i = pos + 1;
    while (i < field.length()) {
      char c = field.charAt(i);
      if (c == '"') {
        pos = i + 1;
        return value.toString();
      }
      if (c == '\\' && i + 1 < field.length()) {
        c = field.charAt(++i);
      }
      value.append(c);
      i++;
    }
    pos = field.length();
    return null;
  }

  /** Skips to the next comma that is not inside a quoted string. */
  private void skipElement() {
    boolean quoted = false;
    for (; pos < field.length(); pos++) {
      char c = field.charAt(pos);
      if (quoted && c == '\\') {
        pos++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        return;
      }
    }
  }

  private void skipSeparators() {
    while (pos < field.length() && (field.charAt(pos) == ',' || isWhitespace(field.charAt(pos)))) {
      pos++;
    }
  }

  private void skipWhitespace() {
    while (pos < field.length() && isWhitespace(field.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) != -1;
  }

  private static boolean isToken68Char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-._~+/".indexOf(c) != -1;
  }
}
