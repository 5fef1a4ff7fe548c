package dev.courier.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with {@code destroyForcibly} while it writes many entries, then reopens the
 * store: every entry served must be byte-identical to what was written, and the store must hold
 * exactly what the child reported as done, apart from the one operation it was killed in.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiskStoreCrashTest {
  private static final long CHILD_DEADLINE_MILLIS = 30_000;

  @TempDir Path directory;

  @Test
  void killedWriterLeavesOnlyCompleteEntries() throws Exception {
    // What the store should hold for each entry index: a version, or null for none.
    Map<Integer, EntryContent.Version> expected = new HashMap<>();
    int[] killAfter = {40, 150, 400};
    for (int round = 0; round < killAfter.length; round++) {
      List<String> reported = runChildAndKill(round + 1, killAfter[round]);
      for (String line : reported) {
        String[] parts = line.split(" ");
        // A line cut short by the kill reports nothing.
        if (parts[0].equals("committed") && parts.length == 4) {
          int index = Integer.parseInt(parts[1]);
          expected.put(index, new EntryContent.Version(index, Integer.parseInt(parts[2]),
              Integer.parseInt(parts[3])));
        } else if (parts[0].equals("removed") && parts.length == 2) {
          expected.remove(Integer.parseInt(parts[1]));
        }
      }

      Map<Integer, EntryContent.Version> actual = new HashMap<>();
      try (DiskStore store = DiskStore.open(directory, CacheWriterMain.MAX_SIZE)) {
        for (Iterator<StoreSnapshot> i = store.snapshots(); i.hasNext(); ) {
          EntryContent.Version version = EntryContent.verify(i.next()); // Byte for byte.
          actual.put(version.index(), version);
        }
      }
      List<Integer> differing = new ArrayList<>();
      for (int index = 0; index < CacheWriterMain.ENTRY_COUNT; index++) {
        if (!Objects.equals(expected.get(index), actual.get(index))) differing.add(index);
      }
      // Only the operation the child was killed in may have taken effect unreported.
      assertThat(differing).as("round %s: entries differing from the reports", round).hasSizeLessThanOrEqualTo(1);
      assertThat(actual).as("round %s", round).isNotEmpty();
      expected = actual;
    }
  }

  /** Runs the writer until it reports {@code operations} operations, kills it, and returns its reports. */
  private List<String> runChildAndKill(int seed, int operations) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        CacheWriterMain.class.getName(), directory.toString(), Integer.toString(seed))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
      long deadline = System.currentTimeMillis() + CHILD_DEADLINE_MILLIS;
      int done = 0;
      String line;
      while (done < operations && (line = reader.readLine()) != null) {
        if (!line.startsWith("opened")) {
          lines.add(line);
          done++;
        }
        assertThat(System.currentTimeMillis()).as("child progress").isLessThan(deadline);
      }
      assertThat(done).as("operations the child reported before it ended").isEqualTo(operations);
      // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the
      // pipe, losing what the child printed just before it died.
      child.toHandle().destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("committed") || line.startsWith("removed")) lines.add(line);
      }
    } finally {
      child.destroyForcibly();
    }
    return lines;
  }
}
