package dev.courier.cache.internal;

import static dev.courier.cache.internal.EntryContent.key;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes, updates and removes store entries with deterministic content until it is killed,
 * reporting each completed operation on stdout; run in a child JVM by {@link DiskStoreCrashTest}.
 *
 * <p>Usage: {@code CacheWriterMain <directory> <seed>}. Lines: {@code committed <index> <version>
 * <bodyVersion>} after a write or header update is published, {@code removed <index>} after a
 * removal. Versions are {@code seed * 1_000_000 + n} for the n-th operation, so they grow across
 * runs with growing seeds.
 */
public final class CacheWriterMain {
  static final int ENTRY_COUNT = 40;
  static final long MAX_SIZE = 64L << 20;

  private CacheWriterMain() {}

  public static void main(String[] args) throws IOException {
    Path directory = Path.of(args[0]);
    int seed = Integer.parseInt(args[1]);
    PrintStream out = System.out;
    Random random = new Random(seed);
    try (DiskStore store = DiskStore.open(directory, MAX_SIZE)) {
      out.println("opened " + store.entryCount());
      out.flush();
      for (int n = 0; n < 1_000_000; n++) {
        int index = random.nextInt(ENTRY_COUNT);
        int version = seed * 1_000_000 + n;
        int choice = random.nextInt(20);
        if (choice < 15) {
          EntryContent.write(store, index, version);
          out.println("committed " + index + " " + version + " " + version);
        } else if (choice < 18) {
          StoreSnapshot snapshot = store.get(key(index));
          if (snapshot == null) continue;
          try (snapshot) {
            int bodyVersion = EntryContent.parse(snapshot.metadata()).bodyVersion();
            EntryContent.updateMetadata(snapshot, version);
            out.println("committed " + index + " " + version + " " + bodyVersion);
          }
        } else {
          store.remove(key(index));
          out.println("removed " + index);
        }
        out.flush();
      }
    }
  }
}
