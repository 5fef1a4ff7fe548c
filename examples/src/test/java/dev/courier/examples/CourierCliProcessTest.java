package dev.courier.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the command-line client as its own process, as a person or a script would: large downloads
 * in a small heap, progress on a pseudo-terminal and not on a pipe, and a reader that goes away.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CourierCliProcessTest {
  private static final long LARGE = 200L * 1024 * 1024;

  @TempDir static Path directory;
  private static Path large;
  private static String largeSha256;

  @BeforeAll
  static void writeLargeFile() throws IOException {
    large = directory.resolve("large.bin");
    FileServer.writeRandom(large, LARGE, 42);
    largeSha256 = FileServer.sha256(large);
  }

  private static List<String> cli(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        CourierCli.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  private static int waitFor(Process process) throws InterruptedException {
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the client did not finish within 90 s");
    }
    return process.exitValue();
  }

  @Test
  void largeDownloadToAFileIsExactInASmallHeap() throws Exception {
    Path saved = directory.resolve("saved-to-file.bin");
    try (FileServer server = FileServer.http(large, 0)) {
      Process process = new ProcessBuilder(cli("-o", saved.toString(),
          "http://127.0.0.1:" + server.port() + "/large.bin"))
          .redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(waitFor(process)).as(output).isZero();
      // Not a terminal: no progress meter, nothing at all on standard error.
      assertThat(output).isEmpty();
    }
    assertThat(Files.size(saved)).isEqualTo(LARGE);
    assertThat(FileServer.sha256(saved)).isEqualTo(largeSha256);
  }

  @Test
  void largeDownloadToStandardOutputIsExactInASmallHeap() throws Exception {
    Path saved = directory.resolve("saved-from-stdout.bin");
    Path errors = directory.resolve("stdout-errors.txt");
    try (FileServer server = FileServer.http(large, 0)) {
      Process process = new ProcessBuilder(cli("http://127.0.0.1:" + server.port() + "/large.bin"))
          .redirectOutput(saved.toFile()).redirectError(errors.toFile()).start();
      assertThat(waitFor(process)).as(Files.readString(errors)).isZero();
    }
    assertThat(Files.readString(errors)).isEmpty();
    assertThat(Files.size(saved)).isEqualTo(LARGE);
    assertThat(FileServer.sha256(saved)).isEqualTo(largeSha256);
  }

  @Test
  void readerThatGoesAwayEndsTheTransferWithTwentyThree() throws Exception {
    try (FileServer server = FileServer.http(large, 0)) {
      Process process = new ProcessBuilder(cli("http://127.0.0.1:" + server.port() + "/large.bin"))
          .start();
      InputStream stdout = process.getInputStream();
      assertThat(stdout.readNBytes(64 * 1024)).hasSize(64 * 1024);
      stdout.close();
      assertThat(waitFor(process)).isEqualTo(23);
      String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(errors).startsWith("courier: could not write the output: ");
    }
  }

  @Test
  void progressIsDrawnOnATerminalAndNotThroughAPipe() throws Exception {
    Path small = directory.resolve("paced.bin");
    FileServer.writeRandom(small, 4L * 1024 * 1024, 7);
    Path saved = directory.resolve("paced-saved.bin");
    // 64 chunks, 15 ms apart: the meter, redrawn every 200 ms, has several chances to draw.
    try (FileServer server = FileServer.http(small, 15)) {
      String url = "http://127.0.0.1:" + server.port() + "/paced.bin";
      // script(1) runs the client on a pseudo-terminal and copies what it shows to our pipe.
      String command = String.join(" ", quoted(cli("-o", saved.toString(), url)));
      Process terminal = new ProcessBuilder("script", "-q", "-e", "-c", command, "/dev/null")
          .redirectErrorStream(true).start();
      String screen = new String(terminal.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(waitFor(terminal)).as(screen).isZero();
      assertThat(screen).contains("down ").contains(" / 4.0 MiB").contains("%").contains("/s")
          .contains("\r").contains("100%");
      assertThat(FileServer.sha256(saved)).isEqualTo(FileServer.sha256(small));

      Process piped = new ProcessBuilder(cli("-o", saved.toString(), url)).start();
      String errors = new String(piped.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(waitFor(piped)).isZero();
      assertThat(errors).isEmpty();

      Process silent = new ProcessBuilder("script", "-q", "-e", "-c",
          String.join(" ", quoted(cli("-s", "-o", saved.toString(), url))), "/dev/null")
          .redirectErrorStream(true).start();
      String quiet = new String(silent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(waitFor(silent)).isZero();
      assertThat(quiet).doesNotContain("%");
    }
  }

  private static List<String> quoted(List<String> words) {
    List<String> result = new ArrayList<>();
    for (String word : words) result.add("'" + word.replace("'", "'\\''") + "'");
    return result;
  }

  @Test
  void webSocketSessionSendsPipedLinesAndEndsWithTheInput() throws Exception {
    try (TestServer server = new TestServer()) {
      server.start();
      server.enqueue(ScriptedResponse.builder().webSocket().build());
      Path errors = directory.resolve("ws-errors.txt");
      Process process = new ProcessBuilder(cli("-v", server.url("/echo").replace("http:", "ws:")))
          .redirectError(errors.toFile()).start();
      StringBuilder expected = new StringBuilder();
      try (OutputStream stdin = process.getOutputStream()) {
        for (int i = 0; i < 500; i++) {
          String line = "line " + i + " " + "é".repeat(i % 7);
          stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
          expected.append(line).append('\n');
        }
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(waitFor(process)).as(Files.readString(errors)).isZero();
      assertThat(output).isEqualTo(expected.toString());
      assertThat(Files.readString(errors)).contains("< http/1.1 101", "* WebSocket open",
          "* WebSocket closed");
    }
  }
}
