package dev.courier.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.testing.fuzz.FuzzResult;
import dev.courier.testing.fuzz.Fuzzer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import okio.Buffer;
import okio.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the disk store's journal: {@link Journal#replay(byte[])} of arbitrary bytes, as they are
 * and with every line's checksum made right (so that mutations get past the checksum into the
 * parser), and, for one input in {@value #RECOVERY_EVERY}, a whole {@link DiskStore#open} that
 * recovers from the journal with entry files of the recorded lengths on disk, reads every entry
 * and closes. Anything but an {@link IOException} is a bug. Seeds live in {@code
 * src/test/resources/fuzz/cache-journal}.
 */
class JournalFuzzTest {
  private static final int RECOVERY_EVERY = 32;
  private static final long MAX_STORE_BYTES = 64 * 1024;
  private static final int MAX_ENTRY_FILE_BYTES = 4096;

  @TempDir
  Path directory;

  @Test
  void journalsFailOnlyWithIOException() {
    FuzzResult result = Fuzzer.forTarget("cache-journal")
        .corpusResource("fuzz/cache-journal")
        .dictionary("courier-disk-store\n1\n\n", "CLEAN ", "READ ", "REMOVE ", " ", "\n",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "00000000",
            "ffffffff", "999999999999999999", "-1")
        .allow(IOException.class)
        .build()
        .run(this::replayAndRecover);

    assertThat(result.inputs()).isGreaterThan(result.corpusEntries());
  }

  private void replayAndRecover(byte[] input) throws IOException {
    checkReplay(Journal.replay(input));
    byte[] checksummed = withChecksumsMadeRight(input);
    Journal.Replay replay = Journal.replay(checksummed);
    checkReplay(replay);
    if (Math.floorMod(Arrays.hashCode(input), RECOVERY_EVERY) == 0) {
      recover(checksummed, replay, input);
    }
  }

  private static void checkReplay(Journal.Replay replay) {
    for (StoredEntry entry : replay.entries.values()) {
      if (!StoredEntry.isValidKey(entry.key()) || entry.metadataGeneration() > replay.maxGeneration
          || entry.bodyGeneration() > replay.maxGeneration || entry.metadataLength() < 0
          || entry.bodyLength() < 0) {
        throw new AssertionError("replay kept an impossible entry " + entry);
      }
    }
    if (replay.redundantOpCount < 0) {
      throw new AssertionError("negative redundant line count " + replay.redundantOpCount);
    }
  }

  /** Opens a store over {@code journal}, with files for the entries it names, and reads them all. */
  private void recover(byte[] journal, Journal.Replay replay, byte[] filler) throws IOException {
    Path store = Files.createDirectories(directory.resolve("store"));
    try {
      Files.write(store.resolve(DiskStore.JOURNAL_FILE), journal);
      for (StoredEntry entry : replay.entries.values()) {
        writeFile(store.resolve(entry.metadataFileName()), entry.metadataLength(), filler);
        writeFile(store.resolve(entry.bodyFileName()), entry.bodyLength(), filler);
      }
      try (DiskStore diskStore = DiskStore.open(store, MAX_STORE_BYTES)) {
        if (diskStore.size() > MAX_STORE_BYTES) {
          throw new AssertionError("recovered store holds " + diskStore.size() + " bytes");
        }
        for (String key : diskStore.keys()) {
          try (StoreSnapshot snapshot = diskStore.get(key)) {
            if (snapshot != null) {
              readAll(snapshot.bodySource());
            }
          }
        }
      }
    } finally {
      deleteContents(store);
    }
  }

  private static void writeFile(Path file, long length, byte[] filler) throws IOException {
    if (length > MAX_ENTRY_FILE_BYTES) {
      return; // The entry is dropped as missing; recovery of that is covered all the same.
    }
    byte[] content = new byte[(int) length];
    for (int i = 0; i < content.length && filler.length > 0; i++) {
      content[i] = filler[i % filler.length];
    }
    Files.write(file, content);
  }

  private static void readAll(Source source) throws IOException {
    try (source) {
      Buffer sink = new Buffer();
      while (source.read(sink, 8192) != -1L) {
        sink.clear();
      }
    }
  }

  private static void deleteContents(Path store) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(store)) {
      files = listing.toList();
    }
    for (Path file : files) {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Returns {@code input} with the checksum at the end of each line after the header replaced by
   * the right one, the way an intact journal would have it.
   */
  static byte[] withChecksumsMadeRight(byte[] input) {
    int headerEnd = Math.min(input.length, Journal.HEADER.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream(input.length + 16);
    out.write(input, 0, headerEnd);
    int pos = headerEnd;
    while (pos < input.length) {
      int newline = pos;
      while (newline < input.length && input[newline] != '\n') {
        newline++;
      }
      String line = new String(input, pos, newline - pos, StandardCharsets.US_ASCII);
      int lastSpace = line.lastIndexOf(' ');
      String payload = lastSpace == -1 ? line : line.substring(0, lastSpace);
      byte[] fixed = (payload + ' ' + Journal.hex(Journal.crc(payload))).getBytes(StandardCharsets.US_ASCII);
      out.write(fixed, 0, fixed.length);
      if (newline < input.length) {
        out.write('\n');
      }
      pos = newline + 1;
    }
    return out.toByteArray();
  }
}
