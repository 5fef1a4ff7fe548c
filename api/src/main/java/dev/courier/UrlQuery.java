package dev.courier;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes the parameters of an encoded query such as {@code a=1&b&c=}.
 *
 * <p>Parameters are separated by '&amp;'; a parameter's name ends at its first '='. A parameter
 * without '=' has a null value, one with an empty value after '=' has the empty string. Names and
 * values decode '+' as a space, as HTML forms and {@code URLSearchParams} do. The empty query has no
 * parameters.
 *
 * <p>The list form holds names at even indexes and values (possibly null) at odd indexes.
 */
final class UrlQuery {
  private UrlQuery() {
  }

  /** Returns the encoded names and values of {@code encodedQuery} in a new mutable list. */
  static List<String> split(String encodedQuery) {
    List<String> namesAndValues = new ArrayList<>();
    int length = encodedQuery.length();
    if (length == 0) return namesAndValues;
    int pos = 0;
    while (pos <= length) {
      int end = parameterEnd(encodedQuery, pos);
      int equals = nameEnd(encodedQuery, pos, end);
      if (equals == end) {
        namesAndValues.add(encodedQuery.substring(pos, end));
        namesAndValues.add(null);
      } else {
        namesAndValues.add(encodedQuery.substring(pos, equals));
        namesAndValues.add(encodedQuery.substring(equals + 1, end));
      }
      pos = end + 1;
    }
    return namesAndValues;
  }

  /** Returns the encoded query of {@code namesAndValues}, as {@link #split} reads it. */
  static String join(List<String> namesAndValues) {
    StringBuilder out = new StringBuilder();
    for (int i = 0, size = namesAndValues.size(); i < size; i += 2) {
      if (i > 0) out.append('&');
      out.append(namesAndValues.get(i));
      String value = namesAndValues.get(i + 1);
      if (value != null) out.append('=').append(value);
    }
    return out.toString();
  }

  /** Returns the number of parameters in {@code encodedQuery}, which may be null. */
  static int size(String encodedQuery) {
    if (encodedQuery == null || encodedQuery.isEmpty()) return 0;
    int count = 1;
    for (int i = 0; i < encodedQuery.length(); i++) {
      if (encodedQuery.charAt(i) == '&') count++;
    }
    return count;
  }

  /**
   * Returns the decoded name of parameter {@code index}, or its decoded value (null if it has none)
   * if {@code value} is true.
   *
   * @throws IndexOutOfBoundsException if there is no parameter {@code index}
   */
  static String decodedAt(String encodedQuery, int index, boolean value) {
    int size = size(encodedQuery);
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("Query parameter index " + index + " out of range for " + size);
    }
    int pos = 0;
    for (int i = 0; i < index; i++) {
      pos = parameterEnd(encodedQuery, pos) + 1;
    }
    int end = parameterEnd(encodedQuery, pos);
    int equals = nameEnd(encodedQuery, pos, end);
    if (!value) return UrlPercentEncoding.decode(encodedQuery, pos, equals, true);
    return equals == end ? null : UrlPercentEncoding.decode(encodedQuery, equals + 1, end, true);
  }

  /**
   * Returns the decoded values of the parameters named {@code name} in {@code encodedQuery}, at most
   * {@code limit} of them. A parameter without '=' contributes a null value.
   */
  static List<String> decodedValues(String encodedQuery, String name, int limit) {
    if (encodedQuery == null || encodedQuery.isEmpty()) return Collections.emptyList();
    List<String> result = null;
    int length = encodedQuery.length();
    for (int pos = 0; pos <= length; ) {
      int end = parameterEnd(encodedQuery, pos);
      int equals = nameEnd(encodedQuery, pos, end);
      if (nameEquals(encodedQuery, pos, equals, name)) {
        if (result == null) result = new ArrayList<>(2);
        result.add(equals == end ? null : UrlPercentEncoding.decode(encodedQuery, equals + 1, end, true));
        if (result.size() == limit) break;
      }
      pos = end + 1;
    }
    return result != null ? Collections.unmodifiableList(result) : Collections.emptyList();
  }

  /** Returns the distinct decoded parameter names of {@code encodedQuery}, in query order. */
  static Set<String> decodedNames(String encodedQuery) {
    if (encodedQuery == null || encodedQuery.isEmpty()) return Collections.emptySet();
    Set<String> names = new LinkedHashSet<>();
    int length = encodedQuery.length();
    for (int pos = 0; pos <= length; ) {
      int end = parameterEnd(encodedQuery, pos);
      names.add(UrlPercentEncoding.decode(encodedQuery, pos, nameEnd(encodedQuery, pos, end), true));
      pos = end + 1;
    }
    return Collections.unmodifiableSet(names);
  }

  /**
   * Removes from {@code namesAndValues} every parameter whose name equals {@code name}: decoded
   * names are compared if {@code decoded}, canonical encoded names otherwise.
   */
  static void removeAll(List<String> namesAndValues, String name, boolean decoded) {
    for (int i = namesAndValues.size() - 2; i >= 0; i -= 2) {
      String candidate = namesAndValues.get(i);
      if (decoded) candidate = UrlPercentEncoding.decode(candidate, true);
      if (candidate.equals(name)) {
        namesAndValues.remove(i + 1);
        namesAndValues.remove(i);
      }
    }
  }

  private static boolean nameEquals(String encodedQuery, int pos, int limit, String name) {
    for (int i = pos; i < limit; i++) {
      char c = encodedQuery.charAt(i);
      if (c == '%' || c == '+') {
        return UrlPercentEncoding.decode(encodedQuery, pos, limit, true).equals(name);
      }
    }
    return limit - pos == name.length() && encodedQuery.startsWith(name, pos);
  }

  private static int parameterEnd(String encodedQuery, int pos) {
    int ampersand = encodedQuery.indexOf('&', pos);
    return ampersand == -1 ? encodedQuery.length() : ampersand;
  }

  private static int nameEnd(String encodedQuery, int pos, int end) {
    for (int i = pos; i < end; i++) {
      if (encodedQuery.charAt(i) == '=') return i;
    }
    return end;
  }
}
