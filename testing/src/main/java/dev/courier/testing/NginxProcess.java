package dev.courier.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs nginx on loopback with a configuration the test writes, in the foreground and without a
 * master process, so it needs no privileges and leaves nothing behind. Tests that use it should
 * skip themselves when {@link #isInstalled()} is false.
 *
 * <p>Typical use:
 * <pre>{@code
 * int port = ExternalProcess.freePort();
 * try (NginxProcess nginx = NginxProcess.start(dir,
 *     "server { listen 127.0.0.1:" + port + "; root " + dir + "/www; }", port)) {
 *   ...
 * }
 * }</pre>
 */
public final class NginxProcess extends ExternalProcess {
  private NginxProcess(ExternalProcess process) {
    super(process.processForSubclass(), process.logForSubclass());
  }

  /** Returns true if an nginx executable is on PATH or in /usr/sbin. */
  public static boolean isInstalled() {
    return findExecutable("nginx") != null;
  }

  /**
   * Starts nginx in {@code directory} with {@code httpBlock} as the body of its {@code http}
   * block, and waits until it listens on every one of {@code ports}.
   *
   * @throws IOException if nginx is missing, rejects the configuration, or does not listen in 10 s
   */
  public static NginxProcess start(Path directory, String httpBlock, int... ports) throws IOException {
    Path nginx = findExecutable("nginx");
    if (nginx == null) {
      throw new IOException("nginx is not installed (apt-get install nginx)");
    }
    Path root = directory.toAbsolutePath();
    Files.createDirectories(root.resolve("temp"));
    String config = String.join("\n",
        "daemon off;",
        "master_process off;",
        "worker_processes 1;",
        "pid " + root.resolve("nginx.pid") + ";",
        "error_log " + root.resolve("error.log") + " warn;",
        "events { worker_connections 1024; }",
        "http {",
        "  access_log off;",
        "  default_type application/octet-stream;",
        "  types { text/plain txt; text/html html; application/json json; application/octet-stream bin; }",
        "  client_body_temp_path " + root.resolve("temp/body") + ";",
        "  proxy_temp_path " + root.resolve("temp/proxy") + ";",
        "  fastcgi_temp_path " + root.resolve("temp/fastcgi") + ";",
        "  uwsgi_temp_path " + root.resolve("temp/uwsgi") + ";",
        "  scgi_temp_path " + root.resolve("temp/scgi") + ";",
        "  keepalive_requests 100000;",
        "  keepalive_timeout 60s;",
        httpBlock,
        "}",
        "");
    Path configFile = root.resolve("nginx.conf");
    Files.writeString(configFile, config, StandardCharsets.UTF_8);
    return new NginxProcess(ExternalProcess.start(List.of(nginx.toString(), "-p", root.toString(),
        "-c", configFile.toString(), "-e", root.resolve("error.log").toString()), root, ports));
  }
}
