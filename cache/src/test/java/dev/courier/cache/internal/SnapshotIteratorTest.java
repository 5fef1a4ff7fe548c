package dev.courier.cache.internal;

import static dev.courier.cache.internal.EntryContent.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SnapshotIteratorTest {
  @TempDir Path directory;
  private DiskStore store;

  @BeforeEach
  void openStore() throws IOException {
    store = DiskStore.open(directory, 1 << 20);
    for (int i = 0; i < 3; i++) {
      assertThat(EntryContent.write(store, i, 1)).isTrue();
    }
  }

  @AfterEach
  void closeStore() throws IOException {
    store.close();
  }

  private static List<Integer> drain(SnapshotIterator iterator) throws IOException {
    List<Integer> indexes = new ArrayList<>();
    while (iterator.hasNext()) {
      indexes.add(EntryContent.verify(iterator.next()).index());
    }
    return indexes;
  }

  @Test
  void yieldsTheEntriesOfTheKeysInListOrder() throws IOException {
    SnapshotIterator iterator = new SnapshotIterator(store, List.of(key(2), key(0), key(1)));

    assertThat(drain(iterator)).containsExactly(2, 0, 1);
  }

  @Test
  void skipsEntriesRemovedAfterTheKeysWereTaken() throws IOException {
    SnapshotIterator iterator = new SnapshotIterator(store, store.keys());
    store.remove(key(0));
    store.remove(key(2));

    assertThat(drain(iterator)).containsExactly(1);
  }

  @Test
  void skipsKeysWithNoEntry() throws IOException {
    SnapshotIterator iterator = new SnapshotIterator(store, List.of(key(7), key(1), key(8)));

    assertThat(drain(iterator)).containsExactly(1);
  }

  @Test
  void skipsAndRemovesAnEntryWithDamagedMetadata() throws IOException {
    StoredEntry damaged;
    try (StoreSnapshot snapshot = store.get(key(1), false)) {
      damaged = snapshot.entry();
    }
    Path metadataFile = directory.resolve(damaged.metadataFileName());
    byte[] bytes = Files.readAllBytes(metadataFile);
    bytes[0] ^= 0x01;
    Files.write(metadataFile, bytes);

    assertThat(drain(new SnapshotIterator(store, store.keys()))).containsExactly(0, 2);
    assertThat(store.keys()).containsExactly(key(0), key(2));
  }

  @Test
  void readingDoesNotChangeLeastRecentlyUsedOrder() throws IOException {
    List<String> before = store.keys();
    long journalLength = Files.size(directory.resolve(DiskStore.JOURNAL_FILE));

    assertThat(drain(new SnapshotIterator(store, List.of(key(0), key(1), key(2)))))
        .containsExactly(0, 1, 2);

    assertThat(store.keys()).isEqualTo(before);
    assertThat(Files.size(directory.resolve(DiskStore.JOURNAL_FILE))).isEqualTo(journalLength);
  }

  @Test
  void hasNextDoesNotAdvancePastAnUnreturnedSnapshot() throws IOException {
    SnapshotIterator iterator = new SnapshotIterator(store, List.of(key(0), key(1)));

    assertThat(iterator.hasNext()).isTrue();
    assertThat(iterator.hasNext()).isTrue();
    assertThat(EntryContent.verify(iterator.next()).index()).isZero();
    assertThat(EntryContent.verify(iterator.next()).index()).isEqualTo(1);
    assertThat(iterator.hasNext()).isFalse();
  }

  @Test
  void nextPastTheEndThrows() throws IOException {
    SnapshotIterator iterator = new SnapshotIterator(store, List.of(key(0)));
    EntryContent.verify(iterator.next());

    assertThatThrownBy(iterator::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void endsWhenTheStoreCloses() throws IOException {
    SnapshotIterator iterator = new SnapshotIterator(store, store.keys());
    EntryContent.verify(iterator.next());

    store.close();

    assertThat(iterator.hasNext()).isFalse();
    assertThatThrownBy(iterator::next).isInstanceOf(NoSuchElementException.class);
  }
}
