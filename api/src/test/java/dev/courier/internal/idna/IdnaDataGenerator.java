package dev.courier.internal.idna;

import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Writes {@code idna.bin}, the compact UTS #46 data that {@link IdnaData} loads, from an IDNA
 * mapping table and the Unicode Character Database's extracted property files.
 *
 * <p>The committed {@code idna.bin} holds the Unicode 13.0.0 mapping table that Debian's {@code
 * librust-idna-dev} package (0.3.0) ships, with the properties of Debian's {@code unicode-data}
 * package (15.0.0). Properties of a newer version serve an older mapping table: a code point
 * assigned after the table's version is disallowed by it, so its properties are never read.
 * Regenerate it from the repository root, after {@code mvn -pl api -am test-compile}:
 *
 * <pre>{@code
 * java -cp api/target/classes:api/target/test-classes \
 *     dev.courier.internal.idna.IdnaDataGenerator \
 *     /usr/share/cargo/registry/idna-0.3.0/src/IdnaMappingTable.txt \
 *     /usr/share/unicode/extracted \
 *     api/src/main/resources/dev/courier/internal/idna/idna.bin
 * }</pre>
 *
 * <p>To move to a newer Unicode version V, pass that version's {@code IdnaMappingTable.txt} (for
 * example one placed in {@code ../shared/conformance/}, or the one of a newer {@code
 * librust-idna-dev} or other packaged copy) and a directory of extracted property files of V or
 * later ({@code DerivedBidiClass.txt}, {@code DerivedJoiningType.txt}, {@code
 * DerivedCombiningClass.txt}, {@code DerivedGeneralCategory.txt}), and run {@code IdnaTest}
 * against the same version's {@code IdnaTestV2.txt} (see its class comment for where it looks).
 * Both the UTS #46 formats before 15.1 (with the {@code disallowed_STD3_*} statuses) and after are
 * read. The format written is described in {@link IdnaData}.
 */
public final class IdnaDataGenerator {
  private static final int CODE_POINTS = 0x110000;

  private IdnaDataGenerator() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: IdnaDataGenerator IDNA_MAPPING_TABLE UCD_EXTRACTED_DIR OUTPUT_FILE");
      System.exit(2);
    }
    Path mappingFile = Path.of(args[0]);
    Path dir = Path.of(args[1]);
    String version = unicodeVersion(mappingFile);

    // Mapping table: one entry per row, adjacent rows without a mapping merged.
    List<int[]> entries = new ArrayList<>(); // {start, status, poolOffset, length}
    StringBuilder pool = new StringBuilder();
    for (String[] row : rows(mappingFile)) {
      int[] range = range(row[0]);
      int status = status(row[1]);
      int offset = 0;
      int length = 0;
      if (status == IdnaData.MAPPED) {
        StringBuilder mapping = new StringBuilder();
        for (String hex : row[2].trim().split(" +")) mapping.appendCodePoint(Integer.parseInt(hex, 16));
        offset = pool.indexOf(mapping.toString());
        if (offset == -1) {
          offset = pool.length();
          pool.append(mapping);
        }
        length = mapping.length();
      }
      int[] last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
      if (last != null && status != IdnaData.MAPPED && last[1] == status) continue;
      entries.add(new int[] {range[0], status, offset, length});
    }

    // Properties used by the validity checks, one value per code point, then run-length encoded.
    int[] properties = new int[CODE_POINTS];
    fill(properties, dir.resolve("DerivedBidiClass.txt"),
        IdnaDataGenerator::bidiClass, IdnaData.BIDI_MASK);
    fill(properties, dir.resolve("DerivedJoiningType.txt"),
        IdnaDataGenerator::joiningType, IdnaData.JOINING_MASK);
    fill(properties, dir.resolve("DerivedCombiningClass.txt"),
        value -> value.equals("9") ? IdnaData.VIRAMA : 0, IdnaData.VIRAMA);
    fill(properties, dir.resolve("DerivedGeneralCategory.txt"),
        value -> value.startsWith("M") ? IdnaData.MARK : 0, IdnaData.MARK);
    List<int[]> propertyRanges = new ArrayList<>();
    for (int cp = 0; cp < CODE_POINTS; cp++) {
      if (cp == 0 || properties[cp] != properties[cp - 1]) {
        propertyRanges.add(new int[] {cp, properties[cp]});
      }
    }

    Path output = Path.of(args[2]).toAbsolutePath();
    Files.createDirectories(output.getParent());
    try (OutputStream file = Files.newOutputStream(output);
        DataOutputStream out = new DataOutputStream(new GZIPOutputStream(file))) {
      out.writeInt(IdnaData.MAGIC);
      out.writeUTF(version);
      out.writeInt(pool.length());
      out.writeChars(pool.toString());
      out.writeInt(entries.size());
      for (int[] entry : entries) {
        out.writeInt(entry[0]);
        out.writeInt(entry[2] << 8 | entry[3] << 3 | entry[1]);
      }
      out.writeInt(propertyRanges.size());
      for (int[] range : propertyRanges) {
        out.writeInt(range[0]);
        out.writeShort(range[1]);
      }
    }
    System.out.printf("Unicode %s: %d mapping entries, %d pool chars, %d property ranges"
        + " (properties of Unicode %s)%n", version, entries.size(), pool.length(),
        propertyRanges.size(), unicodeVersion(dir.resolve("DerivedBidiClass.txt")));
  }

  /**
   * Returns the Unicode version of a UCD file: from its {@code # Version:} line (IDNA files) or
   * from the name on its first line ({@code # DerivedBidiClass-15.0.0.txt}).
   */
  private static String unicodeVersion(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (String line : lines) {
      if (line.startsWith("# Version: ")) return line.substring("# Version: ".length()).trim();
    }
    Matcher name = Pattern.compile("^# [A-Za-z]+-([0-9.]+)\\.txt").matcher(lines.get(0));
    if (name.find()) return name.group(1);
    throw new IOException("No Unicode version in " + file);
  }

  /** Returns the data rows of a UCD file, fields split on ';', comments removed. */
  private static List<String[]> rows(Path file) throws IOException {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = reader.readLine()) != null; ) {
        int hash = line.indexOf('#');
        if (hash != -1) line = line.substring(0, hash);
        if (line.isBlank()) continue;
        String[] fields = line.split(";", -1);
        for (int i = 0; i < fields.length; i++) fields[i] = fields[i].trim();
        rows.add(fields);
      }
    }
    return rows;
  }

  /** Returns the {@code @missing} defaults of a UCD file, in file order. */
  private static List<String[]> missing(Path file) throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.startsWith("# @missing:")) continue;
      String[] fields = line.substring("# @missing:".length()).split(";");
      rows.add(new String[] {fields[0].trim(), fields[1].trim()});
    }
    return rows;
  }

  private static void fill(int[] properties, Path file,
      ToIntFunction<String> value, int mask) throws IOException {
    List<String[]> all = missing(file);
    all.addAll(rows(file));
    for (String[] row : all) {
      int[] range = range(row[0]);
      int bits = value.applyAsInt(row[1]);
      for (int cp = range[0]; cp <= range[1]; cp++) {
        properties[cp] = properties[cp] & ~mask | bits;
      }
    }
  }

  private static int[] range(String field) {
    int dots = field.indexOf("..");
    if (dots == -1) {
      int cp = Integer.parseInt(field, 16);
      return new int[] {cp, cp};
    }
    return new int[] {
        Integer.parseInt(field.substring(0, dots), 16), Integer.parseInt(field.substring(dots + 2), 16)};
  }

  private static int status(String status) {
    switch (status) {
      case "valid":
      case "deviation": // Non-transitional processing keeps deviations as they are.
      case "disallowed_STD3_valid": // Before Unicode 15.1; valid with UseSTD3ASCIIRules=false.
        return IdnaData.VALID;
      case "ignored":
        return IdnaData.IGNORED;
      case "mapped":
      case "disallowed_STD3_mapped": // Before Unicode 15.1; mapped with UseSTD3ASCIIRules=false.
        return IdnaData.MAPPED;
      case "disallowed":
        return IdnaData.DISALLOWED;
      default:
        throw new IllegalArgumentException("Unknown IDNA status: " + status);
    }
  }

  private static final Map<String, Integer> BIDI_CLASSES = Map.ofEntries(
      Map.entry("L", IdnaData.BIDI_L), Map.entry("Left_To_Right", IdnaData.BIDI_L),
      Map.entry("R", IdnaData.BIDI_R), Map.entry("Right_To_Left", IdnaData.BIDI_R),
      Map.entry("AL", IdnaData.BIDI_AL), Map.entry("Arabic_Letter", IdnaData.BIDI_AL),
      Map.entry("AN", IdnaData.BIDI_AN), Map.entry("EN", IdnaData.BIDI_EN),
      Map.entry("ES", IdnaData.BIDI_ES), Map.entry("CS", IdnaData.BIDI_CS),
      Map.entry("ET", IdnaData.BIDI_ET), Map.entry("European_Terminator", IdnaData.BIDI_ET),
      Map.entry("ON", IdnaData.BIDI_ON), Map.entry("BN", IdnaData.BIDI_BN),
      Map.entry("NSM", IdnaData.BIDI_NSM));

  private static int bidiClass(String value) {
    return BIDI_CLASSES.getOrDefault(value, IdnaData.BIDI_OTHER);
  }

  private static int joiningType(String value) {
    switch (value) {
      case "D":
        return IdnaData.JOINING_D;
      case "L":
        return IdnaData.JOINING_L;
      case "R":
        return IdnaData.JOINING_R;
      case "T":
        return IdnaData.JOINING_T;
      default:
        return 0; // U (Non_Joining) and C (Join_Causing) play no part in the ContextJ rules.
    }
  }
}
