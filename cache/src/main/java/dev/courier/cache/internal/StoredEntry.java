package dev.courier.cache.internal;

/**
 * Describes one published version of a store entry: which generation of its metadata and body
 * files holds it, and the length and CRC-32 of each. Instances are immutable.
 *
 * @param key the entry's key: 64 lowercase hex digits
 * @param metadataGeneration the generation in the metadata file's name
 * @param metadataLength the metadata file's length in bytes
 * @param metadataCrc the CRC-32 of the metadata file
 * @param bodyGeneration the generation in the body file's name; several metadata generations may
 *     share one body when a revalidation only changed headers
 * @param bodyLength the body file's length in bytes
 * @param bodyCrc the CRC-32 of the body file
 */
public record StoredEntry(String key, long metadataGeneration, long metadataLength, long metadataCrc,
    long bodyGeneration, long bodyLength, long bodyCrc) {

  /** Returns the bytes this entry takes on disk. */
  public long sizeBytes() {
    return metadataLength + bodyLength;
  }

  /** Returns the name of the metadata file. */
  String metadataFileName() {
    return metadataFileName(key, metadataGeneration);
  }

  /** Returns the name of the body file. */
  String bodyFileName() {
    return bodyFileName(key, bodyGeneration);
  }

  static String metadataFileName(String key, long generation) {
    return key + '.' + generation + ".m";
  }

  static String bodyFileName(String key, long generation) {
    return key + '.' + generation + ".b";
  }

  /** Returns true if {@code key} is 64 lowercase hex digits, the form of a SHA-256 key. */
  static boolean isValidKey(String key) {
    if (key.length() != 64) return false;
    for (int i = 0; i < 64; i++) {
      char c = key.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
  }
}
