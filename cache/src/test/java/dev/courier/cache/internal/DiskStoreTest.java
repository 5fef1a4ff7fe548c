package dev.courier.cache.internal;

import static dev.courier.cache.internal.EntryContent.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.DirectoryStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DiskStoreTest {
  @TempDir Path temp;
  private Path directory;
  private DiskStore store;

  @BeforeEach
  void setUp() {
    directory = temp.resolve("store");
  }

  @AfterEach
  void closeStore() throws IOException {
    if (store != null) store.close();
  }

  private DiskStore open(long maxSize) throws IOException {
    if (store != null) store.close();
    store = DiskStore.open(directory, maxSize);
    return store;
  }

  @Test
  void committedEntryIsReadBackAfterReopening() throws IOException {
    open(1 << 20);
    assertThat(EntryContent.write(store, 1, 1)).isTrue();
    assertThat(EntryContent.verify(store.get(key(1)))).isEqualTo(new EntryContent.Version(1, 1, 1));

    open(1 << 20);
    assertThat(store.entryCount()).isEqualTo(1);
    assertThat(store.size())
        .isEqualTo(EntryContent.body(1, 1).length + EntryContent.metadata(1, 1, 1).length);
    assertThat(EntryContent.verify(store.get(key(1)))).isEqualTo(new EntryContent.Version(1, 1, 1));
  }

  @Test
  void failedReadRecordLeavesNoFileOfTheEntryOpen() throws IOException {
    Path descriptors = Path.of("/proc/self/fd");
    assumeTrue(Files.isDirectory(descriptors), "needs /proc/self/fd to list open files");
    open(1 << 20);
    assertThat(EntryContent.write(store, 1, 1)).isTrue();
    // An interrupted thread's journal append closes the channel and fails, after get() has
    // opened the entry's two files.
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> store.get(key(1))).isInstanceOf(IOException.class);
    } finally {
      Thread.interrupted();
    }
    List<String> open = new ArrayList<>();
    Path storeDirectory = directory.toRealPath();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(descriptors)) {
      for (Path fd : fds) {
        try {
          Path target = Files.readSymbolicLink(fd);
          if (target.startsWith(storeDirectory)) {
            open.add(target.getFileName().toString());
          }
        } catch (IOException closedMeanwhile) {
          // The descriptor of the directory listing itself, or one closed while listing.
        }
      }
    }
    assertThat(open).noneMatch(name -> name.endsWith(".m") || name.endsWith(".b"));
  }

  @Test
  void missingEntryReadsAsNull() throws IOException {
    open(1 << 20);
    assertThat(store.get(key(7))).isNull();
  }

  @Test
  void abortedEditLeavesNothingBehind() throws IOException {
    open(1 << 20);
    StoreEditor editor = store.edit(key(1));
    editor.newBodySink().write(new byte[5000]).flush();
    editor.abort();

    assertThat(store.get(key(1))).isNull();
    assertThat(storeFiles()).isEmpty();
    open(1 << 20);
    assertThat(store.entryCount()).isZero();
  }

  @Test
  void editAbortedMidBodyKeepsThePreviousVersion() throws IOException {
    open(1 << 20);
    EntryContent.write(store, 1, 1);
    StoreEditor editor = store.edit(key(1));
    editor.newBodySink().write(EntryContent.body(1, 2), 0, 100).flush();
    editor.abort();

    assertThat(EntryContent.verify(store.get(key(1))).version()).isEqualTo(1);
    assertThat(storeFiles()).hasSize(2);
  }

  @Test
  void uncommittedEditIsInvisibleToReaders() throws IOException {
    open(1 << 20);
    EntryContent.write(store, 1, 1);
    StoreEditor editor = store.edit(key(1));
    BufferedSink sink = editor.newBodySink();
    sink.write(EntryContent.body(1, 2)).flush();

    assertThat(EntryContent.verify(store.get(key(1))).version()).isEqualTo(1);
    editor.commit(EntryContent.metadata(1, 2, 2));
    assertThat(EntryContent.verify(store.get(key(1))).version()).isEqualTo(2);
  }

  @Test
  void onlyOneEditorPerKey() throws IOException {
    open(1 << 20);
    StoreEditor first = store.edit(key(1));
    assertThat(store.edit(key(1))).isNull();
    assertThat(store.edit(key(2))).isNotNull();
    first.abort();
    assertThat(store.edit(key(1))).isNotNull();
  }

  @Test
  void metadataUpdateKeepsTheBody() throws IOException {
    open(1 << 20);
    EntryContent.write(store, 1, 1);
    try (StoreSnapshot snapshot = store.get(key(1))) {
      assertThat(EntryContent.updateMetadata(snapshot, 5)).isTrue();
    }
    assertThat(EntryContent.verify(store.get(key(1)))).isEqualTo(new EntryContent.Version(1, 5, 1));
    open(1 << 20);
    assertThat(EntryContent.verify(store.get(key(1)))).isEqualTo(new EntryContent.Version(1, 5, 1));
    assertThat(storeFiles()).hasSize(2);
  }

  @Test
  void snapshotEditFailsOnceTheEntryChanged() throws IOException {
    open(1 << 20);
    EntryContent.write(store, 1, 1);
    StoreSnapshot snapshot = store.get(key(1));
    EntryContent.write(store, 1, 2);
    assertThat(snapshot.edit()).isNull();
    snapshot.close();
  }

  @Test
  void readerKeepsItsVersionWhileANewOneIsCommitted() throws IOException {
    open(1 << 20);
    EntryContent.write(store, 3, 1);
    StoreSnapshot old = store.get(key(3));
    EntryContent.write(store, 3, 2);
    store.remove(key(3));
    EntryContent.write(store, 3, 3);

    assertThat(EntryContent.verify(old).version()).isEqualTo(1);
    assertThat(EntryContent.verify(store.get(key(3))).version()).isEqualTo(3);
  }

  @Test
  void removeDeletesTheFiles() throws IOException {
    open(1 << 20);
    EntryContent.write(store, 1, 1);
    assertThat(store.remove(key(1))).isTrue();
    assertThat(store.remove(key(1))).isFalse();
    assertThat(store.get(key(1))).isNull();
    assertThat(store.size()).isZero();
    assertThat(storeFiles()).isEmpty();
  }

  @Test
  void removeDuringEditMakesTheCommitFail() throws IOException {
    open(1 << 20);
    EntryContent.write(store, 1, 1);
    StoreEditor editor = store.edit(key(1));
    editor.newBodySink().write(EntryContent.body(1, 2)).flush();
    store.remove(key(1));

    assertThatThrownBy(() -> editor.commit(EntryContent.metadata(1, 2, 2)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("removed while it was being written");
    assertThat(store.get(key(1))).isNull();
    assertThat(storeFiles()).isEmpty();
  }

  @Test
  void evictAllRemovesEverything() throws IOException {
    open(1 << 20);
    for (int i = 0; i < 5; i++) EntryContent.write(store, i, 1);
    store.evictAll();
    assertThat(store.entryCount()).isZero();
    assertThat(store.size()).isZero();
    assertThat(storeFiles()).isEmpty();
  }

  @Test
  void leastRecentlyUsedEntriesAreEvictedOverTheLimit() throws IOException {
    open(3000);
    writeSized(1, 1000);
    writeSized(2, 1000);
    store.get(key(1)).close(); // 2 is now the least recently used.
    writeSized(3, 1000);

    assertThat(store.get(key(2))).isNull();
    assertThat(store.get(key(1))).isNotNull().satisfies(StoreSnapshot::close);
    assertThat(store.get(key(3))).isNotNull().satisfies(StoreSnapshot::close);
    assertThat(store.size()).isLessThanOrEqualTo(3000);

    // The order survives reopening: 1 was read after 3 was written, so 3 goes first.
    open(3000);
    store.get(key(1)).close();
    writeSized(4, 1000);
    assertThat(store.get(key(3))).isNull();
    assertThat(store.keys()).containsExactly(key(1), key(4));
  }

  @Test
  void entryLargerThanTheLimitIsNotKept() throws IOException {
    open(1000);
    StoreEditor editor = store.edit(key(1));
    BufferedSink sink = editor.newBodySink();
    assertThatThrownBy(() -> sink.write(new byte[2000]).flush())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("exceeds the store's max size of 1000 bytes");
    editor.abort();
    assertThat(store.entryCount()).isZero();
    assertThat(storeFiles()).isEmpty();
  }

  @Test
  void damagedBodyFailsAtItsEndAndIsRemoved() throws IOException {
    open(1 << 20);
    writeSized(1, 1000);
    Path body = onlyFile(".b");
    byte[] bytes = Files.readAllBytes(body);
    bytes[500] ^= 1;
    Files.write(body, bytes);

    StoreSnapshot snapshot = store.get(key(1));
    BufferedSource source = Okio.buffer(snapshot.bodySource());
    assertThatThrownBy(() -> source.readAll(new Buffer()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is damaged");
    source.close();
    assertThat(store.get(key(1))).isNull();
  }

  @Test
  void damagedMetadataIsNeverReturned() throws IOException {
    open(1 << 20);
    writeSized(1, 1000);
    Path metadata = onlyFile(".m");
    byte[] bytes = Files.readAllBytes(metadata);
    bytes[0] ^= 1;
    Files.write(metadata, bytes);

    assertThat(store.get(key(1))).isNull();
    assertThat(store.entryCount()).isZero();
  }

  @Test
  void entryWithAMissingFileIsDroppedOnOpen() throws IOException {
    open(1 << 20);
    writeSized(1, 1000);
    writeSized(2, 1000);
    store.close();
    Files.delete(directory.resolve(StoredEntry.bodyFileName(key(1), 1)));

    open(1 << 20);
    assertThat(store.keys()).containsExactly(key(2));
    assertThat(storeFiles()).hasSize(2);
  }

  @Test
  void leftOverTemporaryAndUnknownStoreFilesAreDeletedOnOpen() throws IOException {
    open(1 << 20);
    writeSized(1, 1000);
    store.close();
    Files.writeString(directory.resolve(StoredEntry.bodyFileName(key(2), 77) + ".tmp"), "partial");
    Files.writeString(directory.resolve(StoredEntry.metadataFileName(key(3), 78)), "orphan");
    Files.writeString(directory.resolve("journal.tmp"), "half a rebuild");
    Files.writeString(directory.resolve("notes.txt"), "not ours");

    open(1 << 20);
    assertThat(storeFiles()).hasSize(2);
    assertThat(directory.resolve("journal.tmp")).doesNotExist();
    assertThat(directory.resolve("notes.txt")).exists();
    assertThat(store.keys()).containsExactly(key(1));
  }

  @Test
  void journalIsRebuiltWhenItGrows() throws IOException {
    open(1 << 20);
    writeSized(1, 10);
    writeSized(2, 10);
    long initial = Files.size(directory.resolve(DiskStore.JOURNAL_FILE));
    for (int i = 0; i < JournalWriter.REBUILD_THRESHOLD + 10; i++) {
      store.get(key(i % 2 + 1)).close();
    }
    assertThat(Files.size(directory.resolve(DiskStore.JOURNAL_FILE))).isLessThan(initial * 10);

    open(1 << 20);
    assertThat(store.keys()).containsExactlyInAnyOrder(key(1), key(2));
    assertThat(store.get(key(2))).isNotNull().satisfies(StoreSnapshot::close);
  }

  @Test
  void secondStoreCannotOpenTheSameDirectory() throws IOException {
    open(1 << 20);
    assertThatThrownBy(() -> DiskStore.open(directory, 1 << 20))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is in use by another cache");
  }

  @Test
  void closedStoreRejectsUse() throws IOException {
    open(1 << 20);
    StoreEditor editor = store.edit(key(1));
    editor.newBodySink().write(new byte[10]).flush();
    store.close();
    assertThatThrownBy(() -> store.get(key(1))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> editor.commit(new byte[1])).isInstanceOf(IOException.class);
  }

  @Test
  void deleteRemovesEveryStoreFile() throws IOException {
    open(1 << 20);
    writeSized(1, 100);
    store.delete();
    assertThat(directory).doesNotExist();
  }

  @Test
  void snapshotsIterateWithoutRecordingReads() throws IOException {
    open(1 << 20);
    for (int i = 0; i < 3; i++) EntryContent.write(store, i, 1);
    store.remove(key(1));
    List<Integer> seen = new ArrayList<>();
    for (Iterator<StoreSnapshot> i = store.snapshots(); i.hasNext(); ) {
      seen.add(EntryContent.verify(i.next()).index());
    }
    assertThat(seen).containsExactly(0, 2);
    assertThat(store.keys()).containsExactly(key(0), key(2));
  }

  @Test
  void concurrentReadersAndWritersOnlyEverSeeCompleteVersions() throws Exception {
    open(4L << 20);
    int keys = 6;
    int threads = 6;
    AtomicInteger versions = new AtomicInteger();
    Set<String> failures = ConcurrentHashMap.newKeySet();
    AtomicInteger verifiedReads = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(executor.submit(() -> {
          start.await();
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int op = 0; op < 300; op++) {
            int index = random.nextInt(keys);
            int choice = random.nextInt(10);
            try {
              if (choice < 4) {
                EntryContent.write(store, index, versions.incrementAndGet());
              } else if (choice < 8) {
                StoreSnapshot snapshot = store.get(key(index));
                if (snapshot != null) {
                  EntryContent.verify(snapshot);
                  verifiedReads.incrementAndGet();
                }
              } else if (choice < 9) {
                StoreSnapshot snapshot = store.get(key(index));
                if (snapshot != null) {
                  try (snapshot) {
                    EntryContent.updateMetadata(snapshot, versions.incrementAndGet());
                  }
                }
              } else {
                store.remove(key(index));
              }
            } catch (IOException e) {
              // Commits race with removals; that failure is expected and leaves nothing behind.
              if (!String.valueOf(e.getMessage()).contains("while")) failures.add(e.toString());
            } catch (AssertionError e) {
              failures.add(e.getMessage());
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : futures) future.get(30, TimeUnit.SECONDS);
    } finally {
      executor.shutdownNow();
    }
    assertThat(failures).isEmpty();
    assertThat(verifiedReads.get()).isPositive();

    open(4L << 20);
    long expectedSize = 0;
    for (Iterator<StoreSnapshot> i = store.snapshots(); i.hasNext(); ) {
      StoreSnapshot snapshot = i.next();
      expectedSize += snapshot.entry().sizeBytes();
      EntryContent.verify(snapshot);
    }
    assertThat(store.size()).isEqualTo(expectedSize);
    assertThat(storeFiles()).hasSize(store.entryCount() * 2);
  }

  private void writeSized(int index, int bodySize) throws IOException {
    StoreEditor editor = store.edit(key(index));
    editor.newBodySink().write(new byte[bodySize]).flush();
    editor.commit(("entry " + index).getBytes(StandardCharsets.US_ASCII));
  }

  private Path onlyFile(String suffix) throws IOException {
    List<Path> matches = new ArrayList<>();
    for (Path file : storeFiles()) {
      if (file.getFileName().toString().endsWith(suffix)) matches.add(file);
    }
    assertThat(matches).hasSize(1);
    return matches.get(0);
  }

  /** Returns the entry files (and temporary files) in the directory. */
  private List<Path> storeFiles() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> StoreFiles.isStoreFileName(f.getFileName().toString())).toList();
    }
  }
}
