package dev.courier.cache.internal;

import static dev.courier.cache.internal.EntryContent.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreFilesTest {
  @TempDir Path directory;
  private StoreFiles files;

  @BeforeEach
  void setUp() {
    files = new StoreFiles(directory);
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length);
    return crc.getValue();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static StoredEntry entry(String key, long generation, byte[] metadata, long bodyGeneration,
      byte[] body) {
    return new StoredEntry(key, generation, metadata.length, crc(metadata), bodyGeneration,
        body.length, crc(body));
  }

  /** Writes both files of {@code entry} under their final names. */
  private void writeFiles(StoredEntry entry, byte[] metadata, byte[] body) throws IOException {
    Files.write(directory.resolve(entry.metadataFileName()), metadata);
    Files.write(directory.resolve(entry.bodyFileName()), body);
  }

  private List<String> fileNames() throws IOException {
    try (var stream = Files.list(directory)) {
      return stream.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void storeFileNamesAreRecognized() {
    assertThat(StoreFiles.isStoreFileName(key(1) + ".0.m")).isTrue();
    assertThat(StoreFiles.isStoreFileName(key(1) + ".12.b")).isTrue();
    assertThat(StoreFiles.isStoreFileName(key(1) + ".12.m.tmp")).isTrue();
    assertThat(StoreFiles.isStoreFileName(key(1) + ".12.b.tmp")).isTrue();
  }

  @Test
  void otherFileNamesAreNotStoreFileNames() {
    assertThat(StoreFiles.isStoreFileName(DiskStore.JOURNAL_FILE)).isFalse();
    assertThat(StoreFiles.isStoreFileName(DiskStore.JOURNAL_TEMP_FILE)).isFalse();
    assertThat(StoreFiles.isStoreFileName(DiskStore.LOCK_FILE)).isFalse();
    assertThat(StoreFiles.isStoreFileName(key(1).toUpperCase() + ".1.m")).isFalse();
    assertThat(StoreFiles.isStoreFileName(key(1).substring(1) + ".1.m")).isFalse();
    assertThat(StoreFiles.isStoreFileName(key(1) + "..m")).isFalse();
    assertThat(StoreFiles.isStoreFileName(key(1) + ".1a.m")).isFalse();
    assertThat(StoreFiles.isStoreFileName(key(1) + ".1.x")).isFalse();
    assertThat(StoreFiles.isStoreFileName(key(1) + ".1.mb")).isFalse();
    assertThat(StoreFiles.isStoreFileName(key(1) + ".1.m.bak")).isFalse();
    assertThat(StoreFiles.isStoreFileName(key(1) + ".1.m.tmp.tmp")).isFalse();
  }

  @Test
  void filesWithTheRecordedLengthsAreAccepted() throws IOException {
    byte[] metadata = ascii("meta");
    byte[] body = ascii("the body");
    StoredEntry entry = entry(key(1), 3, metadata, 3, body);
    writeFiles(entry, metadata, body);
    assertThat(files.hasRecordedLengths(entry)).isTrue();
  }

  @Test
  void missingBodyFailsTheLengthCheck() throws IOException {
    byte[] metadata = ascii("meta");
    byte[] body = ascii("the body");
    StoredEntry entry = entry(key(1), 3, metadata, 3, body);
    writeFiles(entry, metadata, body);
    Files.delete(directory.resolve(entry.bodyFileName()));
    assertThat(files.hasRecordedLengths(entry)).isFalse();
  }

  @Test
  void missingMetadataFailsTheLengthCheck() throws IOException {
    byte[] metadata = ascii("meta");
    byte[] body = ascii("the body");
    StoredEntry entry = entry(key(1), 3, metadata, 3, body);
    writeFiles(entry, metadata, body);
    Files.delete(directory.resolve(entry.metadataFileName()));
    assertThat(files.hasRecordedLengths(entry)).isFalse();
  }

  @Test
  void truncatedBodyFailsTheLengthCheck() throws IOException {
    byte[] metadata = ascii("meta");
    byte[] body = ascii("the body");
    StoredEntry entry = entry(key(1), 3, metadata, 3, body);
    writeFiles(entry, metadata, ascii("the bod"));
    assertThat(files.hasRecordedLengths(entry)).isFalse();
  }

  @Test
  void metadataMatchingLengthAndChecksumIsRead() throws IOException {
    byte[] metadata = ascii("status=200 headers...");
    StoredEntry entry = entry(key(1), 1, metadata, 1, new byte[0]);
    Path file = directory.resolve(entry.metadataFileName());
    Files.write(file, metadata);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      assertThat(StoreFiles.readMetadata(entry, channel)).isEqualTo(metadata);
    }
  }

  @Test
  void metadataFailingItsChecksumReadsAsNull() throws IOException {
    byte[] metadata = ascii("status=200 headers...");
    StoredEntry entry = entry(key(1), 1, metadata, 1, new byte[0]);
    Path file = directory.resolve(entry.metadataFileName());
    byte[] damaged = metadata.clone();
    damaged[3] ^= 0x01;
    Files.write(file, damaged);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      assertThat(StoreFiles.readMetadata(entry, channel)).isNull();
    }
  }

  @Test
  void metadataOfTheWrongLengthReadsAsNull() throws IOException {
    byte[] metadata = ascii("status=200 headers...");
    StoredEntry entry = entry(key(1), 1, metadata, 1, new byte[0]);
    Path file = directory.resolve(entry.metadataFileName());
    Files.write(file, ascii("status=200 headers...!"));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      assertThat(StoreFiles.readMetadata(entry, channel)).isNull();
    }
  }

  @Test
  void publishRenamesTheTemporaryFilesToTheirFinalNames() throws IOException {
    try (DiskStore store = DiskStore.open(directory, 1 << 20)) {
      StoreEditor editor = store.edit(key(1));
      byte[] metadata = ascii("meta");
      byte[] body = ascii("body bytes");
      Files.write(editor.metadataTempFile(), metadata);
      Files.write(editor.bodyTempFile(), body);
      StoredEntry entry = entry(key(1), editor.generation(), metadata, editor.generation(), body);

      files.publish(editor, entry, true);

      assertThat(editor.metadataTempFile()).doesNotExist();
      assertThat(editor.bodyTempFile()).doesNotExist();
      assertThat(directory.resolve(entry.metadataFileName())).hasBinaryContent(metadata);
      assertThat(directory.resolve(entry.bodyFileName())).hasBinaryContent(body);
      assertThat(files.hasRecordedLengths(entry)).isTrue();
      editor.abort();
    }
  }

  @Test
  void publishWithoutABodyMovesOnlyTheMetadataAndKeepsTheSharedBody() throws IOException {
    try (DiskStore store = DiskStore.open(directory, 1 << 20)) {
      byte[] body = ascii("shared body");
      byte[] oldMetadata = ascii("old");
      StoredEntry base = entry(key(1), 0, oldMetadata, 0, body);
      writeFiles(base, oldMetadata, body);
      StoreEditor editor = store.edit(key(1));
      byte[] metadata = ascii("new meta");
      Files.write(editor.metadataTempFile(), metadata);
      StoredEntry entry = entry(key(1), editor.generation(), metadata, base.bodyGeneration(), body);

      files.publish(editor, entry, false);

      assertThat(editor.metadataTempFile()).doesNotExist();
      assertThat(directory.resolve(entry.metadataFileName())).hasBinaryContent(metadata);
      assertThat(directory.resolve(base.bodyFileName())).hasBinaryContent(body);
      assertThat(directory.resolve(StoredEntry.bodyFileName(key(1), editor.generation())))
          .doesNotExist();
      editor.abort();
    }
  }

  @Test
  void unpublishDeletesThePublishedFiles() throws IOException {
    byte[] metadata = ascii("meta");
    byte[] body = ascii("body");
    StoredEntry entry = entry(key(1), 5, metadata, 5, body);
    writeFiles(entry, metadata, body);

    files.unpublish(entry, true);

    assertThat(directory.resolve(entry.metadataFileName())).doesNotExist();
    assertThat(directory.resolve(entry.bodyFileName())).doesNotExist();
  }

  @Test
  void unpublishWithoutABodyKeepsTheSharedBody() throws IOException {
    byte[] metadata = ascii("meta");
    byte[] body = ascii("body");
    StoredEntry entry = entry(key(1), 5, metadata, 2, body);
    writeFiles(entry, metadata, body);

    files.unpublish(entry, false);

    assertThat(directory.resolve(entry.metadataFileName())).doesNotExist();
    assertThat(directory.resolve(entry.bodyFileName())).hasBinaryContent(body);
  }

  @Test
  void replacingWithANewBodyDeletesBothOldFiles() throws IOException {
    byte[] metadata = ascii("meta");
    byte[] body = ascii("body");
    StoredEntry previous = entry(key(1), 1, metadata, 1, body);
    StoredEntry current = entry(key(1), 2, metadata, 2, body);
    writeFiles(previous, metadata, body);
    writeFiles(current, metadata, body);

    files.deleteReplaced(previous, current);

    assertThat(fileNames()).containsExactlyInAnyOrder(current.metadataFileName(),
        current.bodyFileName());
  }

  @Test
  void replacingOnlyTheMetadataKeepsTheSharedBody() throws IOException {
    byte[] metadata = ascii("meta");
    byte[] body = ascii("body");
    StoredEntry previous = entry(key(1), 1, metadata, 1, body);
    StoredEntry current = entry(key(1), 2, ascii("meta2"), 1, body);
    writeFiles(previous, metadata, body);
    Files.write(directory.resolve(current.metadataFileName()), ascii("meta2"));

    files.deleteReplaced(previous, current);

    assertThat(fileNames()).containsExactlyInAnyOrder(current.metadataFileName(),
        current.bodyFileName());
    assertThat(directory.resolve(current.bodyFileName())).hasBinaryContent(body);
  }

  @Test
  void deleteVersionDeletesBothFilesAndLeavesOtherEntries() throws IOException {
    byte[] metadata = ascii("meta");
    byte[] body = ascii("body");
    StoredEntry doomed = entry(key(1), 1, metadata, 1, body);
    StoredEntry other = entry(key(2), 2, metadata, 2, body);
    writeFiles(doomed, metadata, body);
    writeFiles(other, metadata, body);

    files.deleteVersion(doomed);

    assertThat(fileNames()).containsExactlyInAnyOrder(other.metadataFileName(),
        other.bodyFileName());
  }

  @Test
  void deleteVersionToleratesAlreadyMissingFiles() throws IOException {
    byte[] metadata = ascii("meta");
    byte[] body = ascii("body");
    StoredEntry entry = entry(key(1), 1, metadata, 1, body);
    Files.write(directory.resolve(entry.bodyFileName()), body);

    files.deleteVersion(entry);

    assertThat(fileNames()).isEmpty();
  }

  @Test
  void unreferencedStoreFilesAndAJournalRewriteAreDeleted() throws IOException {
    byte[] metadata = ascii("meta");
    byte[] body = ascii("body");
    StoredEntry live = entry(key(1), 4, metadata, 3, body);
    writeFiles(live, metadata, body);
    Files.write(directory.resolve(key(1) + ".2.m"), metadata); // a replaced version
    Files.write(directory.resolve(key(1) + ".7.b.tmp"), body); // an abandoned edit
    Files.write(directory.resolve(key(2) + ".5.m"), metadata); // a version whose line was lost
    Files.write(directory.resolve(key(2) + ".5.b"), body);
    Files.write(directory.resolve(DiskStore.JOURNAL_TEMP_FILE), ascii("half a rewrite"));
    Files.write(directory.resolve(DiskStore.JOURNAL_FILE), Journal.HEADER);
    Files.write(directory.resolve(DiskStore.LOCK_FILE), new byte[0]);
    Files.write(directory.resolve("notes.txt"), ascii("not ours"));
    Files.createDirectory(directory.resolve("subdirectory"));

    files.deleteUnreferenced(List.of(live));

    assertThat(fileNames()).containsExactlyInAnyOrder(live.metadataFileName(), live.bodyFileName(),
        DiskStore.JOURNAL_FILE, DiskStore.LOCK_FILE, "notes.txt", "subdirectory");
  }

  @Test
  void deleteAllRemovesEveryStoreFileAndTheEmptiedDirectory() throws IOException {
    Path storeDirectory = directory.resolve("store");
    Files.createDirectory(storeDirectory);
    byte[] metadata = ascii("meta");
    byte[] body = ascii("body");
    StoredEntry entry = entry(key(1), 1, metadata, 1, body);
    Files.write(storeDirectory.resolve(entry.metadataFileName()), metadata);
    Files.write(storeDirectory.resolve(entry.bodyFileName()), body);
    Files.write(storeDirectory.resolve(key(2) + ".9.b.tmp"), body);
    Files.write(storeDirectory.resolve(DiskStore.JOURNAL_FILE), Journal.HEADER);
    Files.write(storeDirectory.resolve(DiskStore.JOURNAL_TEMP_FILE), Journal.HEADER);
    Files.write(storeDirectory.resolve(DiskStore.LOCK_FILE), new byte[0]);

    new StoreFiles(storeDirectory).deleteAll();

    assertThat(storeDirectory).doesNotExist();
  }

  @Test
  void deleteAllKeepsOtherFilesAndTheirDirectory() throws IOException {
    byte[] metadata = ascii("meta");
    byte[] body = ascii("body");
    StoredEntry entry = entry(key(1), 1, metadata, 1, body);
    writeFiles(entry, metadata, body);
    Files.write(directory.resolve(DiskStore.JOURNAL_FILE), Journal.HEADER);
    Files.write(directory.resolve(DiskStore.LOCK_FILE), new byte[0]);
    Files.write(directory.resolve("notes.txt"), ascii("not ours"));

    files.deleteAll();

    assertThat(fileNames()).containsExactly("notes.txt");
  }

  @Test
  void deleteAllOfAMissingDirectoryDoesNothing() throws IOException {
    Path missing = directory.resolve("never-created");

    new StoreFiles(missing).deleteAll();

    assertThat(missing).doesNotExist();
    assertThat(directory).exists();
  }
}
