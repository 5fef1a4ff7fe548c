package dev.courier.cache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Does the file work for the entries of a store directory: checks, publishes and deletes the files
 * of entry versions, and clears out files that no entry names. Which version is live is decided
 * by the store and its journal, never here; files of other names in the directory are left alone.
 * Stateless apart from the directory, so safe to call from any thread, though the store calls the
 * methods that rename or delete only with its lock held.
 */
final class StoreFiles {
  private final Path directory;

  StoreFiles(Path directory) {
    this.directory = directory;
  }

  /** Returns true for names of the form {@code <key>.<generation>.(m|b)[.tmp]}. */
  static boolean isStoreFileName(String name) {
    if (name.length() < 68 || name.charAt(64) != '.' || !StoredEntry.isValidKey(name.substring(0, 64))) {
      return false;
    }
    String rest = name.endsWith(".tmp") ? name.substring(65, name.length() - 4) : name.substring(65);
    int dot = rest.indexOf('.');
    if (dot <= 0 || dot != rest.length() - 2) return false;
    for (int i = 0; i < dot; i++) {
      if (rest.charAt(i) < '0' || rest.charAt(i) > '9') return false;
    }
    char kind = rest.charAt(dot + 1);
    return kind == 'm' || kind == 'b';
  }

  /** Returns true if both files of {@code entry} exist with the lengths the journal recorded. */
  boolean hasRecordedLengths(StoredEntry entry) throws IOException {
    return hasFile(entry.metadataFileName(), entry.metadataLength())
        && hasFile(entry.bodyFileName(), entry.bodyLength());
  }

  private boolean hasFile(String name, long expectedLength) throws IOException {
    try {
      return Files.size(directory.resolve(name)) == expectedLength;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** Reads the metadata of {@code entry} from {@code file}; null if it fails its checks. */
  static byte[] readMetadata(StoredEntry entry, FileChannel file) throws IOException {
    long length = file.size();
    if (length != entry.metadataLength() || length > Integer.MAX_VALUE) return null;
    ByteBuffer buffer = ByteBuffer.allocate((int) length);
    while (buffer.hasRemaining()) {
      if (file.read(buffer) == -1) return null;
    }
    byte[] bytes = buffer.array();
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length);
    return crc.getValue() == entry.metadataCrc() ? bytes : null;
  }

  /**
   * Renames the temporary files {@code editor} wrote, already forced to disk, to the final names
   * of {@code entry}; the body only if {@code hasBody}. No reader finds them until the journal
   * names them.
   */
  void publish(StoreEditor editor, StoredEntry entry, boolean hasBody) throws IOException {
    Files.move(editor.metadataTempFile(), directory.resolve(entry.metadataFileName()),
        StandardCopyOption.ATOMIC_MOVE);
    if (hasBody) {
      Files.move(editor.bodyTempFile(), directory.resolve(entry.bodyFileName()),
          StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** Deletes the files that {@link #publish} renamed, when the journal line naming them failed. */
  void unpublish(StoredEntry entry, boolean hasBody) throws IOException {
    Files.deleteIfExists(directory.resolve(entry.metadataFileName()));
    if (hasBody) Files.deleteIfExists(directory.resolve(entry.bodyFileName()));
  }

  /** Deletes the files of {@code previous} that its replacement {@code current} does not share. */
  void deleteReplaced(StoredEntry previous, StoredEntry current) throws IOException {
    Files.deleteIfExists(directory.resolve(previous.metadataFileName()));
    if (previous.bodyGeneration() != current.bodyGeneration()) {
      Files.deleteIfExists(directory.resolve(previous.bodyFileName()));
    }
  }

  /** Deletes both files of {@code entry}. */
  void deleteVersion(StoredEntry entry) throws IOException {
    Files.deleteIfExists(directory.resolve(entry.metadataFileName()));
    Files.deleteIfExists(directory.resolve(entry.bodyFileName()));
  }

  /**
   * Deletes store files that no entry in {@code live} names, and a left-over journal rewrite;
   * leaves files of other names alone.
   */
  void deleteUnreferenced(Collection<StoredEntry> live) throws IOException {
    Set<String> liveNames = new HashSet<>();
    for (StoredEntry entry : live) {
      liveNames.add(entry.metadataFileName());
      liveNames.add(entry.bodyFileName());
    }
    List<Path> doomed = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.equals(DiskStore.JOURNAL_TEMP_FILE)
            || (isStoreFileName(name) && !liveNames.contains(name))) {
          doomed.add(file);
        }
      }
    }
    for (Path file : doomed) {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Deletes every file a store makes, the journal and lock file included, and the directory if
   * that leaves it empty. Does nothing if the directory does not exist.
   */
  void deleteAll() throws IOException {
    List<Path> doomed = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (isStoreFileName(name) || name.equals(DiskStore.JOURNAL_FILE)
            || name.equals(DiskStore.JOURNAL_TEMP_FILE) || name.equals(DiskStore.LOCK_FILE)) {
          doomed.add(file);
        }
      }
    } catch (NoSuchFileException e) {
      return;
    }
    for (Path file : doomed) {
      Files.deleteIfExists(file);
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      if (!files.iterator().hasNext()) {
        Files.deleteIfExists(directory);
      }
    }
  }
}
