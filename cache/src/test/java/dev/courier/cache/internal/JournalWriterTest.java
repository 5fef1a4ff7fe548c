package dev.courier.cache.internal;

import static dev.courier.cache.internal.EntryContent.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalWriterTest {
  @TempDir Path directory;
  // Least recently used first, as the store keeps them; the writer reads it only to rewrite.
  private final LinkedHashMap<String, StoredEntry> live = new LinkedHashMap<>();
  private JournalWriter writer;

  @AfterEach
  void closeWriter() throws IOException {
    Thread.interrupted(); // Never leave an interrupt behind for the next test.
    if (writer != null) writer.close();
  }

  private static StoredEntry entry(int index, long generation) {
    return new StoredEntry(key(index), generation, 10, 0x1234abcdL, generation, 20, 0x0badf00dL);
  }

  private void putLive(StoredEntry entry) {
    live.put(entry.key(), entry);
  }

  private JournalWriter newWriter(int redundantOpCount) {
    writer = new JournalWriter(directory, live.values(), redundantOpCount);
    return writer;
  }

  private Path journal() {
    return directory.resolve(DiskStore.JOURNAL_FILE);
  }

  private static byte[] concat(byte[]... parts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) out.write(part);
    return out.toByteArray();
  }

  @Test
  void rebuildWritesTheLiveEntriesInOrder() throws IOException {
    putLive(entry(2, 2));
    putLive(entry(1, 5));
    newWriter(0).rebuild();

    assertThat(journal()).hasBinaryContent(concat(Journal.HEADER,
        Journal.cleanLine(entry(2, 2)), Journal.cleanLine(entry(1, 5))));
    assertThat(directory.resolve(DiskStore.JOURNAL_TEMP_FILE)).doesNotExist();
    Journal.Replay replay = Journal.replay(journal());
    assertThat(replay.intact).isTrue();
    assertThat(List.copyOf(replay.entries.values())).containsExactly(entry(2, 2), entry(1, 5));
  }

  @Test
  void rebuildDropsLinesThatNoLongerDescribeALiveEntry() throws IOException {
    Files.write(journal(), concat(Journal.HEADER,
        Journal.cleanLine(entry(1, 1)),
        Journal.cleanLine(entry(2, 2)),
        Journal.readLine(key(1)),
        Journal.removeLine(key(2)),
        Journal.cleanLine(entry(1, 3))));
    putLive(entry(1, 3));
    newWriter(4).openForAppend();

    writer.rebuild();

    assertThat(journal()).hasBinaryContent(concat(Journal.HEADER, Journal.cleanLine(entry(1, 3))));
  }

  @Test
  void rebuildReplacesALeftOverJournalRewrite() throws IOException {
    Files.write(directory.resolve(DiskStore.JOURNAL_TEMP_FILE), "stale partial rewrite".getBytes());
    putLive(entry(1, 1));
    newWriter(0).rebuild();

    assertThat(journal()).hasBinaryContent(concat(Journal.HEADER, Journal.cleanLine(entry(1, 1))));
    assertThat(directory.resolve(DiskStore.JOURNAL_TEMP_FILE)).doesNotExist();
  }

  @Test
  void appendKeepsWhatTheJournalHeldAndAddsTheLineAtTheEnd() throws IOException {
    byte[] existing = concat(Journal.HEADER, Journal.cleanLine(entry(1, 1)),
        Journal.readLine(key(1)));
    Files.write(journal(), existing);
    putLive(entry(1, 1));
    newWriter(1).openForAppend();

    writer.append(Journal.cleanLine(entry(2, 2)));
    writer.append(Journal.removeLine(key(1)));

    assertThat(journal()).hasBinaryContent(concat(existing, Journal.cleanLine(entry(2, 2)),
        Journal.removeLine(key(1))));
  }

  @Test
  void appendBeforeOpeningWritesACompactJournalFirst() throws IOException {
    putLive(entry(1, 1));
    newWriter(0).append(Journal.readLine(key(1)));

    assertThat(journal()).hasBinaryContent(concat(Journal.HEADER, Journal.cleanLine(entry(1, 1)),
        Journal.readLine(key(1))));
  }

  @Test
  void appendAfterAFailedAppendRewritesTheJournalFirst() throws IOException {
    putLive(entry(1, 1));
    newWriter(0).rebuild();
    // An interrupted thread's write closes the channel and fails, as a failing disk would.
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> writer.append(Journal.cleanLine(entry(2, 2))))
        .isInstanceOf(IOException.class);
    assertThat(Thread.interrupted()).isTrue();
    // What a failed append may leave behind: the start of a line.
    byte[] torn = Journal.cleanLine(entry(2, 2));
    Files.write(journal(), java.util.Arrays.copyOf(torn, 20), StandardOpenOption.APPEND);
    assertThat(Journal.replay(journal()).intact).isFalse();

    writer.append(Journal.readLine(key(1)));

    assertThat(journal()).hasBinaryContent(concat(Journal.HEADER, Journal.cleanLine(entry(1, 1)),
        Journal.readLine(key(1))));
    assertThat(Journal.replay(journal()).intact).isTrue();
  }

  @Test
  void forceAfterAFailedAppendRewritesTheJournal() throws IOException {
    putLive(entry(1, 1));
    newWriter(0).rebuild();
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> writer.append(Journal.readLine(key(1))))
        .isInstanceOf(IOException.class);
    assertThat(Thread.interrupted()).isTrue();
    Files.write(journal(), "CLEAN 3f".getBytes(), StandardOpenOption.APPEND);

    writer.force();

    assertThat(journal()).hasBinaryContent(concat(Journal.HEADER, Journal.cleanLine(entry(1, 1))));
  }

  @Test
  void closeAfterAFailedAppendRewritesTheJournalAndCanBeRepeated() throws IOException {
    putLive(entry(1, 1));
    newWriter(0).rebuild();
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> writer.append(Journal.readLine(key(1))))
        .isInstanceOf(IOException.class);
    assertThat(Thread.interrupted()).isTrue();
    Files.write(journal(), "CLEAN 3f".getBytes(), StandardOpenOption.APPEND);

    writer.close();
    writer.close();

    assertThat(journal()).hasBinaryContent(concat(Journal.HEADER, Journal.cleanLine(entry(1, 1))));
  }

  @Test
  void rebuildIfNeededLeavesAJournalWithFewRedundantLinesAlone() throws IOException {
    byte[] existing = concat(Journal.HEADER, Journal.cleanLine(entry(1, 1)),
        Journal.readLine(key(1)));
    Files.write(journal(), existing);
    putLive(entry(1, 1));
    newWriter(1).openForAppend();

    writer.rebuildIfNeeded();

    assertThat(journal()).hasBinaryContent(existing);
  }

  @Test
  void redundantLinesPastTheThresholdTriggerARebuild() throws IOException {
    putLive(entry(1, 1));
    newWriter(0).rebuild();
    for (int i = 0; i < JournalWriter.REBUILD_THRESHOLD; i++) {
      writer.append(Journal.readLine(key(1)));
    }
    writer.addRedundantLines(JournalWriter.REBUILD_THRESHOLD - 1);
    assertThat(writer.hasTooManyRedundantLines()).isFalse();
    writer.rebuildIfNeeded();
    assertThat(Files.size(journal())).isGreaterThan(JournalWriter.REBUILD_THRESHOLD);

    writer.addRedundantLines(1);
    assertThat(writer.hasTooManyRedundantLines()).isTrue();
    writer.rebuildIfNeeded();

    assertThat(journal()).hasBinaryContent(concat(Journal.HEADER, Journal.cleanLine(entry(1, 1))));
    assertThat(writer.hasTooManyRedundantLines()).isFalse();
  }

  @Test
  void redundantCountFromReplayCountsTowardsTheThreshold() {
    putLive(entry(1, 1));
    newWriter(JournalWriter.REBUILD_THRESHOLD);
    assertThat(writer.hasTooManyRedundantLines()).isTrue();
  }

  @Test
  void redundantLinesDoNotTriggerARebuildWhileLiveEntriesOutnumberThem() {
    for (int i = 0; i <= JournalWriter.REBUILD_THRESHOLD; i++) {
      putLive(entry(i, i));
    }
    newWriter(JournalWriter.REBUILD_THRESHOLD);
    assertThat(writer.hasTooManyRedundantLines()).isFalse();

    writer.addRedundantLines(1);
    assertThat(writer.hasTooManyRedundantLines()).isTrue();
  }

  @Test
  void rebuildResetsTheRedundantCount() throws IOException {
    putLive(entry(1, 1));
    newWriter(JournalWriter.REBUILD_THRESHOLD + 5).rebuild();
    assertThat(writer.hasTooManyRedundantLines()).isFalse();

    writer.addRedundantLines(JournalWriter.REBUILD_THRESHOLD - 1);
    assertThat(writer.hasTooManyRedundantLines()).isFalse();
  }

  @Test
  void closeKeepsTheAppendedLines() throws IOException {
    putLive(entry(1, 1));
    newWriter(0).rebuild();
    writer.append(Journal.readLine(key(1)));
    writer.force();

    writer.close();
    writer = null;

    Journal.Replay replay = Journal.replay(journal());
    assertThat(replay.intact).isTrue();
    assertThat(replay.entries.values()).containsExactly(entry(1, 1));
    assertThat(replay.redundantOpCount).isEqualTo(1);
  }

  @Test
  void closeBeforeOpeningCreatesNoJournal() throws IOException {
    putLive(entry(1, 1));
    newWriter(0).close();
    writer = null;

    assertThat(journal()).doesNotExist();
  }
}
