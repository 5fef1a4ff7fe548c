package dev.courier.internal;

/**
 * Encodes domain labels with Punycode (RFC 3492), the {@code xn--} form of internationalized
 * names. Internal: not part of Courier's public API and may change without notice.
 *
 * <p>This is only the encoding step of IDNA: it maps no characters, so its input must already be
 * in the form IDNA processing produces (lowercase, NFC), as the Public Suffix List's rules are.
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

  private Punycode() {}

  /**
   * Returns {@code label} itself if it is ASCII, otherwise {@code "xn--"} followed by its
   * Punycode encoding.
   *
   * @throws IllegalArgumentException if {@code label} is empty or too long to encode
   */
  public static String encodeLabel(String label) {
    if (label.isEmpty()) throw new IllegalArgumentException("empty label");
    int[] codePoints = label.codePoints().toArray();
    StringBuilder out = new StringBuilder("xn--");
    int basicCount = 0;
    for (int c : codePoints) {
      if (c < INITIAL_N) {
        out.append((char) c);
        basicCount++;
      }
    }
    if (basicCount == codePoints.length) return label;
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
      if (delta > Integer.MAX_VALUE) throw new IllegalArgumentException("label too long: " + label);
      n = m;
      for (int c : codePoints) {
        if (c < n) delta++;
        if (c != n) continue;
        long q = delta;
        for (int k = BASE; ; k += BASE) {
          int t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
          if (q < t) break;
          out.append(digit((int) (t + (q - t) % (BASE - t))));
          q = (q - t) / (BASE - t);
        }
        out.append(digit((int) q));
        bias = adapt(delta, handled + 1, handled == basicCount);
        delta = 0;
        handled++;
      }
      delta++;
      n++;
    }
    return out.toString();
  }

  /** Returns the bias for the next code point (RFC 3492 §6.1). */
  private static int adapt(long delta, int pointCount, boolean first) {
    delta = first ? delta / DAMP : delta / 2;
    delta += delta / pointCount;
    int k = 0;
    while (delta > ((BASE - T_MIN) * T_MAX) / 2) {
      delta /= BASE - T_MIN;
      k += BASE;
    }
    return (int) (k + (BASE - T_MIN + 1) * delta / (delta + SKEW));
  }

  private static char digit(int d) {
    return (char) (d < 26 ? 'a' + d : '0' + d - 26);
  }
}
