package dev.courier.benchmarks;

import dev.courier.testing.ExternalProcess;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.NginxProcess;
import dev.courier.testing.TestCertificateAuthority;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Measures cold start: a fresh JVM per run builds one client with its defaults and makes one HTTPS
 * call (HTTP/2 by ALPN; HTTP/1.1 with {@code --protocol h1}; HTTP/1.1 cleartext, the JDK's client
 * then offering h2c as it does by default, with {@code h1c}) to nginx on loopback, and the
 * benchmark times it from starting the process to the whole first response, in phases: the JVM's
 * own start up to {@code main}, building the client, and the first call. Clients are interleaved,
 * in an order rotated every round. Prints one JSON line per run, then a table with the median and
 * spread [min-max] of each phase and each client's ratio to OkHttp within each round, the classes loaded
 * and the CPU time the process used (every thread, user and system) by the first response.
 *
 * <p>Every client trusts the benchmark's test CA the same way: it is the child JVM's default trust
 * store ({@code -Djavax.net.ssl.trustStore}), so each client sets up TLS as it does by default.
 *
 * <p>Run: {@code java -cp ... dev.courier.benchmarks.ColdStartBenchmark [--rounds 10]
 * [--protocol h2|h1|h1c] [--clients courier,okhttp,jdk-httpclient,apache-httpclient5,jetty-client]
 * [--pin] [--jvm-arg ARG]... [--baseline CLASSPATH] [--shared-classpath]}. {@code --pin} runs nginx on core 0 and the
 * clients on core 1 ({@code taskset}); by default neither is pinned, as a JVM starting up uses every
 * core it has. {@code --baseline} adds a client {@code courier-baseline}: Courier run from another
 * class path (for instance the jars of an earlier commit, with the benchmarks jar), interleaved with
 * the others, so a change is compared with what it changed in the same rounds. Needs nginx built
 * with http_v2.
 *
 * <p>Each client's JVM gets the class path an application depending on that client alone would
 * have: the benchmarks jar and that client's jars with their dependencies ({@link ColdStartClassPath};
 * {@code courier-baseline}'s are picked the same way from its class path). With
 * {@code --shared-classpath} every child gets this JVM's whole class path instead (every peer's
 * jars, as the earlier figures were measured), and {@code courier-baseline} its whole given one.
 */
public final class ColdStartBenchmark {
  /** The clients the benchmark knows, in their default order. */
  static final List<String> CLIENTS =
      List.of("courier", "okhttp", "jdk-httpclient", "apache-httpclient5", "jetty-client");
  private static final String REFERENCE = "okhttp";
  private static final String BASELINE = "courier-baseline";

  private ColdStartBenchmark() {}

  /** Runs the benchmark with command-line {@code args}. */
  public static void main(String[] args) throws Exception {
    int rounds = 10;
    String protocol = "h2";
    List<String> clients = CLIENTS;
    boolean pin = false;
    List<String> jvmArgs = new ArrayList<>();
    String baselineClassPath = null;
    boolean sharedClassPath = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds": rounds = Integer.parseInt(args[++i]); break;
        case "--protocol": protocol = args[++i]; break;
        case "--clients": clients = Arrays.asList(args[++i].split(",")); break;
        case "--pin": pin = true; break;
        case "--jvm-arg": jvmArgs.add(args[++i]); break;
        case "--baseline": baselineClassPath = args[++i]; break;
        case "--shared-classpath": sharedClassPath = true; break;
        default: throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!CLIENTS.containsAll(clients)) {
      throw new IllegalArgumentException("--clients must be among " + CLIENTS);
    }
    if (baselineClassPath != null) {
      clients = new ArrayList<>(clients);
      clients.add(1, BASELINE);
    }
    if (!List.of("h2", "h1", "h1c").contains(protocol)) {
      throw new IllegalArgumentException("--protocol must be h2, h1 or h1c");
    }
    if (pin && ExternalProcess.findExecutable("taskset") == null) {
      throw new IllegalArgumentException("--pin needs taskset");
    }

    Path directory = Files.createTempDirectory("courier-cold");
    Path www = Files.createDirectories(directory.resolve("www"));
    Files.write(www.resolve("1k.bin"), new byte[LoadClient.BODY_BYTES]);
    TestCertificateAuthority authority = TestCertificateAuthority.create("Benchmark CA");
    IssuedCertificate certificate = authority.issue("localhost", "127.0.0.1");
    Files.writeString(directory.resolve("cert.pem"), certificate.chainPem());
    Files.writeString(directory.resolve("key.pem"), certificate.privateKeyPem());
    Path trustStore = writeTrustStore(directory.resolve("trust.p12"), authority);
    int port = ExternalProcess.freePort();
    boolean cleartext = protocol.equals("h1c");
    String listen = cleartext ? "listen 127.0.0.1:" + port + ";"
        : "listen 127.0.0.1:" + port + " ssl" + (protocol.equals("h2") ? " http2" : "") + ";"
            + " ssl_certificate " + directory.resolve("cert.pem") + ";"
            + " ssl_certificate_key " + directory.resolve("key.pem") + ";";
    String url = (cleartext ? "http://127.0.0.1:" : "https://localhost:") + port + "/1k.bin";
    List<String> java = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword=benchmark",
        "-Djavax.net.ssl.trustStoreType=PKCS12"));
    java.addAll(jvmArgs);
    Map<String, List<String>> classPaths = new LinkedHashMap<>();
    List<String> ownClassPath = absoluteClassPath();
    String benchmarksJar = Path.of(ColdStartClient.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toAbsolutePath().toString();
    for (String client : clients) {
      boolean baseline = client.equals(BASELINE);
      List<String> full = baseline ? Arrays.asList(baselineClassPath.split(File.pathSeparator)) : ownClassPath;
      classPaths.put(client, sharedClassPath ? full
          : ColdStartClassPath.forClient(baseline ? "courier" : client, baseline ? full.get(0) : benchmarksJar, full));
    }

    List<ColdStartStats.Run> runs = new ArrayList<>();
    // Closed in reverse: nginx stops first, then its directory goes.
    try (AutoCloseable removeFiles = () -> deleteTree(directory);
        NginxProcess nginx = NginxProcess.start(directory, "  server { " + listen + " root " + www + "; }", port)) {
      if (pin) {
        String pid = String.valueOf(nginx.pid());
        ChildProcesses.run(List.of("taskset", "-apc", "0", pid), directory, Duration.ofMinutes(2));
      }
      System.out.printf(Locale.ROOT, "cold start: one GET of 1 KiB (%s) per fresh JVM, nginx on loopback, "
          + "%d rounds, %d cores, %s, %s%n", protocol.equals("h2") ? "HTTP/2 over TLS"
          : cleartext ? "HTTP/1.1 cleartext" : "HTTP/1.1 over TLS", rounds,
          Runtime.getRuntime().availableProcessors(), pin ? "nginx on core 0, client on core 1" : "not pinned",
          System.getProperty("java.vm.version"));
      System.out.printf(Locale.ROOT, "class path per client: %s; jars:", sharedClassPath
          ? "shared (this JVM's whole class path)" : "own (the benchmarks jar, the client's jars and their dependencies)");
      classPaths.forEach((client, path) -> System.out.printf(Locale.ROOT, " %s %d", client, path.size()));
      System.out.println();
      for (int round = 1; round <= rounds; round++) {
        List<String> order = new ArrayList<>(clients);
        Collections.rotate(order, -(round - 1));
        for (String client : order) {
          List<String> command = new ArrayList<>(pin ? List.of("taskset", "-c", "1") : List.of());
          command.addAll(java);
          command.addAll(List.of("-cp", String.join(File.pathSeparator, classPaths.get(client)),
              ColdStartClient.class.getName()));
          command.add(client.equals(BASELINE) ? "courier" : client);
          command.add(url);
          long spawnMicros = nowMicros();
          String output = ChildProcesses.run(command, directory, Duration.ofMinutes(2));
          ColdStartStats.Run run = ColdStartStats.run(round, client, spawnMicros, ColdStartStats.parseClient(output));
          System.out.println(run.json());
          runs.add(run);
        }
      }
    }
    printTable(runs, clients);
  }

  private static void printTable(List<ColdStartStats.Run> runs, List<String> clients) {
    System.out.printf(Locale.ROOT, "%nmilliseconds, median [min-max] over rounds; x %s: the ratio to %s "
        + "within each round, median [min-max]%n", REFERENCE, REFERENCE);
    System.out.printf(Locale.ROOT, "%-19s %-9s %-22s %-19s %-19s %-19s %-19s %-19s %-7s %s%n", "client", "protocol",
        "to first response", "x " + REFERENCE, "JVM to main", "build client", "first call", "x " + REFERENCE,
        "classes", "CPU ms");
    for (String client : clients) {
      List<ColdStartStats.Run> mine = runs.stream().filter(r -> r.client().equals(client)).toList();
      if (mine.isEmpty()) {
        continue;
      }
      System.out.printf(Locale.ROOT, "%-19s %-9s %-22s %-19s %-19s %-19s %-19s %-19s %-7.0f %s%n", client,
          mine.get(0).protocol(),
          summary(mine, ColdStartStats.Run::totalMillis, 0),
          ratio(runs, client, ColdStartStats.Run::totalMillis),
          summary(mine, ColdStartStats.Run::jvmMillis, 0),
          summary(mine, ColdStartStats.Run::buildMillis, 0),
          summary(mine, ColdStartStats.Run::firstCallMillis, 0),
          ratio(runs, client, ColdStartStats.Run::firstCallMillis),
          BulkTransferStats.summarize(mine.stream().map(r -> (double) r.classes()).toList()).median(),
          mine.stream().anyMatch(r -> r.cpuMillis() < 0) ? "-" : summary(mine, ColdStartStats.Run::cpuMillis, 0));
    }
  }

  private static String summary(List<ColdStartStats.Run> runs, ToDoubleFunction<ColdStartStats.Run> value,
      int decimals) {
    return BulkTransferStats.summarize(runs.stream().map(value::applyAsDouble).toList()).format(decimals);
  }

  private static String ratio(List<ColdStartStats.Run> runs, String client,
      ToDoubleFunction<ColdStartStats.Run> value) {
    List<Double> ratios = ColdStartStats.ratios(runs, client, REFERENCE, value);
    return ratios.isEmpty() ? "-" : BulkTransferStats.summarize(ratios).format(2);
  }

  private static void deleteTree(Path root) throws IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** Writes a PKCS#12 trust store holding only the CA's certificate, password {@code benchmark}. */
  private static Path writeTrustStore(Path path, TestCertificateAuthority authority) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("benchmark-ca", authority.certificate());
    try (OutputStream out = Files.newOutputStream(path)) {
      store.store(out, "benchmark".toCharArray());
    }
    return path;
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** Returns this JVM's class path with absolute entries, as children run in another directory. */
  private static List<String> absoluteClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .toList();
  }


}
