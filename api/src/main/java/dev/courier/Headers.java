package dev.courier;

import dev.courier.internal.CheckedHeaders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Holds the header fields of a single HTTP message, in the order they were added.
 *
 * <p>Names are compared case-insensitively; a name may occur several times. Instances are
 * immutable and thread-safe; use {@link #newBuilder()} to derive a changed copy.
 *
 * <p>No instance holds CR, LF or NUL in a name or value, whichever way it was built, so headers
 * can always be written to the wire without splitting a field or injecting another one.
 */
public final class Headers implements Iterable<Map.Entry<String, String>> {
  /** Returns an empty header list. */
  public static final Headers EMPTY = new Headers(new String[0]);

  // Alternating name, value pairs, in insertion order.
  private final String[] namesAndValues;

  static {
    CheckedHeaders.install(new ArrayWrapper());
  }

  private Headers(String[] namesAndValues) {
    this.namesAndValues = namesAndValues;
  }

  /** Lets a head reader's checked fields become headers without a second check. */
  private static final class ArrayWrapper extends CheckedHeaders.Factory {
    @Override
    protected Headers wrap(String[] namesAndValues) {
      return new Headers(namesAndValues);
    }
  }

  /**
   * Returns headers for alternating names and values.
   *
   * @throws IllegalArgumentException if the count is odd or a name or value is not valid
   */
  public static Headers of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("Expected alternating header names and values");
    }
    Builder builder = new Builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      builder.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return builder.build();
  }

  /** Returns headers holding each entry of {@code map}, validated like {@link Builder#add}. */
  public static Headers of(Map<String, String> map) {
    Builder builder = new Builder();
    for (Map.Entry<String, String> entry : map.entrySet()) {
      builder.add(entry.getKey(), entry.getValue());
    }
    return builder.build();
  }

  /** Returns the last value of {@code name}, or null if it is absent. */
  public String get(String name) {
    String[] fields = namesAndValues;
    if (fields.length == 0) {
      return null;
    }
    // Names of other lengths, nearly all, are passed over with one call instead of five.
    int length = name.length();
    for (int i = fields.length - 2; i >= 0; i -= 2) {
      String candidate = fields[i];
      if (candidate == name || (candidate.length() == length && name.equalsIgnoreCase(candidate))) {
        return fields[i + 1];
      }
    }
    return null;
  }

  /** Returns the number of name-value pairs. */
  public int size() {
    return namesAndValues.length / 2;
  }

  /** Returns the name at {@code index}, as it was added. */
  public String name(int index) {
    return namesAndValues[index * 2];
  }

  /** Returns the value at {@code index}. */
  public String value(int index) {
    return namesAndValues[index * 2 + 1];
  }

  /** Returns the distinct names, compared case-insensitively and sorted. */
  public Set<String> names() {
    TreeSet<String> result = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      result.add(namesAndValues[i]);
    }
    return Collections.unmodifiableSet(result);
  }

  /** Returns every value of {@code name} in order; empty if it is absent. */
  public List<String> values(String name) {
    List<String> result = null;
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (name.equalsIgnoreCase(namesAndValues[i])) {
        if (result == null) {
          result = new ArrayList<>(2);
        }
        result.add(namesAndValues[i + 1]);
      }
    }
    return result == null ? List.of() : Collections.unmodifiableList(result);
  }

  /** Returns the number of bytes these headers take as HTTP/1.1 field lines, without CRLFs. */
  public long byteCount() {
    long result = namesAndValues.length * 2L;
    for (String s : namesAndValues) {
      result += s.length();
    }
    return result;
  }

  /** Returns a builder holding these headers. */
  public Builder newBuilder() {
    // Room for a few more fields, as when the bridge adds its own to a request's.
    Builder result = new Builder(namesAndValues.length + 8);
    Collections.addAll(result.namesAndValues, namesAndValues);
    return result;
  }

  /** Returns the headers as a map from lowercase name to values in order. */
  public Map<String, List<String>> toMultimap() {
    Map<String, List<String>> result = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = namesAndValues[i].toLowerCase(Locale.ROOT);
      result.computeIfAbsent(name, k -> new ArrayList<>(2)).add(namesAndValues[i + 1]);
    }
    return result;
  }

  @Override
  public Iterator<Map.Entry<String, String>> iterator() {
    return new Iterator<>() {
      private int next = 0;

      @Override
      public boolean hasNext() {
        return next < namesAndValues.length;
      }

      @Override
      public Map.Entry<String, String> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Map.Entry<String, String> entry = Map.entry(namesAndValues[next], namesAndValues[next + 1]);
        next += 2;
        return entry;
      }
    };
  }

  /** Returns true if {@code other} holds the same names and values in the same order. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Headers && Arrays.equals(((Headers) other).namesAndValues, namesAndValues);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(namesAndValues);
  }

  /** Returns the headers as field lines, with the values of sensitive headers redacted. */
  @Override
  public String toString() {
    StringBuilder result = new StringBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = namesAndValues[i];
      result.append(name).append(": ");
      result.append(isSensitive(name) ? "██" : namesAndValues[i + 1]);
      result.append('\n');
    }
    return result.toString();
  }

  private static boolean isSensitive(String name) {
    return name.equalsIgnoreCase("Authorization")
        || name.equalsIgnoreCase("Cookie")
        || name.equalsIgnoreCase("Proxy-Authorization")
        || name.equalsIgnoreCase("Set-Cookie");
  }

  static void checkName(String name) {
    if (name == null) {
      throw new NullPointerException("name == null");
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("Header name is empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException(
            "Unexpected char 0x" + Integer.toHexString(c) + " at " + i + " in header name: " + name);
      }
    }
  }

  static void checkValue(String value, String name) {
    if (value == null) {
      throw new NullPointerException("value for name " + name + " == null");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < ' ' && c != '\t') || c == 0x7f) {
        throw new IllegalArgumentException("Unexpected char 0x" + Integer.toHexString(c) + " at " + i
            + " in " + name + " value" + (isSensitive(name) ? "" : ": " + value));
      }
    }
  }

  /**
   * Refuses CR, LF and NUL, the characters that no field may carry in any form. Every field of a
   * received head passes here, so the scan is three {@link String#indexOf(int)} calls rather than
   * a loop of our own: the JDK's scan is compiled (and vectorized) long before a client's first
   * calls are, and costs a few nanoseconds per field once they are.
   */
  static void checkLenient(String name, String value) {
    if (name == null) {
      throw new NullPointerException("name == null");
    }
    if (value == null) {
      throw new NullPointerException("value for name " + name + " == null");
    }
    int at = indexOfLineBreakOrNul(name);
    if (at != -1) {
      throw new IllegalArgumentException("Unexpected char 0x" + Integer.toHexString(name.charAt(at))
          + " at " + at + " in header name: " + name);
    }
    at = indexOfLineBreakOrNul(value);
    if (at != -1) {
      throw new IllegalArgumentException("Unexpected char 0x" + Integer.toHexString(value.charAt(at))
          + " at " + at + " in " + name + " value" + (isSensitive(name) ? "" : ": " + value));
    }
  }

  /** Returns the index of the first CR, LF or NUL in {@code s}, or -1 if it has none. */
  private static int indexOfLineBreakOrNul(String s) {
    int result = firstOf(s.indexOf('\r'), s.indexOf('\n'));
    return firstOf(result, s.indexOf('\0'));
  }

  /** Returns the smaller of two indexes, where -1 means absent. */
  private static int firstOf(int a, int b) {
    return a == -1 ? b : b == -1 ? a : Math.min(a, b);
  }

  /** Accumulates header fields; not thread-safe. */
  public static final class Builder {
    final List<String> namesAndValues;

    /** Creates an empty builder. */
    public Builder() {
      this(20); // Room for the ten fields of a typical response head.
    }

    private Builder(int capacity) {
      namesAndValues = new ArrayList<>(capacity);
    }

    /**
     * Adds a field, keeping any existing values of the same name.
     *
     * @throws IllegalArgumentException if the name is empty or holds whitespace, controls or
     *     non-ASCII characters, or if the value holds control characters such as CR or LF
     */
    public Builder add(String name, String value) {
      checkName(name);
      checkValue(value, name);
      return append(name, value.trim());
    }

    /**
     * Adds a {@code name: value} line, validating the name and value as {@link #add(String,
     * String)} does.
     *
     * @throws IllegalArgumentException if the line has no colon, or its name or value is invalid
     */
    public Builder add(String line) {
      int colon = line.indexOf(':');
      if (colon == -1) {
        throw new IllegalArgumentException("Unexpected header: " + line);
      }
      return add(line.substring(0, colon).trim(), line.substring(colon + 1));
    }

    /**
     * Adds a field received from a peer, which may carry obsolete text such as non-ASCII bytes or
     * control characters other than CR, LF and NUL. Leading and trailing whitespace of the value
     * is not removed.
     *
     * @throws IllegalArgumentException if the name or value holds CR, LF or NUL (RFC 9110 §5.5),
     *     which no header may carry because they would split or end the field on the wire; the
     *     message names the header and, unless the header is sensitive, shows the value
     */
    public Builder addLenient(String name, String value) {
      checkLenient(name, value);
      return append(name, value);
    }

    private Builder append(String name, String value) {
      namesAndValues.add(name);
      namesAndValues.add(value);
      return this;
    }

    /** Adds every field of {@code headers}. */
    public Builder addAll(Headers headers) {
      namesAndValues.addAll(Arrays.asList(headers.namesAndValues));
      return this;
    }

    /** Removes every field named {@code name}. */
    public Builder removeAll(String name) {
      for (int i = 0; i < namesAndValues.size(); i += 2) {
        if (name.equalsIgnoreCase(namesAndValues.get(i))) {
          namesAndValues.remove(i);
          namesAndValues.remove(i);
          i -= 2;
        }
      }
      return this;
    }

    /** Replaces every field named {@code name} by one with {@code value}, validated as in {@link #add}. */
    public Builder set(String name, String value) {
      checkName(name);
      checkValue(value, name);
      removeAll(name);
      return append(name, value.trim());
    }

    /** Returns the last value of {@code name}, or null. */
    public String get(String name) {
      for (int i = namesAndValues.size() - 2; i >= 0; i -= 2) {
        if (name.equalsIgnoreCase(namesAndValues.get(i))) {
          return namesAndValues.get(i + 1);
        }
      }
      return null;
    }

    /** Returns the immutable headers. */
    public Headers build() {
      return namesAndValues.isEmpty() ? EMPTY : new Headers(namesAndValues.toArray(new String[0]));
    }
  }
}
