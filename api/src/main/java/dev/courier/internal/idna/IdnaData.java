package dev.courier.internal.idna;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Holds the Unicode data that UTS #46 processing needs: the IDNA mapping table and, for the
 * validity checks, each code point's bidi class, joining type, and whether it is a mark or a
 * virama. Loaded once, on first use, from the {@code idna.bin} resource.
 *
 * <p>The resource is generated from the Unicode Character Database (IdnaMappingTable.txt and four
 * extracted property files) by {@code IdnaDataGenerator} in the test sources, which says how to
 * regenerate it. The data is © Unicode, Inc., used under the Unicode License v3
 * (https://www.unicode.org/license.txt). Format, gzip-compressed {@link java.io.DataOutput}: magic,
 * Unicode version, the mapping pool (UTF-16 chars), the mapping entries (start code point, then
 * {@code poolOffset << 8 | length << 3 | status}), then the property ranges (start code point,
 * property bits). Entries and ranges are sorted, and each lasts until the next one starts.
 */
final class IdnaData {
  static final int MAGIC = 0x49444e41; // "IDNA"

  /** Mapping statuses; deviations are valid, as non-transitional processing treats them. */
  static final int VALID = 0;
  static final int IGNORED = 1;
  static final int MAPPED = 2;
  static final int DISALLOWED = 3;

  /** Bidi classes (RFC 5893 uses these; the rest are {@link #BIDI_OTHER}). */
  static final int BIDI_MASK = 0xf;
  static final int BIDI_OTHER = 0;
  static final int BIDI_L = 1;
  static final int BIDI_R = 2;
  static final int BIDI_AL = 3;
  static final int BIDI_AN = 4;
  static final int BIDI_EN = 5;
  static final int BIDI_ES = 6;
  static final int BIDI_CS = 7;
  static final int BIDI_ET = 8;
  static final int BIDI_ON = 9;
  static final int BIDI_BN = 10;
  static final int BIDI_NSM = 11;

  /** Joining types that the ContextJ rule for ZERO WIDTH NON-JOINER reads; others are 0. */
  static final int JOINING_MASK = 0x70;
  static final int JOINING_D = 0x10;
  static final int JOINING_L = 0x20;
  static final int JOINING_R = 0x30;
  static final int JOINING_T = 0x40;

  /** Canonical_Combining_Class is Virama (9). */
  static final int VIRAMA = 0x80;

  /** General_Category is a mark (Mn, Mc or Me). */
  static final int MARK = 0x100;

  private static final String RESOURCE = "idna.bin";

  final String unicodeVersion;
  private final String pool;
  private final int[] mappingStarts;
  private final int[] mappingValues;
  private final int[] propertyStarts;
  private final short[] propertyValues;

  private IdnaData(DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) throw new IOException("Not IDNA data: " + RESOURCE);
    unicodeVersion = in.readUTF();
    char[] chars = new char[in.readInt()];
    for (int i = 0; i < chars.length; i++) chars[i] = in.readChar();
    pool = new String(chars);
    int entryCount = in.readInt();
    mappingStarts = new int[entryCount];
    mappingValues = new int[entryCount];
    for (int i = 0; i < entryCount; i++) {
      mappingStarts[i] = in.readInt();
      mappingValues[i] = in.readInt();
    }
    int rangeCount = in.readInt();
    propertyStarts = new int[rangeCount];
    propertyValues = new short[rangeCount];
    for (int i = 0; i < rangeCount; i++) {
      propertyStarts[i] = in.readInt();
      propertyValues[i] = in.readShort();
    }
  }

  /** Returns the data, loading it on first use. */
  static IdnaData get() {
    return Holder.INSTANCE;
  }

  /** Returns the mapping entry of {@code codePoint}; read it with {@link #status} and friends. */
  int mapping(int codePoint) {
    return mappingValues[indexOf(mappingStarts, codePoint)];
  }

  static int status(int mapping) {
    return mapping & 0x7;
  }

  /** Appends the mapping of a {@link #MAPPED} entry to {@code out}. */
  void appendMapping(StringBuilder out, int mapping) {
    int offset = mapping >>> 8;
    out.append(pool, offset, offset + ((mapping >>> 3) & 0x1f));
  }

  /** Returns the property bits of {@code codePoint}. */
  int properties(int codePoint) {
    return propertyValues[indexOf(propertyStarts, codePoint)];
  }

  /** Returns the index of the last range in {@code starts} that starts at or before {@code key}. */
  private static int indexOf(int[] starts, int key) {
    int index = Arrays.binarySearch(starts, key);
    return index >= 0 ? index : -index - 2;
  }

  private static final class Holder {
    static final IdnaData INSTANCE = load();

    private static IdnaData load() {
      try (InputStream resource = IdnaData.class.getResourceAsStream(RESOURCE)) {
        if (resource == null) throw new IOException("Missing resource " + RESOURCE);
        return new IdnaData(new DataInputStream(new GZIPInputStream(resource)));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot load the IDNA data", e);
      }
    }
  }
}
