package dev.courier;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Describes the type of a body, such as {@code text/plain; charset=utf-8} (RFC 9110 §8.3.1).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MediaType {
  private final String mediaType;
  private final String type;
  private final String subtype;
  private final String[] parameterNamesAndValues;

  private MediaType(String mediaType, String type, String subtype, String[] parameterNamesAndValues) {
    this.mediaType = mediaType;
    this.type = type;
    this.subtype = subtype;
    this.parameterNamesAndValues = parameterNamesAndValues;
  }

  /**
   * Parses {@code string}, such as {@code application/json; charset=utf-8}.
   *
   * @throws IllegalArgumentException if it is not a well-formed media type
   */
  public static MediaType get(String string) {
    int slash = string.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("No subtype found for: \"" + string + "\"");
    }
    int semicolon = string.indexOf(';', slash);
    int typeEnd = semicolon == -1 ? string.length() : semicolon;
    String type = string.substring(0, slash).trim();
    String subtype = string.substring(slash + 1, typeEnd).trim();
    if (!isToken(type) || !isToken(subtype)) {
      throw new IllegalArgumentException("No subtype found for: \"" + string + "\"");
    }
    List<String> parameters = new ArrayList<>(2);
    int pos = typeEnd;
    while (pos < string.length()) {
      // pos is at ';'
      int start = pos + 1;
      while (start < string.length() && isWhitespace(string.charAt(start))) {
        start++;
      }
      if (start == string.length()) {
        break; // A trailing ';' is tolerated.
      }
      int equals = string.indexOf('=', start);
      int next = string.indexOf(';', start);
      if (equals == -1 || (next != -1 && next < equals)) {
        throw new IllegalArgumentException("Parameter is not formatted correctly: \""
            + string.substring(start, next == -1 ? string.length() : next) + "\" for: \"" + string + "\"");
      }
      String name = string.substring(start, equals).trim();
      if (!isToken(name)) {
        throw new IllegalArgumentException(
            "Parameter name is not a token: \"" + name + "\" for: \"" + string + "\"");
      }
      String value;
      int end;
      int valueStart = equals + 1;
      if (valueStart < string.length() && string.charAt(valueStart) == '"') {
        StringBuilder quoted = new StringBuilder();
        int i = valueStart + 1;
        for (; i < string.length() && string.charAt(i) != '"'; i++) {
          char c = string.charAt(i);
          if (c == '\\' && i + 1 < string.length()) {
            c = string.charAt(++i);
          }
          quoted.append(c);
        }
        if (i == string.length()) {
          throw new IllegalArgumentException("Unterminated quoted parameter value for: \"" + string + "\"");
        }
        value = quoted.toString();
        end = string.indexOf(';', i);
      } else {
        end = string.indexOf(';', valueStart);
        value = string.substring(valueStart, end == -1 ? string.length() : end).trim();
      }
      parameters.add(name);
      parameters.add(value);
      pos = end == -1 ? string.length() : end;
    }
    return new MediaType(string, type.toLowerCase(Locale.ROOT), subtype.toLowerCase(Locale.ROOT),
        parameters.toArray(new String[0]));
  }

  /** Returns the media type of {@code string}, or null if it is not well-formed. */
  public static MediaType parse(String string) {
    try {
      return get(string);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Returns the top-level type, lowercase, such as {@code text}. */
  public String type() {
    return type;
  }

  /** Returns the subtype, lowercase, such as {@code plain}. */
  public String subtype() {
    return subtype;
  }

  /** Returns the value of parameter {@code name}, compared case-insensitively, or null. */
  public String parameter(String name) {
    for (int i = 0; i < parameterNamesAndValues.length; i += 2) {
      if (parameterNamesAndValues[i].equalsIgnoreCase(name)) {
        return parameterNamesAndValues[i + 1];
      }
    }
    return null;
  }

  /** Returns the charset parameter, or null if it is absent or not supported by this JVM. */
  public Charset charset() {
    return charset(null);
  }

  /** Returns the charset parameter, or {@code defaultValue} if it is absent or unsupported. */
  public Charset charset(Charset defaultValue) {
    String name = parameter("charset");
    if (name == null) {
      return defaultValue;
    }
    try {
      return Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return defaultValue;
    }
  }

  /** Returns the media type as it was given. */
  @Override
  public String toString() {
    return mediaType;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MediaType && ((MediaType) other).mediaType.equals(mediaType);
  }

  @Override
  public int hashCode() {
    return mediaType.hashCode();
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) != -1) {
        return false;
      }
    }
    return true;
  }
}
