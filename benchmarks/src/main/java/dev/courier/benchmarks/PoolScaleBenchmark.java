package dev.courier.benchmarks;

import dev.courier.chain.CourierClient;
import dev.courier.pool.IdleTimeEvictionPolicy;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * Measures what a pooled connection costs a call as the pool grows: one thread sends GETs through
 * each client's public API to a loopback server ({@link PoolScaleServer}, in its own JVM), first
 * with 10 pooled connections to 1 address, then with 10,000 pooled connections over 1,000
 * addresses (10 each), calling either one of its addresses or all of them in turn. Every call finds
 * an idle connection in the pool; none connects. The figures are the wall time and this JVM's CPU
 * time per call (median of the rounds), and their ratios to the small pool's; Courier and OkHttp
 * run in the same JVM, one after the other, against the same server.
 *
 * <p>Run: {@code java -cp ... dev.courier.benchmarks.PoolScaleBenchmark [--addresses 1000]
 * [--per-address 10] [--calls 20000] [--rounds 3] [--client courier|okhttp]}. Prints a table and
 * one JSON line per client.
 */
public final class PoolScaleBenchmark {
  private PoolScaleBenchmark() {}

  /** A client under test: holds responses open to force connections, or makes whole calls. */
  interface Client extends AutoCloseable {
    /** Sends a GET and returns its response unread, keeping its connection in use. */
    Closeable hold(String url) throws IOException;

    /** Sends a GET, reads the body and releases the connection. */
    void get(String url) throws IOException;

    /** Returns the number of connections in the client's pool. */
    int connectionCount();

    @Override
    void close();
  }

  /** Runs the benchmark with command-line {@code args}. */
  public static void main(String[] args) throws Exception {
    int addresses = 1_000;
    int perAddress = 10;
    int calls = 20_000;
    int rounds = 3;
    String only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--addresses": addresses = Integer.parseInt(args[++i]); break;
        case "--per-address": perAddress = Integer.parseInt(args[++i]); break;
        case "--calls": calls = Integer.parseInt(args[++i]); break;
        case "--rounds": rounds = Integer.parseInt(args[++i]); break;
        case "--client": only = args[++i]; break;
        default: throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Process server = new ProcessBuilder(java.toString(), "-Xmx1g", "-cp",
        System.getProperty("java.class.path"), PoolScaleServer.class.getName(), String.valueOf(addresses))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try {
      BufferedReader serverOut = new BufferedReader(
          new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII));
      String line = serverOut.readLine();
      if (line == null) {
        throw new IOException("PoolScaleServer ended before listening");
      }
      List<String> urls = new ArrayList<>();
      for (String port : line.trim().split(" ")) {
        urls.add("http://127.0.0.1:" + port + "/");
      }
      int totalConnections = addresses * perAddress;
      System.out.printf(Locale.ROOT, "pool scale: %d calls x %d rounds, %d vs %d pooled connections "
              + "(%d per address), HTTP/1.1 on loopback, %d cores, %s%n", calls, rounds, perAddress,
          totalConnections, perAddress, Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.vm.version"));
      System.out.printf(Locale.ROOT, "%-10s %-26s %14s %14s %8s %8s%n", "client", "calls go to",
          "wall us/call", "CPU us/call", "wall x", "CPU x");
      for (String name : List.of("courier", "okhttp")) {
        if (only != null && !only.equals(name)) {
          continue;
        }
        try (Client small = create(name, totalConnections); Client large = create(name, totalConnections)) {
          fill(small, urls.subList(0, 1), perAddress);
          fill(large, urls, perAddress);
          List<String> one = urls.subList(0, 1);
          // Three patterns: the small pool; the large pool, calls to one of its addresses (what the
          // pool's size alone costs); the large pool, calls cycling over every address (adds what
          // touching 10,000 sockets costs the kernel, the server and the caches).
          Sample[][] samples = new Sample[3][rounds];
          measure(small, one, calls); // Warm up every path before timing any.
          measure(large, one, calls);
          measure(large, urls, calls);
          for (int r = 0; r < rounds; r++) {
            samples[0][r] = measure(small, one, calls);
            samples[1][r] = measure(large, one, calls);
            samples[2][r] = measure(large, urls, calls);
          }
          checkPooled(name, small, perAddress);
          checkPooled(name, large, totalConnections);
          Sample base = Sample.median(samples[0]);
          String[] labels = {
              perAddress + " conns, 1 address",
              totalConnections + " conns, 1 address",
              totalConnections + " conns, " + addresses + " addresses"};
          String[] keys = {"small", "large_one_address", "large_all_addresses"};
          StringBuilder json = new StringBuilder();
          json.append(String.format(Locale.ROOT, "{\"benchmark\":\"pool-scale\",\"client\":\"%s\","
              + "\"small_connections\":%d,\"large_connections\":%d,\"addresses\":%d,\"calls\":%d,\"rounds\":%d",
              name, perAddress, totalConnections, addresses, calls, rounds));
          for (int p = 0; p < 3; p++) {
            Sample median = Sample.median(samples[p]);
            System.out.printf(Locale.ROOT, "%-10s %-26s %14.2f %14.2f %8.2f %8.2f%n", name, labels[p],
                median.wallNanos / 1_000.0, median.cpuNanos / 1_000.0, median.wallNanos / base.wallNanos,
                median.cpuNanos / base.cpuNanos);
            json.append(String.format(Locale.ROOT, ",\"%s\":{\"wall_us\":%.3f,\"cpu_us\":%.3f,"
                    + "\"wall_ratio\":%.3f,\"cpu_ratio\":%.3f,\"rounds_wall_us\":%s}", keys[p],
                median.wallNanos / 1_000.0, median.cpuNanos / 1_000.0, median.wallNanos / base.wallNanos,
                median.cpuNanos / base.cpuNanos, micros(samples[p])));
          }
          System.out.println(json.append('}'));
        }
      }
    } finally {
      server.getOutputStream().close();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor();
      }
    }
  }

  private static Client create(String name, int maxIdle) {
    return name.equals("courier") ? new CourierClientUnderTest(maxIdle) : new OkHttpClientUnderTest(maxIdle);
  }

  /** Opens {@code perAddress} connections to each of {@code urls} and leaves them idle in the pool. */
  private static void fill(Client client, List<String> urls, int perAddress) throws IOException {
    for (String url : urls) {
      List<Closeable> held = new ArrayList<>();
      for (int i = 0; i < perAddress; i++) {
        held.add(client.hold(url));
      }
      for (Closeable response : held) {
        response.close();
      }
    }
    checkPooled("filling", client, urls.size() * perAddress);
  }

  private static void checkPooled(String name, Client client, int expected) {
    int pooled = client.connectionCount();
    if (pooled != expected) {
      throw new IllegalStateException(name + ": expected " + expected + " pooled connections, found " + pooled);
    }
  }

  /** Wall and client-JVM CPU nanoseconds per call, over one measured run. */
  record Sample(double wallNanos, double cpuNanos) {
    /** Returns the sample with the median wall time. */
    static Sample median(Sample[] samples) {
      Sample[] sorted = samples.clone();
      Arrays.sort(sorted, (a, b) -> Double.compare(a.wallNanos, b.wallNanos));
      return sorted[sorted.length / 2];
    }
  }

  /** Measures {@code calls} GETs, cycling through {@code urls}. */
  private static Sample measure(Client client, List<String> urls, int calls) throws IOException {
    int size = urls.size();
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      client.get(urls.get(i % size));
    }
    long wall = System.nanoTime() - start;
    return new Sample((double) wall / calls, (double) (processCpuNanos() - cpuStart) / calls);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String micros(Sample[] samples) {
    StringBuilder result = new StringBuilder("[");
    for (int i = 0; i < samples.length; i++) {
      result.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", samples[i].wallNanos / 1_000.0));
    }
    return result.append(']').toString();
  }

  /** Courier with a pool that keeps every connection for 5 minutes. */
  static final class CourierClientUnderTest implements Client {
    private final CourierClient client;

    CourierClientUnderTest(int maxIdle) {
      client = CourierClient.builder()
          .connectionPool(new dev.courier.pool.ConnectionPool(
              new IdleTimeEvictionPolicy(maxIdle, 5, TimeUnit.MINUTES)))
          .build();
    }

    @Override
    public Closeable hold(String url) throws IOException {
      return client.newCall(new dev.courier.Request.Builder().url(url).build()).execute();
    }

    @Override
    public void get(String url) throws IOException {
      try (dev.courier.Response response =
               client.newCall(new dev.courier.Request.Builder().url(url).build()).execute()) {
        if (response.code() != 200 || response.body().bytes().length != 2) {
          throw new IOException("courier: unexpected response " + response);
        }
      }
    }

    @Override
    public int connectionCount() {
      return client.connectionPool().connectionCount();
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /** OkHttp with a pool that keeps every connection for 5 minutes. */
  static final class OkHttpClientUnderTest implements Client {
    private final OkHttpClient client;

    OkHttpClientUnderTest(int maxIdle) {
      client = new OkHttpClient.Builder()
          .protocols(List.of(okhttp3.Protocol.HTTP_1_1))
          .connectionPool(new okhttp3.ConnectionPool(maxIdle, 5, TimeUnit.MINUTES))
          .build();
    }

    @Override
    public Closeable hold(String url) throws IOException {
      return client.newCall(new okhttp3.Request.Builder().url(url).build()).execute();
    }

    @Override
    public void get(String url) throws IOException {
      try (okhttp3.Response response =
               client.newCall(new okhttp3.Request.Builder().url(url).build()).execute()) {
        if (response.code() != 200 || response.body().bytes().length != 2) {
          throw new IOException("okhttp: unexpected response " + response);
        }
      }
    }

    @Override
    public int connectionCount() {
      return client.connectionPool().connectionCount();
    }

    @Override
    public void close() {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
