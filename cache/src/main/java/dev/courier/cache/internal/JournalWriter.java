package dev.courier.cache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;

/**
 * Appends lines to a store's journal, counts the lines that no longer describe a live entry, and
 * rewrites the journal compactly once there are enough of them. Not thread-safe: the store calls
 * it with its lock held.
 *
 * <p>A rewrite goes to {@code journal.tmp}, is forced to disk and atomically renamed over the
 * journal, so a crash leaves either the old journal or the new one. An append that fails may leave
 * a torn line at the end of the file, so after one the journal is rewritten before anything else
 * is appended.
 */
final class JournalWriter {
  /** Journal lines beyond the live entries that trigger a rewrite of the journal. */
  static final int REBUILD_THRESHOLD = 2000;

  private final Path directory;
  // A live view of the store's entries, least recently used first; read only to rewrite.
  private final Collection<StoredEntry> liveEntries;
  private FileChannel channel;
  private int redundantOpCount;
  private boolean rebuildRequired;

  /**
   * Creates a writer for the journal in {@code directory}; call {@link #openForAppend} or {@link
   * #rebuild} before appending.
   */
  JournalWriter(Path directory, Collection<StoredEntry> liveEntries, int redundantOpCount) {
    this.directory = directory;
    this.liveEntries = liveEntries;
    this.redundantOpCount = redundantOpCount;
  }

  /** Opens the existing journal to append to it, keeping what it holds. */
  void openForAppend() throws IOException {
    channel = FileChannel.open(directory.resolve(DiskStore.JOURNAL_FILE), StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
  }

  /** Records that {@code count} more lines of the journal no longer describe a live entry. */
  void addRedundantLines(int count) {
    redundantOpCount += count;
  }

  /** Returns true once the redundant lines pass the threshold and outnumber the live entries. */
  boolean hasTooManyRedundantLines() {
    return redundantOpCount >= REBUILD_THRESHOLD && redundantOpCount >= liveEntries.size();
  }

  /**
   * Appends {@code line}; if that fails, the journal may end in a torn line, so it is rewritten
   * before anything else is appended.
   */
  void append(byte[] line) throws IOException {
    if (rebuildRequired || channel == null) rebuild();
    try {
      Journal.writeFully(channel, ByteBuffer.wrap(line));
    } catch (IOException e) {
      rebuildRequired = true;
      throw e;
    }
  }

  /** Rewrites the journal if an append failed or it has too many redundant lines. */
  void rebuildIfNeeded() throws IOException {
    if (rebuildRequired || hasTooManyRedundantLines()) rebuild();
  }

  /** Writes a compact journal of the live entries and swaps it in atomically. */
  void rebuild() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
    rebuildRequired = true;
    Path temp = directory.resolve(DiskStore.JOURNAL_TEMP_FILE);
    Journal.writeCompact(temp, new ArrayList<>(liveEntries));
    Files.move(temp, directory.resolve(DiskStore.JOURNAL_FILE), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    openForAppend();
    redundantOpCount = 0;
    rebuildRequired = false;
  }

  /** Forces appended lines to disk, first rewriting the journal if it may be torn. */
  void force() throws IOException {
    if (rebuildRequired || channel == null) rebuild();
    channel.force(false);
  }

  /**
   * Forces appended lines to disk and closes the journal, if it was opened; first rewrites it if
   * an append failed, so no torn line is left behind. Idempotent.
   */
  void close() throws IOException {
    if (channel == null) return;
    try {
      if (rebuildRequired) rebuild();
      channel.force(false);
    } finally {
      if (channel != null) {
        channel.close();
        channel = null;
      }
    }
  }
}
