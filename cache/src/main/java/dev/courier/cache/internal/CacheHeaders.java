package dev.courier.cache.internal;

import dev.courier.Headers;
import dev.courier.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Applies the header rules of RFC 9111: what is stored, what a 304 updates, how {@code Vary} matches. */
public final class CacheHeaders {
  private CacheHeaders() {}

  /**
   * Returns {@code headers} without the fields a cache must not store (RFC 9111 §3.1): hop-by-hop
   * fields, those named by {@code Connection}, and those named by a qualified {@code no-cache}.
   */
  public static Headers storable(Headers headers, List<String> noCacheFields) {
    Set<String> excluded = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (String connection : headers.values("Connection")) {
      excluded.addAll(splitList(connection));
    }
    excluded.addAll(noCacheFields);
    Headers.Builder result = new Headers.Builder();
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      if (!isHopByHop(name) && !excluded.contains(name)) {
        result.addLenient(name, headers.value(i));
      }
    }
    return result.build();
  }

  /**
   * Returns the stored headers updated by a 304's (RFC 9111 §4.3.4): fields the 304 carries
   * replace the stored ones of the same name, except those that describe the stored content.
   * {@code Date} and {@code Age} are taken from the 304 only, and warnings about staleness are
   * dropped: they described the old exchange, and kept they would age the renewed response.
   */
  public static Headers merge(Headers stored, Headers notModified) {
    Headers.Builder result = new Headers.Builder();
    for (int i = 0; i < stored.size(); i++) {
      String name = stored.name(i);
      String value = stored.value(i);
      if (name.equalsIgnoreCase("Date") || name.equalsIgnoreCase("Age")) {
        continue;
      }
      if (name.equalsIgnoreCase("Warning") && value.startsWith("1")) {
        continue;
      }
      if (describesContent(name) || isHopByHop(name) || notModified.get(name) == null) {
        result.addLenient(name, value);
      }
    }
    for (int i = 0; i < notModified.size(); i++) {
      String name = notModified.name(i);
      if (!describesContent(name) && !isHopByHop(name)) {
        result.addLenient(name, notModified.value(i));
      }
    }
    return result.build();
  }

  /**
   * Returns the fields of {@code request} that the response's {@code Vary} names, in the order
   * named; a named field the request lacks is simply absent.
   */
  public static Headers varyHeaders(Request request, Headers responseHeaders) {
    Set<String> names = varyFields(responseHeaders);
    if (names.isEmpty()) return Headers.EMPTY;
    Headers.Builder result = new Headers.Builder();
    for (String name : names) {
      for (String value : request.headers().values(name)) {
        result.addLenient(name, value);
      }
    }
    return result.build();
  }

  /** Returns true if {@code request} carries the same values of every field {@code Vary} names. */
  public static boolean varyMatches(Headers storedResponseHeaders, Headers storedVaryHeaders,
      Request request) {
    for (String name : varyFields(storedResponseHeaders)) {
      if (name.equals("*")) return false;
      if (!request.headers().values(name).equals(storedVaryHeaders.values(name))) return false;
    }
    return true;
  }

  /** Returns the distinct field names of every {@code Vary} field, compared case-insensitively. */
  static Set<String> varyFields(Headers responseHeaders) {
    Set<String> result = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (String vary : responseHeaders.values("Vary")) {
      result.addAll(splitList(vary));
    }
    return result;
  }

  private static boolean describesContent(String name) {
    return name.equalsIgnoreCase("Content-Length")
        || name.equalsIgnoreCase("Content-Encoding")
        || name.equalsIgnoreCase("Content-Type")
        || name.equalsIgnoreCase("Content-Range");
  }

  private static boolean isHopByHop(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "connection":
      case "keep-alive":
      case "proxy-connection":
      case "te":
      case "transfer-encoding":
      case "upgrade":
        return true;
      default:
        return false;
    }
  }

  private static List<String> splitList(String value) {
    List<String> result = new ArrayList<>(4);
    int start = 0;
    for (int i = 0; i <= value.length(); i++) {
      if (i == value.length() || value.charAt(i) == ',') {
        String item = value.substring(start, i).trim();
        if (!item.isEmpty()) result.add(item);
        start = i + 1;
      }
    }
    return result;
  }
}
