package dev.courier.internal;

import dev.courier.internal.idna.Punycode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Answers which domains are public suffixes, such as {@code com}, {@code co.uk} or {@code
 * github.io}, under which anyone can register names, so that a cookie set for one would reach
 * unrelated sites. Internal: not part of Courier's public API and may change without notice.
 *
 * <p>The rules come from Mozilla's Public Suffix List (https://publicsuffix.org), both its ICANN and
 * its private sections, shipped as the resource {@code publicsuffix/public_suffix_list.dat.gz}
 * next to this class; its README says where the copy comes from and how to refresh it. The list
 * is read once, on first use. Rules written in Unicode are converted to their ASCII (punycode)
 * form, which is how Courier holds host names, so lookups take ASCII names.
 *
 * <p>Lookup follows the list's algorithm: of the rules matching a domain, an exception rule
 * ({@code !city.kobe.jp}) prevails, otherwise the rule with the most labels, a wildcard ({@code
 * *.ck}) matching any one label; with no match, the implicit rule {@code *} makes the last label
 * the public suffix. Instances are immutable and thread-safe.
 */
public final class PublicSuffixList {
  static final String RESOURCE = "publicsuffix/public_suffix_list.dat.gz";

  private final Set<String> rules;
  private final Set<String> wildcardParents;
  private final Set<String> exceptions;

  PublicSuffixList(Set<String> rules, Set<String> wildcardParents, Set<String> exceptions) {
    this.rules = rules;
    this.wildcardParents = wildcardParents;
    this.exceptions = exceptions;
  }

  /**
   * Returns the list shipped with Courier, reading it on the first call.
   *
   * @throws IllegalStateException if the resource is missing or unreadable, which means a broken
   *     build: Courier does not silently accept cookies for public suffixes
   */
  public static PublicSuffixList get() {
    return Shipped.INSTANCE;
  }

  /** Holds the shipped list; the JVM initializes it once, on first access, under its own lock. */
  private static final class Shipped {
    static final PublicSuffixList INSTANCE = load();

    private static PublicSuffixList load() {
      InputStream in = PublicSuffixList.class.getResourceAsStream(RESOURCE);
      if (in == null) {
        throw new IllegalStateException("resource missing: dev/courier/internal/" + RESOURCE);
      }
      try (InputStream gzip = new GZIPInputStream(in)) {
        return parse(gzip);
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot read dev/courier/internal/" + RESOURCE, new UncheckedIOException(e));
      }
    }
  }

  /**
   * Reads a list in the format of {@code public_suffix_list.dat}: one rule per line, {@code //}
   * comments and blank lines ignored, only the text up to the first whitespace counting.
   *
   * @throws IllegalArgumentException if a rule is not a valid domain name
   */
  static PublicSuffixList parse(InputStream in) throws IOException {
    Set<String> rules = new HashSet<>();
    Set<String> wildcardParents = new HashSet<>();
    Set<String> exceptions = new HashSet<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    for (String line; (line = reader.readLine()) != null; ) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("//")) continue;
      int space = indexOfWhitespace(line);
      String rule = space == -1 ? line : line.substring(0, space);
      if (rule.startsWith("!")) {
        exceptions.add(toAscii(rule.substring(1)));
      } else if (rule.startsWith("*.")) {
        wildcardParents.add(toAscii(rule.substring(2)));
      } else {
        rules.add(toAscii(rule));
      }
    }
    return new PublicSuffixList(Set.copyOf(rules), Set.copyOf(wildcardParents), Set.copyOf(exceptions));
  }

  /** Returns how many rules of each kind the list holds: plain, wildcard and exception. */
  int[] ruleCounts() {
    return new int[] {rules.size(), wildcardParents.size(), exceptions.size()};
  }

  /**
   * Returns the public suffix of {@code domain}: its last labels that the prevailing rule
   * matches. For {@code www.example.co.uk} that is {@code co.uk}; for an unlisted top-level
   * domain such as {@code www.example.invalid}, {@code invalid}. The domain is lowercased; a
   * domain with a trailing dot, empty labels or non-ASCII characters is returned whole, as if it
   * were a suffix itself, so that callers refuse it.
   */
  public String publicSuffix(String domain) {
    String name = domain.toLowerCase(Locale.ROOT);
    if (name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.contains("..")
        || !isAscii(name)) {
      return name;
    }
    // An exception rule prevails whenever it matches; the suffix is the rule less its first label.
    for (int start = 0, next; (next = nextLabel(name, start)) != -1; start = next) {
      if (exceptions.contains(name.substring(start))) return name.substring(next);
    }
    // Otherwise the matching rule with the most labels: walk from the whole name towards the end.
    for (int start = 0; ; start = nextLabel(name, start)) {
      String suffix = name.substring(start);
      int next = nextLabel(name, start);
      if (next == -1) return suffix; // The implicit "*" rule, if nothing longer matched.
      if (rules.contains(suffix) || wildcardParents.contains(name.substring(next))) return suffix;
    }
  }

  /** Returns the offset of the label after the one at {@code start}, or -1 if it is the last. */
  private static int nextLabel(String name, int start) {
    int dot = name.indexOf('.', start);
    return dot == -1 ? -1 : dot + 1;
  }

  /** Returns true if {@code domain} is itself a public suffix, such as {@code co.uk}. */
  public boolean isPublicSuffix(String domain) {
    return publicSuffix(domain).length() == domain.length();
  }

  private static String toAscii(String rule) {
    if (isAscii(rule)) return rule.toLowerCase(Locale.ROOT);
    // The list writes Unicode rules in the form IDNA processing produces (lowercase, NFC), so
    // encoding each label is all that is left of ToASCII.
    StringBuilder result = new StringBuilder(rule.length() + 8);
    for (String label : rule.split("\\.", -1)) {
      if (result.length() > 0) result.append('.');
      result.append(Punycode.encodeLabel(label));
    }
    return result.toString();
  }

  private static boolean isAscii(String s) {
    for (int i = 0, length = s.length(); i < length; i++) {
      if (s.charAt(i) >= 0x80) return false;
    }
    return true;
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0, length = s.length(); i < length; i++) {
      if (Character.isWhitespace(s.charAt(i))) return i;
    }
    return -1;
  }
}
