package dev.courier.examples;

import dev.courier.testing.ExternalProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Starts WebSocket echo servers nobody here wrote, for the interop tests: an Autobahn|Python
 * server (the script in {@code src/test/resources/websocket}) and websocketd running {@code cat}.
 * Skips the calling test when they are not installed, unless {@code COURIER_REQUIRE_INTEROP} is
 * set (as CI sets it), when it fails instead.
 */
final class WebSocketServers {
  private WebSocketServers() {}

  /** Starts the Autobahn echo server in {@code mode} (plain, deflate or deflate-lean). */
  static ExternalProcess autobahn(Path directory, String mode, int port) throws IOException {
    String python = pythonWithAutobahn();
    Path script = directory.resolve("autobahn_echo_server.py");
    try (InputStream in = WebSocketServers.class.getResourceAsStream("/websocket/autobahn_echo_server.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    Path workDirectory = Files.createDirectories(directory.resolve("autobahn-" + mode + "-" + port));
    return ExternalProcess.start(
        List.of(python, script.toString(), Integer.toString(port), mode), workDirectory, port);
  }

  /**
   * Starts websocketd echoing each line with {@code cat}, over TLS with {@code certificate} and
   * {@code key} (PEM files) if they are not null.
   */
  static ExternalProcess websocketd(Path directory, int port, Path certificate, Path key)
      throws IOException {
    ExternalProcess.assumeInstalled("websocketd");
    List<String> command = new ArrayList<>(List.of(
        ExternalProcess.findExecutable("websocketd").toString(), "--address=127.0.0.1",
        "--port=" + port, "--loglevel=error"));
    if (certificate != null) {
      command.addAll(List.of("--ssl", "--sslcert=" + certificate, "--sslkey=" + key));
    }
    command.add(ExternalProcess.findExecutable("cat").toString());
    Path workDirectory = Files.createDirectories(directory.resolve("websocketd-" + port));
    return ExternalProcess.start(command, workDirectory, port);
  }

  /** Returns a python3 that can import autobahn (Debian's python3-autobahn), or skips. */
  static String pythonWithAutobahn() {
    List<String> candidates = new ArrayList<>(List.of("/usr/bin/python3"));
    Path onPath = ExternalProcess.findExecutable("python3");
    if (onPath != null) {
      candidates.add(onPath.toString());
    }
    for (String python : candidates) {
      if (Files.isExecutable(Path.of(python)) && imports(python, "autobahn")) {
        return python;
      }
    }
    String message = "python3 with autobahn (python3-autobahn) is not installed";
    if (System.getenv("COURIER_REQUIRE_INTEROP") != null) {
      throw new AssertionError(message + ", but COURIER_REQUIRE_INTEROP asks for the interop tests to run");
    }
    Assumptions.abort(message);
    return null;
  }

  private static boolean imports(String python, String module) {
    try {
      Process process = new ProcessBuilder(python, "-c", "import " + module)
          .redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
