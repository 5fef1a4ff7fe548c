package dev.courier.cache.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Reads and writes the store's journal: a header, then one line per operation, each line ending
 * with the CRC-32 of its text so that a torn or damaged line is recognized.
 *
 * <pre>
 * courier-disk-store
 * 1
 *
 * CLEAN 3f2a…(64 hex) 12 845 1c2d3e4f 12 2048 5a6b7c8d 0a1b2c3d
 * READ 3f2a… 77e0f1a2
 * REMOVE 3f2a… 9b8c7d6e
 * </pre>
 *
 * <p>{@code CLEAN key metadataGeneration metadataLength metadataCrc bodyGeneration bodyLength
 * bodyCrc} publishes a version of an entry; {@code READ} records an access for LRU order; {@code
 * REMOVE} deletes an entry. Replay stops at the first line that is incomplete, fails its checksum
 * or does not parse: everything after it is untrusted.
 */
final class Journal {
  static final String MAGIC = "courier-disk-store";
  static final String VERSION = "1";
  static final byte[] HEADER = (MAGIC + "\n" + VERSION + "\n\n").getBytes(StandardCharsets.US_ASCII);

  private static final String CLEAN = "CLEAN";
  private static final String READ = "READ";
  private static final String REMOVE = "REMOVE";

  private Journal() {}

  /** The state a journal describes, and how much of it could be trusted. */
  static final class Replay {
    /** Entries, least recently used first. */
    final LinkedHashMap<String, StoredEntry> entries = new LinkedHashMap<>();
    /** Lines that no longer describe a live entry, which a rebuild would drop. */
    int redundantOpCount;
    /** The highest file generation any trusted line names. */
    long maxGeneration;
    /** False if the header or some line was missing, torn or damaged. */
    boolean intact = true;
    /** False if there was no journal file. */
    boolean existed = true;
  }

  /** Replays the journal at {@code path}; a missing file replays as an empty store. */
  static Replay replay(Path path) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readAllBytes();
    } catch (NoSuchFileException e) {
      Replay replay = new Replay();
      replay.existed = false;
      replay.intact = false;
      return replay;
    }
    return replay(bytes);
  }

  /** Replays the journal held in {@code bytes}. */
  static Replay replay(byte[] bytes) {
    Replay replay = new Replay();
    if (bytes.length < HEADER.length || !startsWithHeader(bytes)) {
      replay.intact = false;
      return replay;
    }
    int pos = HEADER.length;
    while (pos < bytes.length) {
      int newline = indexOf(bytes, (byte) '\n', pos);
      if (newline == -1) {
        replay.intact = false; // A torn last line: the process died while appending it.
        return replay;
      }
      String line = new String(bytes, pos, newline - pos, StandardCharsets.US_ASCII);
      pos = newline + 1;
      if (!apply(line, replay)) {
        replay.intact = false;
        return replay;
      }
    }
    return replay;
  }

  private static boolean startsWithHeader(byte[] bytes) {
    for (int i = 0; i < HEADER.length; i++) {
      if (bytes[i] != HEADER[i]) return false;
    }
    return true;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) return i;
    }
    return -1;
  }

  /** Applies one line to {@code replay}; returns false if the line is damaged. */
  private static boolean apply(String line, Replay replay) {
    int lastSpace = line.lastIndexOf(' ');
    if (lastSpace == -1 || line.length() - lastSpace - 1 != 8) return false;
    String payload = line.substring(0, lastSpace);
    long checksum = parseHex(line, lastSpace + 1, line.length());
    if (checksum == -1 || checksum != crc(payload)) return false;

    List<String> parts = split(payload);
    String kind = parts.get(0);
    if (parts.size() < 2 || !StoredEntry.isValidKey(parts.get(1))) return false;
    String key = parts.get(1);
    switch (kind) {
      case CLEAN: {
        if (parts.size() != 8) return false;
        long metadataGeneration = parseDecimal(parts.get(2));
        long metadataLength = parseDecimal(parts.get(3));
        long metadataCrc = parseHex(parts.get(4), 0, parts.get(4).length());
        long bodyGeneration = parseDecimal(parts.get(5));
        long bodyLength = parseDecimal(parts.get(6));
        long bodyCrc = parseHex(parts.get(7), 0, parts.get(7).length());
        if (metadataGeneration < 0 || metadataLength < 0 || metadataCrc < 0
            || bodyGeneration < 0 || bodyLength < 0 || bodyCrc < 0) {
          return false;
        }
        StoredEntry previous = replay.entries.remove(key);
        replay.entries.put(key, new StoredEntry(key, metadataGeneration,
            metadataLength, metadataCrc, bodyGeneration, bodyLength, bodyCrc));
        if (previous != null) replay.redundantOpCount++;
        replay.maxGeneration = Math.max(replay.maxGeneration,
            Math.max(metadataGeneration, bodyGeneration));
        return true;
      }
      case READ:
        if (parts.size() != 2) return false;
        StoredEntry read = replay.entries.remove(key);
        if (read != null) replay.entries.put(key, read); // The most recently used end.
        replay.redundantOpCount++;
        return true;
      case REMOVE:
        if (parts.size() != 2) return false;
        if (replay.entries.remove(key) != null) replay.redundantOpCount++;
        replay.redundantOpCount++;
        return true;
      default:
        return false;
    }
  }

  static byte[] cleanLine(StoredEntry entry) {
    return line(CLEAN + ' ' + entry.key() + ' ' + entry.metadataGeneration() + ' '
        + entry.metadataLength() + ' ' + hex(entry.metadataCrc()) + ' ' + entry.bodyGeneration()
        + ' ' + entry.bodyLength() + ' ' + hex(entry.bodyCrc()));
  }

  static byte[] readLine(String key) {
    return line(READ + ' ' + key);
  }

  static byte[] removeLine(String key) {
    return line(REMOVE + ' ' + key);
  }

  private static byte[] line(String payload) {
    return (payload + ' ' + hex(crc(payload)) + '\n').getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Writes a journal holding {@code entries}, in order, to {@code path}, replacing any file there,
   * and forces it to disk.
   */
  static void writeCompact(Path path, Iterable<StoredEntry> entries) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      buffer.put(HEADER);
      for (StoredEntry entry : entries) {
        byte[] line = cleanLine(entry);
        if (buffer.remaining() < line.length) {
          buffer.flip();
          writeFully(channel, buffer);
          buffer.clear();
        }
        buffer.put(line);
      }
      buffer.flip();
      writeFully(channel, buffer);
      channel.force(false);
    }
  }

  static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  static long crc(String payload) {
    CRC32 crc = new CRC32();
    byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
    crc.update(bytes, 0, bytes.length);
    return crc.getValue();
  }

  static String hex(long crc) {
    char[] out = new char[8];
    for (int i = 7; i >= 0; i--) {
      out[i] = Character.forDigit((int) (crc & 0xf), 16);
      crc >>>= 4;
    }
    return new String(out);
  }

  private static List<String> split(String payload) {
    List<String> result = new ArrayList<>(8);
    int start = 0;
    for (int i = 0; i <= payload.length(); i++) {
      if (i == payload.length() || payload.charAt(i) == ' ') {
        result.add(payload.substring(start, i));
        start = i + 1;
      }
    }
    return result;
  }

  /** Returns the non-negative decimal in {@code s}, or -1 if it is not one. */
  private static long parseDecimal(String s) {
    if (s.isEmpty() || s.length() > 18) return -1;
    long result = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return -1;
      result = result * 10 + (c - '0');
    }
    return result;
  }

  /** Returns the 8-digit lowercase hex number in {@code s[start..end)}, or -1. */
  private static long parseHex(String s, int start, int end) {
    if (end - start != 8) return -1;
    long result = 0;
    for (int i = start; i < end; i++) {
      int digit = Character.digit(s.charAt(i), 16);
      if (digit == -1 || Character.isUpperCase(s.charAt(i))) return -1;
      result = (result << 4) | digit;
    }
    return result;
  }
}
