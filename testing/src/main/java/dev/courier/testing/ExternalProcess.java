package dev.courier.testing;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a server program installed on this machine (nginx, nghttpd) as a child process on loopback,
 * for interop tests; {@link #close()} stops it. Its output goes to a log file in its directory,
 * quoted in the exception when it fails to start.
 */
public class ExternalProcess implements Closeable {
  private final Process process;
  private final Path log;

  ExternalProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Returns the first of {@code names} that is an executable on PATH or in /usr/sbin, or null. */
  public static Path findExecutable(String name) {
    String path = System.getenv("PATH");
    StringBuilder directories = new StringBuilder(path == null ? "" : path);
    directories.append(File.pathSeparator).append("/usr/sbin").append(File.pathSeparator).append("/usr/local/sbin");
    for (String directory : directories.toString().split(File.pathSeparator)) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Skips the calling test (or test class, from {@code @BeforeAll}) when {@code program} is not
   * installed. When the environment variable {@code COURIER_REQUIRE_INTEROP} is set, as CI sets
   * it, a missing program fails the test instead, so interop tests cannot pass by not running.
   */
  public static void assumeInstalled(String program) {
    if (findExecutable(program) != null) {
      return;
    }
    String message = program + " is not installed";
    if (System.getenv("COURIER_REQUIRE_INTEROP") != null) {
      throw new AssertionError(message + ", but COURIER_REQUIRE_INTEROP asks for the interop tests to run");
    }
    Assumptions.abort(message);
  }

  /** Returns a port on 127.0.0.1 that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts {@code command} in {@code directory}, its output logged there, and waits up to 10 s
   * for it to listen on each of {@code ports} on 127.0.0.1.
   *
   * @throws IOException quoting the log if the program exits or does not listen in time
   */
  public static ExternalProcess start(List<String> command, Path directory, int... ports)
      throws IOException {
    Path log = directory.resolve("process.log");
    Process process = new ProcessBuilder(command)
        .directory(directory.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    ExternalProcess result = new ExternalProcess(process, log);
    try {
      for (int port : ports) {
        result.awaitListening(port, command.get(0));
      }
    } catch (IOException e) {
      result.close();
      throw e;
    }
    return result;
  }

  private void awaitListening(int port, String program) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      if (!process.isAlive()) {
        throw new IOException(program + " exited with " + process.exitValue() + ": " + logText());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IOException(program + " is not listening on port " + port + " after 10 s: " + logText());
        }
        try {
          Thread.sleep(20); // Polling a child process's listening socket; there is nothing to wait on.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
  }

  Process processForSubclass() {
    return process;
  }

  Path logForSubclass() {
    return log;
  }

  /** Returns the operating system's id of the process. */
  public long pid() {
    return process.pid();
  }

  /** Returns what the process printed so far. */
  public String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops the process and waits up to 10 s for it to end. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
