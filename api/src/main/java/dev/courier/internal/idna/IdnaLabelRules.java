package dev.courier.internal.idna;

/**
 * Checks one domain label against the UTS #46 validity criteria (section 4.1) for non-transitional
 * processing with CheckHyphens=false, including the ContextJ rules of RFC 5892 Appendix A
 * (CheckJoiners), and against the bidi rule of RFC 5893 section 2 (CheckBidi).
 */
final class IdnaLabelRules {
  private static final int ZERO_WIDTH_NON_JOINER = 0x200c;
  private static final int ZERO_WIDTH_JOINER = 0x200d;

  private IdnaLabelRules() {
  }

  /**
   * Returns true if the NFC {@code label} does not start with {@code xn--} or a mark, contains no
   * '.', has only valid code points, and places its joiners where RFC 5892 allows them. The empty
   * label is valid.
   */
  static boolean isValid(IdnaData data, String label) {
    if (label.isEmpty()) return true;
    if (label.startsWith("xn--")) return false;
    if ((data.properties(label.codePointAt(0)) & IdnaData.MARK) != 0) return false;
    for (int i = 0; i < label.length(); ) {
      int codePoint = label.codePointAt(i);
      if (codePoint == '.' || IdnaData.status(data.mapping(codePoint)) != IdnaData.VALID) {
        return false;
      }
      if ((codePoint == ZERO_WIDTH_NON_JOINER || codePoint == ZERO_WIDTH_JOINER)
          && !joinerAllowed(data, label, i, codePoint)) {
        return false;
      }
      i += Character.charCount(codePoint);
    }
    return true;
  }

  /** Applies RFC 5892 Appendix A.1 and A.2 to the joiner at {@code label[index]}. */
  private static boolean joinerAllowed(IdnaData data, String label, int index, int joiner) {
    if (index > 0 && (data.properties(label.codePointBefore(index)) & IdnaData.VIRAMA) != 0) {
      return true;
    }
    if (joiner == ZERO_WIDTH_JOINER) return false;
    // (Joining_Type:{L,D})(Joining_Type:T)*\u200C(Joining_Type:T)*(Joining_Type:{R,D})
    int before = IdnaData.JOINING_T;
    for (int i = index; i > 0 && before == IdnaData.JOINING_T; ) {
      int codePoint = label.codePointBefore(i);
      before = data.properties(codePoint) & IdnaData.JOINING_MASK;
      i -= Character.charCount(codePoint);
    }
    if (before != IdnaData.JOINING_L && before != IdnaData.JOINING_D) return false;
    int after = IdnaData.JOINING_T;
    for (int i = index + 1; i < label.length() && after == IdnaData.JOINING_T; ) {
      int codePoint = label.codePointAt(i);
      after = data.properties(codePoint) & IdnaData.JOINING_MASK;
      i += Character.charCount(codePoint);
    }
    return after == IdnaData.JOINING_R || after == IdnaData.JOINING_D;
  }

  /** Returns true if {@code label} has a character of bidi class R, AL or AN (an RTL label). */
  static boolean hasRightToLeft(IdnaData data, String label) {
    for (int i = 0; i < label.length(); ) {
      int codePoint = label.codePointAt(i);
      int bidi = data.properties(codePoint) & IdnaData.BIDI_MASK;
      if (bidi == IdnaData.BIDI_R || bidi == IdnaData.BIDI_AL || bidi == IdnaData.BIDI_AN) {
        return true;
      }
      i += Character.charCount(codePoint);
    }
    return false;
  }

  /** Returns true if {@code label} satisfies the six conditions of RFC 5893 section 2. */
  static boolean satisfiesBidiRule(IdnaData data, String label) {
    if (label.isEmpty()) return true;
    int first = data.properties(label.codePointAt(0)) & IdnaData.BIDI_MASK;
    boolean rightToLeft;
    if (first == IdnaData.BIDI_R || first == IdnaData.BIDI_AL) {
      rightToLeft = true;
    } else if (first == IdnaData.BIDI_L) {
      rightToLeft = false;
    } else {
      return false; // Condition 1.
    }
    boolean hasEuropeanNumber = false;
    boolean hasArabicNumber = false;
    int lastNonNsm = first;
    for (int i = 0; i < label.length(); ) {
      int codePoint = label.codePointAt(i);
      int bidi = data.properties(codePoint) & IdnaData.BIDI_MASK;
      switch (bidi) {
        case IdnaData.BIDI_EN:
          hasEuropeanNumber = true;
          break;
        case IdnaData.BIDI_AN:
          hasArabicNumber = true;
          if (!rightToLeft) return false; // Condition 5.
          break;
        case IdnaData.BIDI_R:
        case IdnaData.BIDI_AL:
          if (!rightToLeft) return false; // Condition 5.
          break;
        case IdnaData.BIDI_L:
          if (rightToLeft) return false; // Condition 2.
          break;
        case IdnaData.BIDI_ES:
        case IdnaData.BIDI_CS:
        case IdnaData.BIDI_ET:
        case IdnaData.BIDI_ON:
        case IdnaData.BIDI_BN:
        case IdnaData.BIDI_NSM:
          break;
        default:
          return false; // Conditions 2 and 5.
      }
      if (bidi != IdnaData.BIDI_NSM) lastNonNsm = bidi;
      i += Character.charCount(codePoint);
    }
    if (rightToLeft) {
      if (hasEuropeanNumber && hasArabicNumber) return false; // Condition 4.
      return lastNonNsm == IdnaData.BIDI_R || lastNonNsm == IdnaData.BIDI_AL
          || lastNonNsm == IdnaData.BIDI_EN || lastNonNsm == IdnaData.BIDI_AN; // Condition 3.
    }
    return lastNonNsm == IdnaData.BIDI_L || lastNonNsm == IdnaData.BIDI_EN; // Condition 6.
  }
}
