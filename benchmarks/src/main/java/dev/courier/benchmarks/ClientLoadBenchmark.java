package dev.courier.benchmarks;

import dev.courier.testing.ExternalProcess;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.NginxProcess;
import dev.courier.testing.TestCertificateAuthority;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures client cost per request under load: CPU time of this JVM (the server is nginx, in its
 * own process) and bytes allocated, per request, for 1 KiB GETs from many threads over keep-alive
 * connections on loopback. Compares Courier with its peers: the JDK's {@code java.net.http.HttpClient},
 * OkHttp, Apache HttpClient 5 and Jetty's HttpClient, each run alone with its own client instance.
 *
 * <p>Run: {@code java -cp ... dev.courier.benchmarks.ClientLoadBenchmark [--threads 50]
 * [--requests 50000] [--protocol h1|h2|h2c] [--warmup requests/5] [--tls]
 * [--client courier|jdk-httpclient|okhttp|apache-httpclient5|jetty-client|h2load|wrk] [--pin]}. {@code h2}
 * runs HTTP/2 over TLS; {@code h2c} runs HTTP/2 over cleartext with prior knowledge (the preface
 * at once, no upgrade), on one connection, for the clients that can: the JDK's client cannot (it
 * reaches HTTP/2 over cleartext only by upgrading from HTTP/1.1, which nginx does not offer), so
 * {@code h2c} leaves it out. {@code --tls} runs HTTP/1.1 over TLS too, which shows what TLS itself
 * costs. {@code --client} measures one client only. {@code --pin} runs nginx on core 0 and this JVM
 * on core 1 ({@code taskset}). Besides the table, prints one JSON line per client, which
 * {@link LoadRoundsBenchmark} reads. Needs nginx (for h2 and h2c, built with the http_v2 module).
 * {@code --client h2load} or {@code wrk} runs that native tool instead, as a reference
 * ({@link NativeLoadTool}); without {@code --client} only the Java clients run.
 */
public final class ClientLoadBenchmark {
  /** The protocols {@code --protocol} takes. */
  static final List<String> PROTOCOLS = List.of("h1", "h2", "h2c");

  private ClientLoadBenchmark() {}

  /** Runs the benchmark with command-line {@code args}. */
  public static void main(String[] args) throws Exception {
    int threads = 50;
    int requests = 50_000;
    int warmup = -1;
    String protocol = "h1";
    boolean tlsOption = false;
    String only = null;
    boolean pin = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--threads": threads = Integer.parseInt(args[++i]); break;
        case "--requests": requests = Integer.parseInt(args[++i]); break;
        case "--protocol": protocol = args[++i]; break;
        case "--warmup": warmup = Integer.parseInt(args[++i]); break;
        case "--tls": tlsOption = true; break;
        case "--client": only = args[++i]; break;
        case "--pin": pin = true; break;
        default: throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!PROTOCOLS.contains(protocol)) {
      throw new IllegalArgumentException("unknown --protocol " + protocol + ", expected one of " + PROTOCOLS);
    }
    boolean priorKnowledge = protocol.equals("h2c");
    boolean h2 = priorKnowledge || protocol.equals("h2");
    if (priorKnowledge && tlsOption) {
      throw new IllegalArgumentException("h2c is cleartext; --tls does not apply");
    }
    boolean tls = protocol.equals("h2") || tlsOption;
    Path directory = Files.createTempDirectory("courier-bench");
    Path www = Files.createDirectories(directory.resolve("www"));
    Files.write(www.resolve("1k.bin"), new byte[1024]);
    TestCertificateAuthority authority = TestCertificateAuthority.create("Benchmark CA");
    IssuedCertificate certificate = authority.issue("localhost", "127.0.0.1");
    Files.writeString(directory.resolve("cert.pem"), certificate.chainPem());
    Files.writeString(directory.resolve("key.pem"), certificate.privateKeyPem());
    int port = ExternalProcess.freePort();
    String listen = tls
        ? "listen 127.0.0.1:" + port + " ssl" + (h2 ? " http2" : "") + "; ssl_certificate "
            + directory.resolve("cert.pem") + "; ssl_certificate_key " + directory.resolve("key.pem") + ";"
        : "listen 127.0.0.1:" + port + (h2 ? " http2" : "") + ";";
    String url = (tls ? "https://localhost:" : "http://127.0.0.1:") + port + "/1k.bin";

    Map<String, LoadClient.Factory> clients = clients(protocol);
    boolean nativeTool = only != null && NativeLoadTool.speaking(protocol).contains(only);
    if (only != null && !clients.containsKey(only) && !nativeTool) {
      throw new IllegalArgumentException("unknown --client " + only + " for " + protocol + ", expected one of "
          + clients.keySet() + " or " + NativeLoadTool.speaking(protocol));
    }
    LoadClient.Settings settings = new LoadClient.Settings(threads, h2, priorKnowledge, authority);

    try (NginxProcess nginx = NginxProcess.start(directory,
        "  server { " + listen + " root " + www + "; keepalive_requests 10000000; }", port)) {
      if (pin) {
        pin(nginx.pid());
      }
      System.out.printf(Locale.ROOT, "%d threads, %d requests of 1 KiB, %s, nginx on loopback, %d cores, %s%n",
          threads, requests, priorKnowledge ? "HTTP/2 cleartext (prior knowledge)" : h2 ? "HTTP/2 over TLS"
              : tls ? "HTTP/1.1 over TLS" : "HTTP/1.1 cleartext",
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
      System.out.printf(Locale.ROOT, "%-20s %-18s %12s %14s %12s%n",
          "client", "protocol", "CPU us/req", "alloc B/req", "req/s");
      if (nativeTool) {
        String address = (tls ? "https://" : "http://") + "127.0.0.1:" + port + "/1k.bin";
        print(NativeLoadTool.run(only, address, protocol, threads, requests));
        return;
      }
      for (Map.Entry<String, LoadClient.Factory> entry : clients.entrySet()) {
        if (only != null && !only.equals(entry.getKey())) {
          continue;
        }
        // Each client exists only for its own run, so no idle peer's threads share the CPU.
        try (LoadClient client = entry.getValue().create(settings)) {
          Object version = client.get(url); // Checks one full 200 and shows what was negotiated.
          run(client, url, threads, warmup >= 0 ? warmup : Math.max(requests / 5, 1_000)); // Warm up.
          Result result = run(client, url, threads, requests);
          LoadStats.Line line = new LoadStats.Line(entry.getKey(), String.valueOf(version),
              result.cpuNanos / 1_000.0 / requests, (double) result.allocatedBytes / requests,
              requests / (result.wallNanos / 1e9));
          print(line);
        }
      }
    }
  }

  record Result(long cpuNanos, long allocatedBytes, long wallNanos) {}

  /** Prints {@code line} as a table row and as the JSON line {@link LoadRoundsBenchmark} reads. */
  private static void print(LoadStats.Line line) {
    System.out.printf(Locale.ROOT, "%-20s %-18s %12.1f %14.0f %12.0f%n", line.client(), line.protocol(),
        line.cpuMicrosPerRequest(), line.allocatedBytesPerRequest(), line.requestsPerSecond());
    System.out.println(line.json());
  }

  /**
   * Returns the clients that speak {@code protocol} ({@code h1}, {@code h2} or {@code h2c}), by
   * name, in the order the benchmark runs them. Every client speaks {@code h1} and {@code h2}; the
   * JDK's cannot speak {@code h2c} with prior knowledge.
   */
  static Map<String, LoadClient.Factory> clients(String protocol) {
    Map<String, LoadClient.Factory> clients = new LinkedHashMap<>();
    clients.put("courier", CourierLoadClient::new);
    if (!protocol.equals("h2c")) {
      clients.put("jdk-httpclient", JdkLoadClient::new);
    }
    clients.put("okhttp", OkHttpLoadClient::new);
    clients.put("apache-httpclient5", ApacheLoadClient::create);
    clients.put("jetty-client", JettyLoadClient::new);
    return clients;
  }

  /** Runs nginx (process {@code nginxPid}) on core 0 and this JVM's threads on core 1. */
  private static void pin(long nginxPid) throws Exception {
    String nginx = String.valueOf(nginxPid);
    for (List<String> command : List.of(List.of("taskset", "-apc", "0", nginx),
        List.of("taskset", "-apc", "1", String.valueOf(ProcessHandle.current().pid())))) {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new java.io.IOException(command + " failed: " + output);
      }
    }
  }

  static Result run(LoadClient client, String url, int threads, int requests) throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    AtomicLong remaining = new AtomicLong(requests);
    try {
      System.gc();
      Map<Long, Long> allocatedBefore = allocatedBytesByThread();
      long cpuBefore = processCpuNanos();
      long start = System.nanoTime();
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(executor.submit(() -> {
          while (remaining.getAndDecrement() > 0) {
            client.get(url);
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get(10, TimeUnit.MINUTES);
      }
      long wall = System.nanoTime() - start;
      return new Result(processCpuNanos() - cpuBefore, allocatedSince(allocatedBefore), wall);
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Returns the bytes each live thread has allocated so far, by thread id. */
  private static Map<Long, Long> allocatedBytesByThread() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] ids = threads.getAllThreadIds();
    long[] allocated = threads.getThreadAllocatedBytes(ids);
    Map<Long, Long> result = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (allocated[i] > 0) {
        result.put(ids[i], allocated[i]);
      }
    }
    return result;
  }

  /**
   * Returns the bytes allocated since {@code before} by threads alive now. Counting per thread keeps
   * threads that ended in between (the previous run's workers) from subtracting their totals.
   */
  private static long allocatedSince(Map<Long, Long> before) {
    long total = 0;
    for (Map.Entry<Long, Long> entry : allocatedBytesByThread().entrySet()) {
      total += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
    }
    return total;
  }
}
