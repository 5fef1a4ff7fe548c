package dev.courier.benchmarks;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.pool.ConnectionPool;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.pool.PoolLimits;
import dev.courier.testing.ExternalProcess;
import dev.courier.testing.IssuedCertificate;
import dev.courier.testing.NginxProcess;
import dev.courier.testing.TestCertificateAuthority;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Counts the connections each client opens when many calls to an HTTP/2 origin start at the same
 * moment on a client that has no connection yet: a client that waits for the first connect and
 * then shares its connection opens one; one that connects for every call opens as many as there
 * are calls.
 *
 * <p>nginx serves HTTP/2 over TLS on loopback. The connections a client opened are the TCP
 * connections nginx accepted meanwhile (its {@code stub_status} counter, read over a separate
 * cleartext port before and after); the connections it used are the distinct connection serials
 * ({@code $connection}) nginx logged for its requests. A client may open connections it then
 * closes unused, so the two can differ. Each round creates every client afresh (in an order that rotates
 * round by round), starts {@code --calls} threads that wait at a latch, releases them together so
 * that each sends one GET of a 1 KiB file, and counts. Each client is configured as in
 * {@link ClientLoadBenchmark}, its pool sized for the calls. nginx allows {@code --max-streams}
 * concurrent streams per connection (its default, 128, unless told otherwise): with fewer than
 * there are calls, a client either opens more connections or queues calls for a free stream.
 *
 * <p>Run: {@code java -cp ... dev.courier.benchmarks.FirstCallsBenchmark [--calls 200]
 * [--rounds 3] [--max-streams 128] [--client courier|jdk-httpclient|okhttp|apache-httpclient5|jetty-client]}. Prints a
 * table (connections per round, the protocols negotiated, failed calls) and one JSON line per
 * client and round. Needs nginx built with the http_v2 module.
 *
 * <p>{@code courier-1-per-origin} is Courier with {@code PoolLimits.withMaxConnectionsPerAddress(1)},
 * under which calls that find the connection at the server's stream limit wait for a stream on it.
 */
public final class FirstCallsBenchmark {
  private FirstCallsBenchmark() {}

  /** Runs the benchmark with command-line {@code args}. */
  public static void main(String[] args) throws Exception {
    int calls = 200;
    int rounds = 3;
    int maxStreams = 128;
    String only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--calls": calls = Integer.parseInt(args[++i]); break;
        case "--rounds": rounds = Integer.parseInt(args[++i]); break;
        case "--max-streams": maxStreams = Integer.parseInt(args[++i]); break;
        case "--client": only = args[++i]; break;
        default: throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Map<String, LoadClient.Factory> clients = new LinkedHashMap<>();
    clients.put("courier", CourierLoadClient::new);
    clients.put("courier-1-per-origin", OneConnectionPerOrigin::new);
    clients.put("jdk-httpclient", JdkLoadClient::new);
    clients.put("okhttp", OkHttpLoadClient::new);
    clients.put("apache-httpclient5", ApacheLoadClient::create);
    clients.put("jetty-client", JettyLoadClient::new);
    if (only != null) {
      if (!clients.containsKey(only)) {
        throw new IllegalArgumentException("unknown --client " + only + ", expected one of " + clients.keySet());
      }
      clients.keySet().retainAll(Set.of(only));
    }

    Path directory = Files.createTempDirectory("courier-first-calls");
    Path www = Files.createDirectories(directory.resolve("www"));
    Files.write(www.resolve("1k.bin"), new byte[LoadClient.BODY_BYTES]);
    TestCertificateAuthority authority = TestCertificateAuthority.create("Benchmark CA");
    IssuedCertificate certificate = authority.issue("localhost", "127.0.0.1");
    Files.writeString(directory.resolve("cert.pem"), certificate.chainPem());
    Files.writeString(directory.resolve("key.pem"), certificate.privateKeyPem());
    Path log = directory.resolve("connections.log");
    int port = ExternalProcess.freePort();
    int statusPort = ExternalProcess.freePort();
    String url = "https://localhost:" + port + "/1k.bin";
    LoadClient.Settings settings = new LoadClient.Settings(calls, true, false, authority);

    Map<String, List<Integer>> connections = new LinkedHashMap<>();
    Map<String, List<Integer>> used = new LinkedHashMap<>();
    Map<String, Set<String>> protocols = new LinkedHashMap<>();
    Map<String, Integer> failures = new LinkedHashMap<>();
    List<String> order = new ArrayList<>(clients.keySet());
    try (NginxProcess nginx = NginxProcess.start(directory,
        "  log_format connections '$connection';\n"
            + "  server { listen 127.0.0.1:" + port + " ssl http2; ssl_certificate "
            + directory.resolve("cert.pem") + "; ssl_certificate_key " + directory.resolve("key.pem")
            + "; http2_max_concurrent_streams " + maxStreams + "; root " + www + "; access_log " + log + " connections; }\n"
            + "  server { listen 127.0.0.1:" + statusPort + "; location = /status { stub_status; } }",
        port, statusPort)) {
      System.out.printf(Locale.ROOT, "%d simultaneous first calls to an HTTP/2 origin (TLS, nginx on loopback, "
          + "SETTINGS_MAX_CONCURRENT_STREAMS %d), %d rounds, %d cores, %s%n", calls, maxStreams, rounds, Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.vm.version"));
      for (int round = 1; round <= rounds; round++) {
        for (String name : order) {
          long logStart = Files.exists(log) ? Files.size(log) : 0;
          long acceptsBefore = accepts(statusPort);
          Set<String> seen = Collections.synchronizedSet(new HashSet<>());
          int failed;
          try (LoadClient client = clients.get(name).create(settings)) {
            failed = fireTogether(client, url, calls, seen);
          }
          // The second status read's own connection is counted in its figure.
          int opened = (int) (accepts(statusPort) - acceptsBefore - 1);
          int usedConnections = distinctConnections(log, logStart);
          connections.computeIfAbsent(name, k -> new ArrayList<>()).add(opened);
          used.computeIfAbsent(name, k -> new ArrayList<>()).add(usedConnections);
          protocols.computeIfAbsent(name, k -> new HashSet<>()).addAll(seen);
          failures.merge(name, failed, Integer::sum);
          System.out.printf(Locale.ROOT, "{\"benchmark\":\"first-calls\",\"client\":\"%s\",\"round\":%d,"
              + "\"calls\":%d,\"connections_opened\":%d,\"connections_used\":%d,\"failed\":%d,"
              + "\"protocols\":\"%s\"}%n",
              name, round, calls, opened, usedConnections, failed, String.join(",", new java.util.TreeSet<>(seen)));
        }
        Collections.rotate(order, 1);
      }
    }
    System.out.printf(Locale.ROOT, "%n%-20s %-10s %-26s %-26s %7s%n", "client", "protocol",
        "opened per round", "used per round", "failed");
    for (String name : connections.keySet()) {
      System.out.printf(Locale.ROOT, "%-20s %-10s %-26s %-26s %7d%n", name, String.join(",", protocols.get(name)),
          connections.get(name), used.get(name), failures.get(name));
    }
  }

  /** Sends one GET from each of {@code calls} threads released together; returns how many failed. */
  private static int fireTogether(LoadClient client, String url, int calls, Set<String> protocols)
      throws InterruptedException {
    ExecutorService executor = Executors.newFixedThreadPool(calls);
    CountDownLatch ready = new CountDownLatch(calls);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> results = new ArrayList<>();
    try {
      for (int i = 0; i < calls; i++) {
        results.add(executor.submit(() -> {
          ready.countDown();
          go.await();
          protocols.add(String.valueOf(client.get(url)));
          return null;
        }));
      }
      ready.await();
      go.countDown();
      int failed = 0;
      for (Future<?> result : results) {
        try {
          result.get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
          failed++;
          if (failed == 1) {
            System.err.println("first failure: " + e);
          }
        }
      }
      return failed;
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  /** Courier with a pool limited to one connection per origin. */
  private static final class OneConnectionPerOrigin implements LoadClient {
    private final CourierClient client;

    OneConnectionPerOrigin(Settings settings) {
      client = CourierClient.builder()
          .protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1))
          .sslSocketFactory(settings.authority().clientSocketFactory(), settings.authority().trustManager())
          .connectionPool(new ConnectionPool(new IdleTimeEvictionPolicy(settings.threads(), 5, TimeUnit.MINUTES),
              PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(1)))
          .build();
    }

    @Override
    public Object get(String url) throws java.io.IOException {
      try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
        LoadClient.checkResponse("courier-1-per-origin", response.code(), response.body().bytes().length);
        return response.protocol();
      }
    }
  }

  /** Returns the connections nginx has accepted so far, this status request's own included. */
  private static long accepts(int statusPort) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), statusPort)) {
      socket.getOutputStream().write("GET /status HTTP/1.0\r\nHost: localhost\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      String status = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      // "... server accepts handled requests\n 12 12 40 \n..."
      String[] lines = status.split("\n");
      for (int i = 0; i + 1 < lines.length; i++) {
        if (lines[i].contains("accepts handled requests")) {
          return Long.parseLong(lines[i + 1].trim().split("\\s+")[0]);
        }
      }
      throw new java.io.IOException("no accepts counter in nginx's stub_status: " + status);
    }
  }

  /** Returns the distinct connection serials nginx logged after byte {@code from} of {@code log}. */
  private static int distinctConnections(Path log, long from) throws Exception {
    byte[] bytes = Files.readAllBytes(log);
    String logged = new String(bytes, (int) from, bytes.length - (int) from, StandardCharsets.US_ASCII);
    Set<String> serials = new HashSet<>();
    for (String line : logged.split("\n")) {
      if (!line.isBlank()) {
        serials.add(line.trim());
      }
    }
    return serials.size();
  }
}
