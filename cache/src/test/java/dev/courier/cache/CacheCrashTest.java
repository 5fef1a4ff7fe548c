package dev.courier.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.courier.HttpUrl;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with {@code destroyForcibly} while it fetches many responses from a server
 * through a {@link CourierClient} with a {@link Cache}, several times on the same directory, then
 * opens the cache and serves every stored response with {@code only-if-cached}: each must be
 * byte-identical to what the server sent, and every response the child finished must be there.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CacheCrashTest {
  private static final long CHILD_DEADLINE_MILLIS = 20_000;
  /** Marks the end of the child's stdout in the line queue. */
  private static final String END = "\u0000end";

  @TempDir Path directory;

  @Test
  void killedClientLeavesOnlyResponsesIdenticalToWhatTheServerSent() throws Exception {
    int[] killAfterStored = {15, 25, 40};
    Set<String> finishedUrls = new HashSet<>();
    int roundsKilledMidWrite = 0;
    for (int round = 0; round < killAfterStored.length; round++) {
      ChildRun run = runChildAndKill(killAfterStored[round]);
      assertThat(run.errors).as("round %s: child errors", round).isEmpty();
      // Everything finished in earlier rounds was recovered by the child; port reuse may merge URLs.
      assertThat(run.openedEntryCount).as("round %s: entries the child recovered", round)
          .isGreaterThanOrEqualTo(finishedUrls.size());
      for (int index : run.stored) finishedUrls.add(run.baseUrl + index);
      if (run.leftTemporaryFiles) roundsKilledMidWrite++;
    }
    // Each kill waits for a slow body to start arriving, so at least one lands mid-write.
    assertThat(roundsKilledMidWrite).as("rounds killed while a body was being stored").isPositive();

    Cache cache = new Cache(directory.toFile(), CachingClientMain.MAX_SIZE);
    CourierClient client = CourierClient.builder().cache(cache).build();
    try {
      cache.initialize();
      assertThat(temporaryFiles()).as("files of interrupted writes after recovery").isEmpty();
      List<String> urls = new ArrayList<>();
      for (Iterator<String> i = cache.urls(); i.hasNext(); ) urls.add(i.next());

      assertThat(cache.entryCount()).isEqualTo(urls.size());
      assertThat(urls).containsAll(finishedUrls);
      // Beyond those, only writes committed just before a kill, at most one per fetching thread.
      assertThat(urls.size()).isLessThanOrEqualTo(
          finishedUrls.size() + CachingClientMain.THREAD_COUNT * killAfterStored.length);
      for (String url : urls) {
        assertServedFromCacheAsSent(client, url);
      }
      assertThat(cache.hitCount()).isEqualTo(urls.size());
      assertThat(cache.networkCount()).isZero();
    } finally {
      cache.close();
      client.connectionPool().evictAll();
    }
  }

  private void assertServedFromCacheAsSent(CourierClient client, String url) throws IOException {
    int index = CachingClientMain.index(HttpUrl.parse(url).encodedPath());
    assertThat(index).as("entry index of stored URL %s", url).isNotNegative();
    // The server that sent it is dead: only the cache can answer.
    Request request = new Request.Builder().url(url).header("Cache-Control", "only-if-cached").build();
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.code()).as(url).isEqualTo(200);
      assertThat(response.cacheResponse()).as(url).isNotNull();
      assertThat(response.networkResponse()).as(url).isNull();
      assertThat(response.body().bytes()).as("body of %s", url).isEqualTo(CachingClientMain.body(index));
    }
  }

  /**
   * Runs the client until it has stored {@code storedBeforeKill} responses and then started
   * reading a slow body, kills it, and returns what it reported.
   */
  private ChildRun runChildAndKill(int storedBeforeKill) throws Exception {
    Process child = new ProcessBuilder(javaCommand(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        CachingClientMain.class.getName(), directory.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> readLines(child, lines), "child stdout");
    reader.setDaemon(true);
    reader.start();
    ChildRun run = new ChildRun();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHILD_DEADLINE_MILLIS);
      boolean killNow = false;
      while (!killNow) {
        String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (line == null) fail("child made no progress within " + CHILD_DEADLINE_MILLIS + " ms: " + run);
        if (line.equals(END)) fail("child ended before it was killed: " + run);
        run.accept(line);
        killNow = run.stored.size() >= storedBeforeKill && line.startsWith("reading ")
            && CachingClientMain.isThrottled(Integer.parseInt(line.substring("reading ".length())));
      }
      // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the
      // pipe, losing what the child printed just before it died.
      child.toHandle().destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("child died").isTrue();
      for (String line; !(line = nextLine(lines)).equals(END); ) run.accept(line);
      run.leftTemporaryFiles = !temporaryFiles().isEmpty();
    } finally {
      child.destroyForcibly();
    }
    return run;
  }

  private static String nextLine(BlockingQueue<String> lines) throws InterruptedException {
    String line = lines.poll(10, TimeUnit.SECONDS);
    if (line == null) fail("the killed child's output did not end within 10 s");
    return line;
  }

  private static void readLines(Process child, BlockingQueue<String> lines) {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
      for (String line; (line = in.readLine()) != null; ) lines.add(line);
    } catch (IOException e) {
      lines.add("error - reading child output: " + e);
    } finally {
      lines.add(END);
    }
  }

  private static String javaCommand() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private List<Path> temporaryFiles() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  /** What one child reported on stdout. */
  private static final class ChildRun {
    int openedEntryCount = -1;
    String baseUrl;
    final List<Integer> stored = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    boolean leftTemporaryFiles;

    void accept(String line) {
      String[] parts = line.split(" ", 3);
      // A line cut short by the kill reports nothing.
      switch (parts[0]) {
        case "opened" -> openedEntryCount = Integer.parseInt(parts[1]);
        case "server" -> baseUrl = parts[1];
        case "stored" -> {
          if (parts.length == 2 && !parts[1].isEmpty()) stored.add(Integer.parseInt(parts[1]));
        }
        case "error" -> errors.add(line);
        default -> { }
      }
    }

    @Override
    public String toString() {
      return "opened=" + openedEntryCount + " server=" + baseUrl + " stored=" + stored.size()
          + " errors=" + errors;
    }
  }
}
