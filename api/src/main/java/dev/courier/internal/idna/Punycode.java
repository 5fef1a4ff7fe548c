package dev.courier.internal.idna;

/**
 * Encodes and decodes Punycode (RFC 3492), the Bootstring encoding of one domain label, without the
 * {@code xn--} prefix. Internal: not part of Courier's public API and may change without notice.
 * Thread-safe.
 */
public final class Punycode {
  private static final int BASE = 36;
  private static final int T_MIN = 1;
  private static final int T_MAX = 26;
  private static final int SKEW = 38;
  private static final int DAMP = 700;
  private static final int INITIAL_BIAS = 72;
  private static final int INITIAL_N = 0x80;

  private Punycode() {
  }

  /**
   * Returns {@code label} itself if it is ASCII, otherwise {@code "xn--"} followed by its Punycode
   * encoding. It maps no characters: the label must already be in the form IDNA processing
   * produces (lowercase, NFC), as the Public Suffix List's rules are.
   *
   * @throws IllegalArgumentException if {@code label} is empty or cannot be encoded
   */
  public static String encodeLabel(String label) {
    if (label.isEmpty()) throw new IllegalArgumentException("empty label");
    if (label.chars().allMatch(c -> c < INITIAL_N)) return label;
    StringBuilder out = new StringBuilder(label.length() + 8).append("xn--");
    if (!encode(label, out)) throw new IllegalArgumentException("cannot encode label " + label);
    return out.toString();
  }

  /**
   * Appends the Punycode form of {@code label} to {@code out}. Returns false, leaving {@code out} in
   * an unspecified state, if the label has an unpaired surrogate or the encoding overflows.
   */
  static boolean encode(String label, StringBuilder out) {
    int[] codePoints = label.codePoints().toArray();
    int basicCount = 0;
    for (int c : codePoints) {
      if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) return false;
      if (c < 0x80) {
        out.append((char) c);
        basicCount++;
      }
    }
    if (basicCount > 0) out.append('-');

    int n = INITIAL_N;
    long delta = 0;
    int bias = INITIAL_BIAS;
    int handled = basicCount;
    while (handled < codePoints.length) {
      int m = Integer.MAX_VALUE;
      for (int c : codePoints) {
        if (c >= n && c < m) m = c;
      }
      delta += (long) (m - n) * (handled + 1);
      n = m;
      for (int c : codePoints) {
        if (c < n) delta++;
        if (delta > Integer.MAX_VALUE) return false;
        if (c != n) continue;
        int q = (int) delta;
        for (int k = BASE; ; k += BASE) {
          int t = threshold(k, bias);
          if (q < t) break;
          out.append(digit(t + (q - t) % (BASE - t)));
          q = (q - t) / (BASE - t);
        }
        out.append(digit(q));
        bias = adapt((int) delta, handled + 1, handled == basicCount);
        delta = 0;
        handled++;
      }
      delta++;
      n++;
    }
    return true;
  }

  /**
   * Returns the label that the Punycode {@code input[pos..limit)} encodes, or null if it is not
   * valid Punycode: a non-ASCII basic code point, a bad digit, a truncated number, or an overflow.
   */
  static String decode(String input, int pos, int limit) {
    int delimiter = input.lastIndexOf('-', limit - 1);
    int basicEnd = delimiter >= pos ? delimiter : pos;
    int in = delimiter >= pos ? delimiter + 1 : pos;
    int[] output = new int[limit - pos];
    int length = 0;
    for (int i = pos; i < basicEnd; i++) {
      char c = input.charAt(i);
      if (c >= 0x80) return null;
      output[length++] = c;
    }

    int n = INITIAL_N;
    int i = 0;
    int bias = INITIAL_BIAS;
    while (in < limit) {
      int oldI = i;
      int w = 1;
      for (int k = BASE; ; k += BASE) {
        if (in == limit) return null;
        int digit = digitValue(input.charAt(in++));
        if (digit == -1 || digit > (Integer.MAX_VALUE - i) / w) return null;
        i += digit * w;
        int t = threshold(k, bias);
        if (digit < t) break;
        if (w > Integer.MAX_VALUE / (BASE - t)) return null;
        w *= BASE - t;
      }
      bias = adapt(i - oldI, length + 1, oldI == 0);
      if (i / (length + 1) > Integer.MAX_VALUE - n) return null;
      n += i / (length + 1);
      i %= length + 1;
      if (n > Character.MAX_CODE_POINT
          || (n >= Character.MIN_SURROGATE && n <= Character.MAX_SURROGATE)) {
        return null;
      }
      System.arraycopy(output, i, output, i + 1, length - i);
      output[i++] = n;
      length++;
    }
    return new String(output, 0, length);
  }

  private static int threshold(int k, int bias) {
    if (k <= bias) return T_MIN;
    if (k >= bias + T_MAX) return T_MAX;
    return k - bias;
  }

  private static int adapt(int delta, int pointCount, boolean first) {
    delta = first ? delta / DAMP : delta / 2;
    delta += delta / pointCount;
    int k = 0;
    while (delta > ((BASE - T_MIN) * T_MAX) / 2) {
      delta /= BASE - T_MIN;
      k += BASE;
    }
    return k + (BASE - T_MIN + 1) * delta / (delta + SKEW);
  }

  private static char digit(int d) {
    return (char) (d < 26 ? 'a' + d : '0' + d - 26);
  }

  private static int digitValue(char c) {
    if (c >= 'a' && c <= 'z') return c - 'a';
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= '0' && c <= '9') return c - '0' + 26;
    return -1;
  }
}
