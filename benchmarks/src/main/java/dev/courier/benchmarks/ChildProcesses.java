package dev.courier.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the benchmarks' child processes (client JVMs, curl, taskset) to their end. */
final class ChildProcesses {
  private ChildProcesses() {}

  /**
   * Runs {@code command} in {@code directory} to its end and returns its output, standard error
   * included. The output goes to a file, so a child that writes much or hangs cannot block the
   * benchmark.
   *
   * @throws IOException if the command exits non-zero or runs longer than {@code limit} (it is
   *     then killed); the message carries the command's output
   */
  static String run(List<String> command, Path directory, Duration limit) throws Exception {
    Path output = Files.createTempFile("courier-bench", ".out");
    try {
      Process process = new ProcessBuilder(command).directory(directory.toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended) {
        process.destroyForcibly().waitFor();
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (!ended || process.exitValue() != 0) {
        throw new IOException(String.join(" ", command.subList(Math.max(0, command.size() - 2), command.size()))
            + (ended ? " failed: " : " timed out: ") + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
