package dev.courier.cache.internal;

import static dev.courier.cache.internal.EntryContent.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir Path directory;

  private static StoredEntry entry(int index, long generation) {
    return new StoredEntry(key(index), generation, 10, 0x1234abcdL, generation, 20, 0xffffffffL);
  }

  private Journal.Replay replay(byte[]... lines) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Journal.HEADER);
    for (byte[] line : lines) out.write(line);
    Path file = directory.resolve("journal");
    Files.write(file, out.toByteArray());
    return Journal.replay(file);
  }

  @Test
  void linesEndWithTheirChecksum() {
    String line = new String(Journal.removeLine(key(1)), StandardCharsets.US_ASCII);
    String payload = "REMOVE " + key(1);
    assertThat(line).isEqualTo(payload + " " + Journal.hex(Journal.crc(payload)) + "\n");
  }

  @Test
  void replayAppliesCleanReadAndRemoveInOrder() throws IOException {
    Journal.Replay replay = replay(
        Journal.cleanLine(entry(1, 1)),
        Journal.cleanLine(entry(2, 2)),
        Journal.cleanLine(entry(3, 3)),
        Journal.readLine(key(1)),
        Journal.removeLine(key(2)),
        Journal.cleanLine(entry(3, 7)));
    assertThat(replay.intact).isTrue();
    assertThat(List.copyOf(replay.entries.keySet())).containsExactly(key(1), key(3));
    assertThat(replay.entries.get(key(3))).isEqualTo(entry(3, 7));
    assertThat(replay.maxGeneration).isEqualTo(7);
    assertThat(replay.redundantOpCount).isEqualTo(4);
  }

  @Test
  void tornLastLineIsDropped() throws IOException {
    byte[] whole = Journal.cleanLine(entry(2, 2));
    byte[] torn = java.util.Arrays.copyOf(whole, whole.length - 1);
    Journal.Replay replay = replay(Journal.cleanLine(entry(1, 1)), torn);
    assertThat(replay.intact).isFalse();
    assertThat(replay.entries.keySet()).containsExactly(key(1));
  }

  @Test
  void replayStopsAtALineWithABadChecksum() throws IOException {
    byte[] damaged = Journal.cleanLine(entry(2, 2));
    damaged[10] = (byte) (damaged[10] == 'a' ? 'b' : 'a');
    Journal.Replay replay = replay(Journal.cleanLine(entry(1, 1)), damaged,
        Journal.cleanLine(entry(3, 3)));
    assertThat(replay.intact).isFalse();
    assertThat(replay.entries.keySet()).containsExactly(key(1));
  }

  @Test
  void wrongHeaderTrustsNothing() throws IOException {
    Path file = directory.resolve("journal");
    Files.write(file, ("other-format\n1\n\n" + new String(Journal.cleanLine(entry(1, 1)),
        StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
    Journal.Replay replay = Journal.replay(file);
    assertThat(replay.intact).isFalse();
    assertThat(replay.entries).isEmpty();
  }

  @Test
  void missingJournalIsAnEmptyStore() throws IOException {
    Journal.Replay replay = Journal.replay(directory.resolve("absent"));
    assertThat(replay.existed).isFalse();
    assertThat(replay.entries).isEmpty();
  }

  @Test
  void compactJournalHoldsOnlyCleanLines() throws IOException {
    Path file = directory.resolve("journal");
    Journal.writeCompact(file, List.of(entry(1, 4), entry(2, 9)));
    Journal.Replay replay = Journal.replay(file);
    assertThat(replay.intact).isTrue();
    assertThat(replay.entries.values()).containsExactly(entry(1, 4), entry(2, 9));
    assertThat(replay.redundantOpCount).isZero();
  }
}
