package dev.courier.cache.internal;

import static dev.courier.cache.internal.EntryContent.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages the journal of a store that went through a realistic history (writes, reads, header
 * updates, rewrites, a removal, an aborted write) in every way a crash or a bad disk can, and
 * checks that reopening never serves anything but the entries as last committed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiskStoreRecoveryTest {
  @TempDir Path temp;
  private Path original;
  /** The final version of each entry, as (version, body version). */
  private final Map<Integer, EntryContent.Version> finalVersions = new HashMap<>();
  private byte[] journal;

  @BeforeEach
  void buildRealisticStore() throws IOException {
    original = temp.resolve("original");
    try (DiskStore store = DiskStore.open(original, 1 << 22)) {
      for (int i = 0; i <= 5; i++) EntryContent.write(store, i, 1);
      store.get(key(0)).close();
      store.get(key(2)).close();
      try (StoreSnapshot snapshot = store.get(key(1))) {
        EntryContent.updateMetadata(snapshot, 2);
      }
      EntryContent.write(store, 2, 3);
      store.remove(key(3));
      StoreEditor aborted = store.edit(key(4));
      aborted.newBodySink().write(EntryContent.body(4, 9), 0, 10).flush();
      aborted.abort();
      EntryContent.write(store, 6, 1);
      store.get(key(5)).close();
      EntryContent.write(store, 0, 4);
      try (StoreSnapshot snapshot = store.get(key(0))) {
        EntryContent.updateMetadata(snapshot, 5);
      }
      store.get(key(5)).close();
      for (Iterator<StoreSnapshot> i = store.snapshots(); i.hasNext(); ) {
        EntryContent.Version version = EntryContent.verify(i.next());
        finalVersions.put(version.index(), version);
      }
    }
    assertThat(finalVersions.keySet()).containsExactlyInAnyOrder(0, 1, 2, 4, 5, 6);
    journal = Files.readAllBytes(original.resolve(DiskStore.JOURNAL_FILE));
    assertThat(new String(journal, java.nio.charset.StandardCharsets.US_ASCII))
        .contains("CLEAN", "READ", "REMOVE");
  }

  @Test
  void journalTruncatedAtEveryOffsetNeverServesADamagedEntry() throws IOException {
    int complete = 0;
    for (int length = 0; length <= journal.length; length++) {
      Path trial = copyOriginal("truncated-" + length);
      try (RandomAccessFile file = new RandomAccessFile(
          trial.resolve(DiskStore.JOURNAL_FILE).toFile(), "rw")) {
        file.setLength(length);
      }
      int served = reopenAndVerify(trial, "journal truncated to " + length + " bytes",
          length % 8 == 0);
      if (served == finalVersions.size()) complete++;
    }
    // The whole journal, and the journal without its last line (a read), keep every entry.
    assertThat(complete).isGreaterThanOrEqualTo(2);
  }

  @Test
  void journalWithAnyByteFlippedNeverServesADamagedEntry() throws IOException {
    for (int offset = 0; offset < journal.length; offset++) {
      Path trial = copyOriginal("flipped-" + offset);
      byte[] damaged = journal.clone();
      damaged[offset] ^= 0x10;
      Files.write(trial.resolve(DiskStore.JOURNAL_FILE), damaged);
      reopenAndVerify(trial, "journal byte " + offset + " flipped", offset % 8 == 0);
    }
  }

  @Test
  void intactJournalServesEveryEntry() throws IOException {
    Path trial = copyOriginal("intact");
    assertThat(reopenAndVerify(trial, "intact journal", true)).isEqualTo(finalVersions.size());
  }

  /**
   * Opens the store in {@code directory}, checks that every entry it serves is the final version,
   * and that no stray files remain; if {@code checkWrites}, also that it takes a write and that
   * its rewritten journal reopens. Returns the entries served.
   */
  private int reopenAndVerify(Path directory, String situation, boolean checkWrites)
      throws IOException {
    int served = 0;
    try (DiskStore store = DiskStore.open(directory, 1 << 22)) {
      Set<String> liveFiles = new HashSet<>();
      for (Iterator<StoreSnapshot> i = store.snapshots(); i.hasNext(); ) {
        StoreSnapshot snapshot = i.next();
        liveFiles.add(snapshot.entry().metadataFileName());
        liveFiles.add(snapshot.entry().bodyFileName());
        EntryContent.Version version = EntryContent.verify(snapshot);
        assertThat(version).as(situation).isEqualTo(finalVersions.get(version.index()));
        served++;
      }
      assertThat(served).as(situation).isEqualTo(store.entryCount());
      try (Stream<Path> files = Files.list(directory)) {
        assertThat(files.map(f -> f.getFileName().toString()).filter(StoreFiles::isStoreFileName))
            .as(situation)
            .containsExactlyInAnyOrderElementsOf(liveFiles);
      }
      if (checkWrites) {
        EntryContent.write(store, 99, 1);
        assertThat(EntryContent.verify(store.get(key(99))).index()).as(situation).isEqualTo(99);
      }
    }
    if (checkWrites) {
      // The rewritten journal must itself reopen cleanly.
      try (DiskStore store = DiskStore.open(directory, 1 << 22)) {
        assertThat(store.entryCount()).as(situation).isEqualTo(served + 1);
      }
    }
    deleteRecursively(directory);
    return served;
  }

  /**
   * Returns a copy of the original store. Entry files are never changed in place, only created
   * and deleted, so hard links serve as copies; the journal, which the test damages, is copied.
   */
  private Path copyOriginal(String name) throws IOException {
    Path copy = Files.createDirectory(temp.resolve(name));
    try (Stream<Path> files = Files.list(original)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = copy.resolve(file.getFileName());
        if (StoreFiles.isStoreFileName(file.getFileName().toString())) {
          Files.createLink(target, file);
        } else {
          Files.copy(file, target);
        }
      }
    }
    return copy;
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.delete(file);
      }
    }
    Files.delete(directory);
  }
}
