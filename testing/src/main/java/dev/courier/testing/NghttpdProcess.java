package dev.courier.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs nghttpd, the nghttp2 project's HTTP/2 server, on loopback for interop tests: over TLS with
 * ALPN {@code h2} when given a certificate, else cleartext HTTP/2 with prior knowledge. With
 * {@code echoUpload}, a request body is echoed back as the response body. Tests that use it
 * should skip themselves when {@link #isInstalled()} is false.
 */
public final class NghttpdProcess extends ExternalProcess {
  private NghttpdProcess(ExternalProcess process) {
    super(process.processForSubclass(), process.logForSubclass());
  }

  /** Returns true if an nghttpd executable is on PATH or in /usr/sbin. */
  public static boolean isInstalled() {
    return findExecutable("nghttpd") != null;
  }

  /**
   * Starts nghttpd serving {@code htdocs} on 127.0.0.1:{@code port} and waits until it listens.
   *
   * @param keyPem the private key file, or null for cleartext (h2c prior knowledge)
   * @param certificatePem the certificate file, or null for cleartext
   * @param extraArguments more nghttpd options, such as {@code "--max-concurrent-streams=100"}
   * @throws IOException if nghttpd is missing, fails to start, or does not listen in 10 s
   */
  public static NghttpdProcess start(Path directory, Path htdocs, int port, Path keyPem,
      Path certificatePem, boolean echoUpload, String... extraArguments) throws IOException {
    Path nghttpd = findExecutable("nghttpd");
    if (nghttpd == null) {
      throw new IOException("nghttpd is not installed (apt-get install nghttp2-server)");
    }
    List<String> command = new ArrayList<>();
    command.add(nghttpd.toString());
    command.add("--htdocs=" + htdocs.toAbsolutePath());
    command.add("--address=127.0.0.1");
    if (echoUpload) {
      command.add("--echo-upload");
    }
    command.addAll(List.of(extraArguments));
    if (keyPem == null) {
      command.add("--no-tls");
    }
    command.add(Integer.toString(port));
    if (keyPem != null) {
      command.add(keyPem.toAbsolutePath().toString());
      command.add(certificatePem.toAbsolutePath().toString());
    }
    return new NghttpdProcess(ExternalProcess.start(command, directory.toAbsolutePath(), port));
  }
}
