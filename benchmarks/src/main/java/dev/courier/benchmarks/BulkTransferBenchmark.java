package dev.courier.benchmarks;

import dev.courier.testing.ExternalProcess;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.NginxProcess;
import dev.courier.testing.TestCertificateAuthority;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Measures bulk transfers: one large file downloaded from, or uploaded to, nginx on loopback over
 * HTTP/1.1, HTTP/1.1 with TLS, HTTP/2 with TLS and HTTP/2 over cleartext with prior knowledge
 * (h2c), by curl (the native reference) and by each Java client, every one in a fresh process.
 * Clients are interleaved over several rounds, and when the machine has two cores or more nginx
 * and the client are pinned to different cores with {@code taskset}. Prints one JSON line per run,
 * then a table per scenario with medians, the spread over rounds and ratios to curl within each
 * round.
 *
 * <p>Run: {@code java -cp ... dev.courier.benchmarks.BulkTransferBenchmark [--size-mib 1024]
 * [--warmup-mib 64] [--rounds 3] [--scenarios h1,h1-tls,h2-tls,h2c] [--directions download,upload]
 * [--clients curl,courier,okhttp,jdk-httpclient,apache-httpclient5,jetty-client]
 * [--jvm-arg ARG]... [--variant NAME=CLIENT:CLASSPATH]...}. Needs nginx (with http_v2) and curl.
 *
 * <p>{@code --variant} adds a client named NAME that runs CLIENT with CLASSPATH (jars or class
 * directories, {@code :}-separated) in front of this JVM's class path: with the jars of an earlier
 * build, it compares two versions of Courier within one run, e.g. {@code --variant
 * courier-before=courier:/tmp/before/courier-api.jar:... --clients curl,courier-before,courier}.
 *
 * <p>Each Java client reads the body into a 64 KiB buffer it discards, uploads from the file, and
 * trusts the same CA; its CPU time is its JVM's over the measured transfer, after a warm-up
 * transfer on the same connection. curl's is its whole process's (bash {@code times}). The h2c
 * scenario leaves out the JDK's client, which cannot speak h2c with prior knowledge.
 */
public final class BulkTransferBenchmark {
  private static final List<String> SCENARIOS = List.of("h1", "h1-tls", "h2-tls", "h2c");
  /**
   * The cipher suite nginx offers over TLS (1.2, nginx 1.22's highest), so that curl and every
   * client decrypt with the same one: left to their own order, curl and the JDK's default pick
   * AES-256-GCM, Courier AES-128-GCM (docs/performance.md "The TLS record path").
   */
  static final String TLS_CIPHERS = "ECDHE-ECDSA-AES256-GCM-SHA384";

  private BulkTransferBenchmark() {}

  /** One measured transfer. */
  record Run(int round, String scenario, String direction, String client, String protocol, long bytes,
      long wallNanos, long cpuNanos, long processCpuNanos) {
    double mibPerSecond() {
      return BulkTransferStats.mibPerSecond(bytes, wallNanos);
    }

    double cpuSecondsPerGib() {
      return BulkTransferStats.cpuSecondsPerGib(cpuNanos, bytes);
    }

    String json() {
      return String.format(Locale.ROOT, "{\"benchmark\":\"bulk\",\"round\":%d,\"scenario\":\"%s\","
          + "\"direction\":\"%s\",\"client\":\"%s\",\"protocol\":\"%s\",\"bytes\":%d,\"wall_ms\":%.1f,"
          + "\"mib_per_s\":%.1f,\"cpu_s_per_gib\":%.3f,\"process_cpu_s\":%.3f}", round, scenario, direction,
          client, protocol, bytes, wallNanos / 1e6, mibPerSecond(), cpuSecondsPerGib(), processCpuNanos / 1e9);
    }
  }

  /** Runs the benchmark with command-line {@code args}. */
  public static void main(String[] args) throws Exception {
    long sizeMib = 1024;
    long warmupMib = 64;
    int rounds = 3;
    List<String> scenarios = SCENARIOS;
    List<String> directions = List.of("download", "upload");
    List<String> clients = new ArrayList<>();
    clients.add("curl");
    clients.addAll(BulkTransferClient.clients().keySet());
    List<String> jvmArgs = new ArrayList<>();
    Map<String, String[]> variants = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--size-mib": sizeMib = Long.parseLong(args[++i]); break;
        case "--warmup-mib": warmupMib = Long.parseLong(args[++i]); break;
        case "--rounds": rounds = Integer.parseInt(args[++i]); break;
        case "--scenarios": scenarios = Arrays.asList(args[++i].split(",")); break;
        case "--directions": directions = Arrays.asList(args[++i].split(",")); break;
        case "--clients": clients = Arrays.asList(args[++i].split(",")); break;
        case "--jvm-arg": jvmArgs.add(args[++i]); break;
        case "--variant": {
          String[] nameAndRest = args[++i].split("=", 2);
          String[] clientAndPath = nameAndRest[1].split(":", 2);
          variants.put(nameAndRest[0], clientAndPath);
          break;
        }
        default: throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    for (String client : clients) {
      String actual = variants.containsKey(client) ? variants.get(client)[0] : client;
      if (!actual.equals("curl") && !BulkTransferClient.clients().containsKey(actual)) {
        throw new IllegalArgumentException("unknown client " + client);
      }
    }
    if (!SCENARIOS.containsAll(scenarios)) {
      throw new IllegalArgumentException("--scenarios must be among " + SCENARIOS);
    }

    Path directory = Files.createTempDirectory("courier-bulk");
    Path www = Files.createDirectories(directory.resolve("www"));
    Path file = writeFile(www.resolve("bulk.bin"), sizeMib);
    Path warmupFile = writeFile(www.resolve("warmup.bin"), warmupMib);
    TestCertificateAuthority authority = TestCertificateAuthority.create("Benchmark CA");
    IssuedCertificate certificate = authority.issue("localhost", "127.0.0.1");
    Files.writeString(directory.resolve("cert.pem"), certificate.chainPem());
    Files.writeString(directory.resolve("key.pem"), certificate.privateKeyPem());
    Path ca = directory.resolve("ca.pem");
    Files.writeString(ca, authority.certificatePem());
    Path sink = Files.createTempDirectory(uploadSinkRoot(), "courier-bulk-sink");
    Files.createDirectories(sink.resolve("temp"));
    Map<String, Integer> ports = new LinkedHashMap<>();
    StringBuilder servers = new StringBuilder();
    for (String scenario : SCENARIOS) {
      int port = ExternalProcess.freePort();
      ports.put(scenario, port);
      String listen = scenario.equals("h1") ? "listen 127.0.0.1:" + port + ";"
          : scenario.equals("h2c") ? "listen 127.0.0.1:" + port + " http2;"
          : "listen 127.0.0.1:" + port + " ssl" + (scenario.equals("h2-tls") ? " http2" : "") + ";"
              + " ssl_certificate " + directory.resolve("cert.pem") + ";"
              + " ssl_certificate_key " + directory.resolve("key.pem") + ";"
              + " ssl_ciphers " + TLS_CIPHERS + ";";
      // The upload sink: nginx answers a PUT only once it has the whole body, which it writes to a
      // file in memory (tmpfs). A location that just returns 204 would answer before reading the
      // body, and over HTTP/2 reset the stream.
      servers.append("  server { ").append(listen).append(" root ").append(www).append(";"
          + " location = /upload { root ").append(sink).append("; dav_methods PUT; client_max_body_size 0;"
          + " client_body_temp_path ").append(sink.resolve("temp")).append("; } }\n");
    }
    boolean pin = Runtime.getRuntime().availableProcessors() >= 2 && ExternalProcess.findExecutable("taskset") != null;
    List<Run> runs = new ArrayList<>();
    // Closed in reverse: nginx stops first, then the files (GiBs of them) go.
    try (AutoCloseable removeFiles = () -> deleteTree(directory);
        AutoCloseable removeSink = () -> deleteTree(sink);
        NginxProcess nginx = NginxProcess.start(directory, servers.toString(),
        ports.values().stream().mapToInt(Integer::intValue).toArray())) {
      if (pin) {
        String pid = String.valueOf(nginx.pid());
        ChildProcesses.run(List.of("taskset", "-apc", "0", pid), directory, Duration.ofMinutes(10));
      }
      System.out.printf(Locale.ROOT, "bulk transfers of %d MiB (warm-up %d MiB), nginx on loopback, %d cores, %s, %s%n",
          sizeMib, warmupMib, Runtime.getRuntime().availableProcessors(),
          pin ? "nginx on core 0, client on core 1" : "not pinned", System.getProperty("java.vm.version"));
      for (int round = 1; round <= rounds; round++) {
        // Rotate the order each round, so no client always runs first or last.
        List<String> order = new ArrayList<>(clients);
        java.util.Collections.rotate(order, -(round - 1));
        for (String scenario : scenarios) {
          String base = (cleartext(scenario) ? "http://127.0.0.1:" : "https://localhost:") + ports.get(scenario);
          for (String direction : directions) {
            for (String client : order) {
              if (scenario.equals("h2c") && !BulkTransferClient.speaksPriorKnowledge(
                  variants.containsKey(client) ? variants.get(client)[0] : client)) {
                continue;
              }
              Run run = client.equals("curl")
                  ? curl(round, scenario, direction, base, file, ca, pin, directory)
                  : java(round, scenario, direction, client, variants.get(client), base, file, warmupFile, ca,
                      pin, jvmArgs, directory);
              System.out.println(run.json());
              runs.add(run);
            }
          }
        }
      }
    }
    printTables(runs, scenarios, directions, clients);
  }

  private static boolean cleartext(String scenario) {
    return scenario.equals("h1") || scenario.equals("h2c");
  }

  /** Returns tmpfs when there is one, so writing uploads costs nginx no disk I/O. */
  private static Path uploadSinkRoot() {
    Path shm = Path.of("/dev/shm");
    return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
  }

  private static void deleteTree(Path root) throws IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static Run curl(int round, String scenario, String direction, String base, Path file, Path ca,
      boolean pin, Path directory) throws Exception {
    boolean upload = direction.equals("upload");
    String command = String.join(" ", "curl -s -S -o /dev/null --cacert", ca.toString(),
        scenario.equals("h2-tls") ? "--http2" : scenario.equals("h2c") ? "--http2-prior-knowledge" : "--http1.1",
        // -T sends Expect: 100-continue; the Java clients don't, so neither does curl here.
        upload ? "-H Expect: -T " + file : "",
        "-w 'CURL %{http_code} %{size_download} %{size_upload} %{time_total} %{http_version}\\n'",
        base + (upload ? "/upload" : "/bulk.bin"), "&& times");
    String output = ChildProcesses.run(pinned(pin, List.of("bash", "-c", command)), directory,
        Duration.ofMinutes(10));
    String[] fields = output.lines().filter(l -> l.startsWith("CURL ")).findFirst()
        .orElseThrow(() -> new IOException("no curl result: " + output)).split(" ");
    BulkClient.checkStatus("curl", Integer.parseInt(fields[1]));
    long bytes = Long.parseLong(upload ? fields[3] : fields[2]);
    if (bytes != Files.size(file)) {
      throw new IOException("curl moved " + bytes + " bytes, expected " + Files.size(file));
    }
    long cpu = BulkTransferStats.parseChildrenCpuNanos(output);
    return new Run(round, scenario, direction, "curl", "http/" + fields[5], bytes,
        Math.round(Double.parseDouble(fields[4]) * 1e9), cpu, cpu);
  }

  private static Run java(int round, String scenario, String direction, String client, String[] variant,
      String base, Path file, Path warmupFile, Path ca, boolean pin, List<String> jvmArgs, Path directory)
      throws Exception {
    String classPath = variant == null ? absoluteClassPath() : variant[1] + java.io.File.pathSeparator + absoluteClassPath();
    String clientName = variant == null ? client : variant[0];
    boolean upload = direction.equals("upload");
    List<String> java = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"), "-Xmx512m"));
    java.addAll(jvmArgs);
    java.addAll(List.of("-cp", classPath, BulkTransferClient.class.getName(),
        "--client", clientName, "--direction", direction, "--ca", ca.toString(),
        "--url", base + (upload ? "/upload" : "/bulk.bin"),
        "--warmup-url", base + (upload ? "/upload" : "/warmup.bin"),
        "--file", file.toString(), "--warmup-file", warmupFile.toString()));
    if (scenario.equals("h2-tls")) {
      java.add("--h2");
    } else if (scenario.equals("h2c")) {
      java.add("--h2c");
    }
    String command = String.join(" ", java.stream().map(BulkTransferBenchmark::quote).toList()) + " && times";
    String output = ChildProcesses.run(pinned(pin, List.of("bash", "-c", command)), directory,
        Duration.ofMinutes(10));
    BulkTransferStats.ClientResult result = BulkTransferStats.parseClient(output);
    if (result.bytes() != Files.size(file)) {
      throw new IOException(client + " moved " + result.bytes() + " bytes, expected " + Files.size(file));
    }
    return new Run(round, scenario, direction, client, result.protocol(), result.bytes(), result.wallNanos(),
        result.cpuNanos(), BulkTransferStats.parseChildrenCpuNanos(output));
  }

  private static void printTables(List<Run> runs, List<String> scenarios, List<String> directions,
      List<String> clients) {
    for (String scenario : scenarios) {
      for (String direction : directions) {
        System.out.printf(Locale.ROOT, "%n%s %s: median [min-max] over rounds; ratios to curl within each round%n",
            scenario, direction);
        System.out.printf(Locale.ROOT, "%-20s %-18s %-24s %-18s %-22s %-18s%n",
            "client", "protocol", "MiB/s", "x curl MiB/s", "CPU s/GiB", "x curl CPU");
        for (String client : clients) {
          List<Run> mine = runs.stream().filter(r -> r.scenario().equals(scenario)
              && r.direction().equals(direction) && r.client().equals(client)).toList();
          if (mine.isEmpty()) {
            continue;
          }
          List<Double> speedRatios = new ArrayList<>();
          List<Double> cpuRatios = new ArrayList<>();
          for (Run run : mine) {
            runs.stream().filter(r -> r.round() == run.round() && r.scenario().equals(scenario)
                && r.direction().equals(direction) && r.client().equals("curl")).findFirst().ifPresent(curl -> {
                  speedRatios.add(run.mibPerSecond() / curl.mibPerSecond());
                  cpuRatios.add(run.cpuSecondsPerGib() / curl.cpuSecondsPerGib());
                });
          }
          System.out.printf(Locale.ROOT, "%-20s %-18s %-24s %-18s %-22s %-18s%n", client, mine.get(0).protocol(),
              BulkTransferStats.summarize(mine.stream().map(Run::mibPerSecond).toList()).format(0),
              speedRatios.isEmpty() ? "-" : BulkTransferStats.summarize(speedRatios).format(2),
              BulkTransferStats.summarize(mine.stream().map(Run::cpuSecondsPerGib).toList()).format(3),
              cpuRatios.isEmpty() ? "-" : BulkTransferStats.summarize(cpuRatios).format(2));
        }
      }
    }
  }

  /** Returns this JVM's class path with absolute entries, as children run in another directory. */
  private static String absoluteClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  private static List<String> pinned(boolean pin, List<String> command) {
    if (!pin) {
      return command;
    }
    List<String> result = new ArrayList<>(List.of("taskset", "-c", "1"));
    result.addAll(command);
    return result;
  }

  private static String quote(String argument) {
    return "'" + argument.replace("'", "'\\''") + "'";
  }


  /** Writes {@code mib} MiB of pseudo-random bytes to {@code path}, so nothing on the way can compress them. */
  private static Path writeFile(Path path, long mib) throws IOException {
    byte[] block = new byte[1024 * 1024];
    new Random(42).nextBytes(block);
    try (OutputStream out = Files.newOutputStream(path)) {
      for (long i = 0; i < mib; i++) {
        out.write(block);
      }
    }
    return path;
  }
}
