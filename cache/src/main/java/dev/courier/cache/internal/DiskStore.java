package dev.courier.cache.internal;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Stores entries, each a metadata blob and a body, in a directory, bounded in size with
 * least-recently-used eviction, and safe against the process dying at any moment.
 *
 * <p><b>Files.</b> A version of an entry is two files named for the key and a generation number,
 * {@code <key>.<generation>.m} (metadata) and {@code <key>.<generation>.b} (body). Files are never
 * changed once published: an edit writes {@code .tmp} files, forces them to disk, renames them to
 * their final names and only then appends a {@code CLEAN} line to the journal (see {@link
 * Journal}); files of the replaced version are deleted after that. The journal line is what
 * publishes a version, so a crash at any point leaves either the old version or the new one.
 *
 * <p><b>Recovery.</b> On open the journal is replayed up to its first torn or damaged line; an
 * entry whose files are missing or have the wrong length is dropped; files that no live entry
 * names (temporary files, versions whose line was lost) are deleted; and the journal is rewritten
 * if anything was dropped. Metadata is checked against its CRC-32 on every read and bodies at the
 * end of every read, so a damaged entry is removed rather than served.
 *
 * <p><b>Concurrency.</b> Thread-safe. Any number of readers, and one editor per key; readers keep
 * reading the version they opened while a new one is committed. A lock file keeps a second store
 * (in this process or another) from opening the same directory.
 *
 * <p><b>Parts.</b> This class keeps the entries in LRU order with their total size, the editors,
 * and the lock, and decides what happens in which order; {@link StoreFiles} does the file work,
 * {@link JournalWriter} appends to and rewrites the journal, {@link DirectoryLock} holds the lock
 * file, and {@link SnapshotIterator} walks the entries for {@link #snapshots()}.
 */
public final class DiskStore implements Closeable, Flushable {
  static final String JOURNAL_FILE = "journal";
  static final String JOURNAL_TEMP_FILE = "journal.tmp";
  static final String LOCK_FILE = "lock";

  private final Path directory;
  private final long maxSizeBytes;
  private final DirectoryLock directoryLock;
  private final StoreFiles files;
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock. Insertion order is LRU order: an access moves an entry to the end.
  private final LinkedHashMap<String, StoredEntry> entries;
  private final Map<String, StoreEditor> editors = new HashMap<>();
  private final JournalWriter journal;
  private long size;
  private long nextGeneration;
  private boolean closed;

  private DiskStore(Path directory, long maxSizeBytes, DirectoryLock directoryLock,
      Journal.Replay replay) {
    this.directory = directory;
    this.maxSizeBytes = maxSizeBytes;
    this.directoryLock = directoryLock;
    this.files = new StoreFiles(directory);
    this.entries = replay.entries;
    this.journal = new JournalWriter(directory, entries.values(), replay.redundantOpCount);
  }

  /**
   * Opens the store in {@code directory}, creating the directory if needed, and recovers it from
   * any earlier crash.
   *
   * @throws IllegalArgumentException if {@code maxSizeBytes} is not positive
   * @throws IOException if the directory cannot be used or is in use by another store
   */
  public static DiskStore open(Path directory, long maxSizeBytes) throws IOException {
    if (maxSizeBytes <= 0) {
      throw new IllegalArgumentException("maxSizeBytes <= 0: " + maxSizeBytes);
    }
    Files.createDirectories(directory);
    DirectoryLock directoryLock = DirectoryLock.acquire(directory);
    DiskStore store = null;
    try {
      Journal.Replay replay = Journal.replay(directory.resolve(JOURNAL_FILE));
      store = new DiskStore(directory, maxSizeBytes, directoryLock, replay);
      store.recover(replay);
      return store;
    } catch (IOException | RuntimeException e) {
      if (store != null) {
        // Recovery may have opened the journal before it failed; leave no channel open.
        try {
          store.journal.close();
        } catch (IOException closeFailure) {
          e.addSuppressed(closeFailure);
        }
      }
      directoryLock.release();
      throw e;
    }
  }

  /**
   * Drops replayed entries whose files are missing or of the wrong length, deletes files that no
   * live entry names, and rewrites the journal if it was damaged or anything was dropped.
   */
  private void recover(Journal.Replay replay) throws IOException {
    lock.lock();
    try {
      boolean dropped = false;
      for (Iterator<StoredEntry> i = entries.values().iterator(); i.hasNext(); ) {
        StoredEntry entry = i.next();
        if (!files.hasRecordedLengths(entry)) {
          i.remove();
          dropped = true;
        } else {
          size += entry.sizeBytes();
        }
      }
      files.deleteUnreferenced(entries.values());
      nextGeneration = replay.maxGeneration + 1;
      if (!replay.intact || dropped || journal.hasTooManyRedundantLines()) {
        journal.rebuild();
      } else {
        journal.openForAppend();
      }
      trimToSize();
    } finally {
      lock.unlock();
    }
  }

  /** Returns the directory this store keeps its files in. */
  public Path directory() {
    return directory;
  }

  /** Returns the size limit in bytes. */
  public long maxSizeBytes() {
    return maxSizeBytes;
  }

  /** Returns the bytes taken by published entries, metadata and bodies. */
  public long size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  /** Returns the number of published entries. */
  public int entryCount() {
    lock.lock();
    try {
      return entries.size();
    } finally {
      lock.unlock();
    }
  }

  /** Returns true once the store was closed. */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns a snapshot of the entry for {@code key} and records the access for LRU order, or null
   * if there is none or it was found damaged (and removed).
   *
   * @throws IllegalStateException if the store is closed
   */
  public StoreSnapshot get(String key) throws IOException {
    return get(key, true);
  }

  /** Returns a snapshot as {@link #get(String)} does, recording the access only if asked to. */
  StoreSnapshot get(String key, boolean recordAccess) throws IOException {
    StoredEntry entry;
    FileChannel metadata;
    FileChannel body;
    lock.lock();
    try {
      checkNotClosed();
      entry = entries.get(key);
      if (entry == null) return null;
      // Both files are opened under the lock, so they are the pair the journal names even if a
      // new version replaces them a moment later.
      try {
        metadata = FileChannel.open(directory.resolve(entry.metadataFileName()), StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        removeEntry(key);
        return null;
      }
      try {
        body = FileChannel.open(directory.resolve(entry.bodyFileName()), StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        metadata.close();
        removeEntry(key);
        return null;
      }
      if (recordAccess) {
        touch(entry);
        journal.addRedundantLines(1);
        try {
          journal.append(Journal.readLine(key));
          journal.rebuildIfNeeded();
        } catch (IOException | RuntimeException e) {
          closeBoth(metadata, body, e);
          throw e;
        }
      }
    } finally {
      lock.unlock();
    }
    byte[] metadataBytes;
    try (metadata) {
      metadataBytes = StoreFiles.readMetadata(entry, metadata);
    } catch (IOException e) {
      body.close();
      throw e;
    }
    if (metadataBytes == null) {
      body.close();
      removeDamaged(entry);
      return null;
    }
    return new StoreSnapshot(this, entry, metadataBytes, body);
  }

  /** Closes both files of a snapshot that will not be handed out, keeping {@code failure} first. */
  private static void closeBoth(FileChannel metadata, FileChannel body, Exception failure) {
    for (FileChannel channel : new FileChannel[] {metadata, body}) {
      try {
        channel.close();
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }

  /** Moves {@code entry} to the most recently used end. Call with the lock held. */
  private void touch(StoredEntry entry) {
    entries.remove(entry.key());
    entries.put(entry.key(), entry);
  }

  /**
   * Returns an editor for a new version of {@code key}, or null if another edit of it is in
   * progress.
   *
   * @throws IllegalArgumentException if {@code key} is not 64 lowercase hex digits
   * @throws IllegalStateException if the store is closed
   */
  public StoreEditor edit(String key) throws IOException {
    if (!StoredEntry.isValidKey(key)) {
      throw new IllegalArgumentException("key is not 64 lowercase hex digits: " + key);
    }
    return edit(key, null);
  }

  /**
   * Returns an editor if no edit of {@code key} is running and, when {@code expected} is non-null,
   * the entry is still that version; otherwise null.
   */
  StoreEditor edit(String key, StoredEntry expected) throws IOException {
    lock.lock();
    try {
      checkNotClosed();
      if (editors.containsKey(key)) return null;
      StoredEntry current = entries.get(key);
      if (expected != null && !expected.equals(current)) return null;
      StoreEditor editor = new StoreEditor(this, key, nextGeneration++, current);
      editors.put(key, editor);
      return editor;
    } finally {
      lock.unlock();
    }
  }

  /** Publishes the version that {@code editor} wrote. Called by {@link StoreEditor#commit}. */
  void completeEdit(StoreEditor editor, long metadataLength, long metadataCrc, boolean hasBody,
      long bodyLength, long bodyCrc) throws IOException {
    String key = editor.key();
    lock.lock();
    try {
      if (editors.get(key) == editor) editors.remove(key);
      if (editor.detached || closed) {
        throw new IOException("cache entry " + key + " was removed while it was being written");
      }
      StoredEntry base = editor.base();
      StoredEntry current = entries.get(key);
      // An edit keeping the old body is valid only while that body is still the entry's.
      if (!hasBody && (base == null || !base.equals(current))) {
        throw new IOException("cache entry " + key + " changed while its headers were updated");
      }
      StoredEntry entry = hasBody
          ? new StoredEntry(key, editor.generation(), metadataLength, metadataCrc,
              editor.generation(), bodyLength, bodyCrc)
          : new StoredEntry(key, editor.generation(), metadataLength, metadataCrc,
              base.bodyGeneration(), base.bodyLength(), base.bodyCrc());
      // The files are on disk under their final names before the journal line publishes them.
      files.publish(editor, entry, hasBody);
      try {
        journal.append(Journal.cleanLine(entry));
      } catch (IOException e) {
        files.unpublish(entry, hasBody);
        throw e;
      }
      StoredEntry previous = entries.remove(key);
      entries.put(key, entry);
      size += entry.sizeBytes();
      if (previous != null) {
        journal.addRedundantLines(1);
        size -= previous.sizeBytes();
        files.deleteReplaced(previous, entry);
      }
      trimToSize();
      journal.rebuildIfNeeded();
    } finally {
      lock.unlock();
    }
  }

  /** Forgets an editor that gave up, and deletes its temporary files. */
  void editAborted(StoreEditor editor) {
    lock.lock();
    try {
      if (editors.get(editor.key()) == editor) editors.remove(editor.key());
    } finally {
      lock.unlock();
    }
    editor.deleteTempFiles();
  }

  /**
   * Removes the entry for {@code key}; an edit of it in progress will fail to commit. Returns true
   * if there was an entry.
   *
   * @throws IllegalStateException if the store is closed
   */
  public boolean remove(String key) throws IOException {
    lock.lock();
    try {
      checkNotClosed();
      return removeEntry(key);
    } finally {
      lock.unlock();
    }
  }

  /** Removes {@code entry} if it is still the current version of its key; for damaged entries. */
  void removeDamaged(StoredEntry entry) {
    lock.lock();
    try {
      if (!closed && entry.equals(entries.get(entry.key()))) {
        removeEntry(entry.key());
      }
    } catch (IOException ignored) {
      // The damaged files stay until the next open, which drops them by their lengths or
      // checksums; the journal is rebuilt then.
    } finally {
      lock.unlock();
    }
  }

  private boolean removeEntry(String key) throws IOException {
    StoreEditor editor = editors.remove(key);
    if (editor != null) editor.detached = true;
    StoredEntry entry = entries.remove(key);
    if (entry == null) return false;
    size -= entry.sizeBytes();
    journal.addRedundantLines(2);
    journal.append(Journal.removeLine(key));
    files.deleteVersion(entry);
    journal.rebuildIfNeeded();
    return true;
  }

  /**
   * Removes every entry; edits in progress will fail to commit.
   *
   * @throws IllegalStateException if the store is closed
   */
  public void evictAll() throws IOException {
    lock.lock();
    try {
      checkNotClosed();
      for (StoreEditor editor : editors.values()) {
        editor.detached = true;
      }
      editors.clear();
      for (String key : new ArrayList<>(entries.keySet())) {
        removeEntry(key);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the keys of the entries, least recently used first, as of this call; iterating does
   * not change LRU order.
   */
  public List<String> keys() {
    lock.lock();
    try {
      checkNotClosed();
      return new ArrayList<>(entries.keySet());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns an iterator of snapshots of the entries present when it was created, skipping any
   * removed since; it does not change LRU order. Close each snapshot returned.
   */
  public Iterator<StoreSnapshot> snapshots() {
    return new SnapshotIterator(this, keys());
  }

  /** Writes buffered journal lines through to the disk. */
  @Override
  public void flush() throws IOException {
    lock.lock();
    try {
      if (closed) return;
      journal.force();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Forces the journal to disk, closes the store and releases its directory; edits in progress
   * will fail. Idempotent.
   */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (closed) return;
      closed = true;
      for (StoreEditor editor : editors.values()) {
        editor.detached = true;
      }
      editors.clear();
      try {
        journal.close();
      } finally {
        directoryLock.release();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Closes the store and deletes every file it made, and the directory if that leaves it empty. */
  public void delete() throws IOException {
    close();
    files.deleteAll();
  }

  private void checkNotClosed() {
    if (closed) {
      throw new IllegalStateException("cache in " + directory + " is closed");
    }
  }

  private void trimToSize() throws IOException {
    while (size > maxSizeBytes && !entries.isEmpty()) {
      removeEntry(entries.keySet().iterator().next());
    }
  }
}
