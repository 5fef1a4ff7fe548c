package dev.courier.chain.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Counts this process's open file descriptors through {@code /proc/self/fd} (Linux). */
public final class OpenFileDescriptors {
  private static final Path FDS = Path.of("/proc/self/fd");

  private OpenFileDescriptors() {}

  /** Returns the number of open file descriptors, or 0 where {@code /proc/self/fd} does not exist. */
  public static long count() throws IOException {
    if (!Files.isDirectory(FDS)) {
      return 0;
    }
    try (Stream<Path> list = Files.list(FDS)) {
      // The listing's own descriptor is counted every time alike.
      return list.count();
    }
  }

  /**
   * Returns the count once it is at most {@code limit}, or the last count after {@code
   * timeoutMillis}: a socket closed by a thread that is still ending may take a moment.
   */
  public static long awaitAtMost(long limit, long timeoutMillis) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    long count = count();
    while (count > limit && System.nanoTime() < deadline) {
      Thread.sleep(10);
      count = count();
    }
    return count;
  }
}
