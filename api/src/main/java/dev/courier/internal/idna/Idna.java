package dev.courier.internal.idna;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts domain names to ASCII with UTS #46 (Unicode IDNA Compatibility Processing) ToASCII, as
 * the WHATWG URL Standard's host parser runs it: non-transitional processing (so 'ß' is kept and
 * becomes {@code xn--zca}), CheckHyphens=false, CheckBidi=true, CheckJoiners=true,
 * UseSTD3ASCIIRules=false and VerifyDnsLength=false.
 *
 * <p>The mapping and properties come from {@link IdnaData}; Punycode is {@link Punycode}. Text is
 * normalized with {@link Normalizer}, whose Unicode version is the running JDK's.
 */
public final class Idna {
  private Idna() {
  }

  /**
   * Returns {@code domain} mapped, validated and converted to ASCII, with non-ASCII labels as
   * {@code xn--} Punycode, or null if UTS #46 processing records an error for it.
   */
  public static String toAscii(String domain) {
    IdnaData data = IdnaData.get();
    String mapped = map(data, domain);
    if (mapped == null) return null;
    mapped = Normalizer.normalize(mapped, Normalizer.Form.NFC);

    // Decode and validate each label; the bidi rule needs to see every label first.
    List<String> labels = new ArrayList<>();
    boolean bidiDomain = false;
    int pos = 0;
    while (true) {
      int dot = mapped.indexOf('.', pos);
      int end = dot != -1 ? dot : mapped.length();
      String label = mapped.substring(pos, end);
      if (isPunycode(label)) {
        label = decodePunycode(label);
        if (label == null || !Normalizer.isNormalized(label, Normalizer.Form.NFC)) return null;
      }
      if (!IdnaLabelRules.isValid(data, label)) return null;
      bidiDomain |= IdnaLabelRules.hasRightToLeft(data, label);
      labels.add(label);
      if (dot == -1) break;
      pos = dot + 1;
    }

    StringBuilder out = new StringBuilder(mapped.length() + 8);
    for (int i = 0; i < labels.size(); i++) {
      String label = labels.get(i);
      if (bidiDomain && !IdnaLabelRules.satisfiesBidiRule(data, label)) return null;
      if (i > 0) out.append('.');
      if (isAscii(label)) {
        out.append(label);
      } else {
        out.append("xn--");
        if (!Punycode.encode(label, out)) return null;
      }
    }
    return out.toString();
  }

  /** Returns {@code domain} with each code point mapped, or null if one is disallowed. */
  private static String map(IdnaData data, String domain) {
    StringBuilder out = new StringBuilder(domain.length());
    for (int i = 0; i < domain.length(); ) {
      int codePoint = domain.codePointAt(i);
      int mapping = data.mapping(codePoint);
      switch (IdnaData.status(mapping)) {
        case IdnaData.VALID:
          out.appendCodePoint(codePoint);
          break;
        case IdnaData.MAPPED:
          data.appendMapping(out, mapping);
          break;
        case IdnaData.IGNORED:
          break;
        default:
          return null;
      }
      i += Character.charCount(codePoint);
    }
    return out.toString();
  }

  private static boolean isPunycode(String label) {
    return label.startsWith("xn--");
  }

  /**
   * Returns the label that the {@code xn--} label encodes, or null if it is not ASCII, is not valid
   * Punycode, or encodes nothing or only ASCII.
   */
  private static String decodePunycode(String label) {
    if (!isAscii(label)) return null;
    String decoded = Punycode.decode(label, 4, label.length());
    if (decoded == null || isAscii(decoded)) return null; // Empty decodes are ASCII too.
    return decoded;
  }

  static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) return false;
    }
    return true;
  }
}
