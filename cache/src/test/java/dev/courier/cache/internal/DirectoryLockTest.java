package dev.courier.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DirectoryLockTest {
  @TempDir Path directory;

  @Test
  void acquireCreatesTheLockFile() throws IOException {
    DirectoryLock lock = DirectoryLock.acquire(directory);
    try {
      assertThat(directory.resolve(DiskStore.LOCK_FILE)).isRegularFile();
    } finally {
      lock.release();
    }
  }

  @Test
  void everyFurtherAcquisitionInTheSameProcessFailsNamingTheDirectory() throws IOException {
    DirectoryLock first = DirectoryLock.acquire(directory);
    try {
      assertThatThrownBy(() -> DirectoryLock.acquire(directory))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(directory.toString())
          .hasMessageContaining("is in use by another cache");
      assertThatThrownBy(() -> DirectoryLock.acquire(directory))
          .isInstanceOf(IOException.class);
    } finally {
      first.release();
    }
  }

  @Test
  void releasedLockCanBeAcquiredAgain() throws IOException {
    DirectoryLock first = DirectoryLock.acquire(directory);
    first.release();

    DirectoryLock second = DirectoryLock.acquire(directory);
    second.release();
    DirectoryLock third = DirectoryLock.acquire(directory);
    third.release();
  }

  @Test
  void releaseLeavesTheLockFileInPlace() throws IOException {
    DirectoryLock lock = DirectoryLock.acquire(directory);
    lock.release();

    assertThat(directory.resolve(DiskStore.LOCK_FILE)).isRegularFile();
  }

  @Test
  void existingLockFileIsReused() throws IOException {
    Files.write(directory.resolve(DiskStore.LOCK_FILE), new byte[] {1, 2, 3});

    DirectoryLock lock = DirectoryLock.acquire(directory);
    lock.release();

    assertThat(directory.resolve(DiskStore.LOCK_FILE)).hasBinaryContent(new byte[] {1, 2, 3});
  }

  @Test
  void locksOfDifferentDirectoriesAreIndependent() throws IOException {
    Path one = Files.createDirectory(directory.resolve("one"));
    Path two = Files.createDirectory(directory.resolve("two"));
    DirectoryLock first = DirectoryLock.acquire(one);
    try {
      DirectoryLock second = DirectoryLock.acquire(two);
      second.release();
    } finally {
      first.release();
    }
  }

  @Test
  void missingDirectoryFailsToAcquire() {
    assertThatThrownBy(() -> DirectoryLock.acquire(directory.resolve("missing")))
        .isInstanceOf(IOException.class);
  }

  @Test
  void anotherProcessCannotAcquireAHeldLock() throws Exception {
    DirectoryLock lock = DirectoryLock.acquire(directory);
    try {
      assertThat(acquireInAnotherProcess()).isEqualTo("in use");
    } finally {
      lock.release();
    }
    assertThat(acquireInAnotherProcess()).isEqualTo("acquired");
  }

  @Test
  void failedAcquisitionInTheSameProcessKeepsOtherProcessesOut() throws Exception {
    DirectoryLock lock = DirectoryLock.acquire(directory);
    try {
      assertThatThrownBy(() -> DirectoryLock.acquire(directory)).isInstanceOf(IOException.class);
      assertThat(acquireInAnotherProcess()).isEqualTo("in use");
    } finally {
      lock.release();
    }
  }

  /** Runs {@link Probe} in a child JVM on {@link #directory}; returns what it printed. */
  private String acquireInAnotherProcess() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx32m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), Probe.class.getName(), directory.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isZero();
    return output.trim();
  }

  /** Tries to take the lock of the directory named by its argument and prints the outcome. */
  static final class Probe {
    public static void main(String[] args) throws IOException {
      DirectoryLock lock;
      try {
        lock = DirectoryLock.acquire(Path.of(args[0]));
      } catch (IOException e) {
        System.out.println(e.getMessage().contains("is in use by another cache") ? "in use" : e);
        return;
      }
      lock.release();
      System.out.println("acquired");
    }
  }
}
