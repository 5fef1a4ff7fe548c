package dev.courier.benchmarks;

import dev.courier.Address;
import dev.courier.Authenticator;
import dev.courier.Call;
import dev.courier.Callback;
import dev.courier.CertificatePinner;
import dev.courier.Dns;
import dev.courier.EventListener;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.Route;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.pool.internal.CallLease;
import dev.courier.pool.internal.ConnectSettings;
import dev.courier.pool.internal.DefaultRouteSelector;
import dev.courier.pool.internal.ExchangeFinder;
import dev.courier.pool.internal.ProtocolProviders;
import dev.courier.pool.internal.RealConnection;
import dev.courier.pool.internal.RealConnectionPool;
import dev.courier.spi.ExchangeCodec;
import dev.courier.spi.ExchangeOptions;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okio.Buffer;
import okio.Timeout;

/**
 * Measures Courier's pool alone, with no I/O: one thread acquires and releases a pooled idle
 * HTTP/1.1 connection, on a pool of 10 connections to 1 address, then on one of 10,000 connections
 * over 1,000 addresses (calling one address, then all in turn), with the pool's cleanup thread
 * running as in a client. Connections are stand-ins that never touch a socket. This isolates what
 * {@link PoolScaleBenchmark} measures inside whole calls; OkHttp's pool has no public API to do the
 * same with, so it appears only there. Besides the mean, it reports the longest single operation
 * and how many took over 100 µs, which is where a cleanup holding the pool's lock shows.
 *
 * <p>Run: {@code java -cp ... dev.courier.benchmarks.PoolAcquireBenchmark [--addresses 1000]
 * [--per-address 10] [--operations 2000000] [--rounds 5]}. A last row times the exchange finder's search
 * (the path a call takes, counted in the pool's statistics) and the release, on the small pool.
 */
public final class PoolAcquireBenchmark {
  private static final ProxySelector NO_PROXY_SELECTOR = ProxySelector.of(null);

  private PoolAcquireBenchmark() {}

  /** Runs the benchmark with command-line {@code args}. */
  public static void main(String[] args) throws Exception {
    int addressCount = 1_000;
    int perAddress = 10;
    int operations = 2_000_000;
    int rounds = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--addresses": addressCount = Integer.parseInt(args[++i]); break;
        case "--per-address": perAddress = Integer.parseInt(args[++i]); break;
        case "--operations": operations = Integer.parseInt(args[++i]); break;
        case "--rounds": rounds = Integer.parseInt(args[++i]); break;
        default: throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<Address> addresses = new ArrayList<>();
    for (int i = 0; i < addressCount; i++) {
      addresses.add(new Address("host" + i + ".example", 80, Dns.SYSTEM, SocketFactory.getDefault(),
          null, null, CertificatePinner.DEFAULT, Authenticator.NONE, null, NO_PROXY_SELECTOR,
          List.of(Protocol.HTTP_1_1)));
    }
    int total = addressCount * perAddress;
    RealConnectionPool small = filledPool(addresses.subList(0, 1), perAddress, total);
    RealConnectionPool large = filledPool(addresses, perAddress, total);
    CallLease lease = new CallLease(new IdleCall());
    List<Address> one = addresses.subList(0, 1);
    try {
      measure(small, one, lease, operations); // Warm up every path before timing any.
      measure(large, one, lease, operations);
      measure(large, addresses, lease, operations);
      double[][] nanos = new double[3][rounds];
      long[] maxNanos = new long[3];
      long[] slowOperations = new long[3];
      for (int r = 0; r < rounds; r++) {
        List<List<Address>> patterns = List.of(one, one, addresses);
        for (int p = 0; p < 3; p++) {
          RealConnectionPool pool = p == 0 ? small : large;
          nanos[p][r] = measure(pool, patterns.get(p), lease, operations);
          long[] stalls = stalls(pool, patterns.get(p), lease, operations);
          maxNanos[p] = Math.max(maxNanos[p], stalls[0]);
          slowOperations[p] += stalls[1];
        }
      }
      double base = median(nanos[0]);
      String[] labels = {perAddress + " conns, 1 address", total + " conns, 1 address",
          total + " conns, " + addressCount + " addresses"};
      String[] keys = {"small", "large_one_address", "large_all_addresses"};
      System.out.printf(Locale.ROOT, "pool acquire+release, no I/O: %d operations x %d rounds, %d cores, %s%n",
          operations, rounds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
      System.out.printf(Locale.ROOT, "%-28s %14s %8s %12s %14s%n", "pool, calls go to", "ns/operation", "ratio",
          "max us", "ops > 100 us");
      StringBuilder json = new StringBuilder("{\"benchmark\":\"pool-acquire\",\"client\":\"courier\"");
      for (int p = 0; p < 3; p++) {
        double median = median(nanos[p]);
        System.out.printf(Locale.ROOT, "%-28s %14.1f %8.2f %12.1f %14d%n", labels[p], median, median / base,
            maxNanos[p] / 1_000.0, slowOperations[p]);
        json.append(String.format(Locale.ROOT, ",\"%s\":{\"ns\":%.1f,\"ratio\":%.3f,\"max_us\":%.1f,"
                + "\"ops_over_100_us\":%d,\"rounds_ns\":%s}", keys[p], median, median / base,
            maxNanos[p] / 1_000.0, slowOperations[p], Arrays.toString(nanos[p])));
      }
      // The path a call takes: the exchange finder's search (counted in the pool's statistics,
      // health-checked) and the release, on the small pool.
      ExchangeFinder finder = new ExchangeFinder(small, addresses.get(0), new ConnectSettings(
          new DefaultRouteSelector(), ProtocolProviders.of(List.of()), 0, true), null, EventListener.NONE);
      measureFinder(finder, small, lease, operations); // Warm-up.
      double[] finderNanos = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        finderNanos[r] = measureFinder(finder, small, lease, operations);
      }
      System.out.printf(Locale.ROOT, "%-28s %14.1f%n", "finder search + release", median(finderNanos));
      json.append(String.format(Locale.ROOT, ",\"finder\":{\"ns\":%.1f,\"rounds_ns\":%s}",
          median(finderNanos), Arrays.toString(finderNanos)));
      System.out.println(json.append('}'));
    } finally {
      small.close();
      large.close();
    }
  }

  private static RealConnectionPool filledPool(List<Address> addresses, int perAddress, int maxIdle) {
    RealConnectionPool pool = new RealConnectionPool(new IdleTimeEvictionPolicy(maxIdle, 5, TimeUnit.MINUTES));
    for (Address address : addresses) {
      Route route = new Route(address, Proxy.NO_PROXY, new InetSocketAddress(InetAddress.getLoopbackAddress(), 80));
      List<RealConnection> opened = new ArrayList<>();
      List<CallLease> leases = new ArrayList<>();
      for (int i = 0; i < perAddress; i++) {
        CallLease lease = new CallLease(new IdleCall());
        opened.add(pool.put(new RealConnection(pool, route, new StandInConnection(route), System.nanoTime()), lease));
        leases.add(lease);
      }
      for (int i = 0; i < perAddress; i++) {
        pool.release(opened.get(i), leases.get(i));
      }
    }
    if (pool.idleConnectionCount() != addresses.size() * perAddress) {
      throw new IllegalStateException("expected " + addresses.size() * perAddress + " idle connections, found "
          + pool.idleConnectionCount());
    }
    return pool;
  }

  /** Returns the mean nanoseconds of one acquire and release, cycling through {@code addresses}. */
  private static double measure(RealConnectionPool pool, List<Address> addresses, CallLease lease, int operations) {
    int size = addresses.size();
    long start = System.nanoTime();
    for (int i = 0; i < operations; i++) {
      RealConnection connection = pool.acquire(addresses.get(i % size), null, lease);
      if (connection == null) {
        throw new IllegalStateException("no pooled connection for " + addresses.get(i % size));
      }
      pool.release(connection, lease);
    }
    return (double) (System.nanoTime() - start) / operations;
  }

  /** Returns the mean nanoseconds of one search through {@code finder} and its release. */
  private static double measureFinder(ExchangeFinder finder, RealConnectionPool pool, CallLease lease,
      int operations) throws IOException {
    long start = System.nanoTime();
    for (int i = 0; i < operations; i++) {
      RealConnection connection = finder.find(lease, 1_000, 1_000, 1_000, false);
      pool.release(connection, lease);
    }
    return (double) (System.nanoTime() - start) / operations;
  }

  /**
   * Times each of {@code operations} acquire-and-release pairs alone and returns the longest, in
   * nanoseconds, and how many took over 100 µs: calls held up behind the pool's lock (cleanup)
   * or by the garbage collector. Timing each pair adds two clock reads, so these are not means.
   */
  private static long[] stalls(RealConnectionPool pool, List<Address> addresses, CallLease lease, int operations) {
    int size = addresses.size();
    long max = 0;
    long slow = 0;
    for (int i = 0; i < operations; i++) {
      long start = System.nanoTime();
      RealConnection connection = pool.acquire(addresses.get(i % size), null, lease);
      pool.release(connection, lease);
      long elapsed = System.nanoTime() - start;
      max = Math.max(max, elapsed);
      if (elapsed > 100_000) {
        slow++;
      }
    }
    return new long[] {max, slow};
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** An HTTP/1.1 connection that is always healthy and never does I/O. */
  private static final class StandInConnection implements ProtocolConnection {
    private final Transport transport;

    StandInConnection(Route route) {
      this.transport = new Transport(new Socket(), new Buffer(), new Buffer(), route, null, Protocol.HTTP_1_1);
    }

    @Override
    public Protocol protocol() {
      return Protocol.HTTP_1_1;
    }

    @Override
    public Transport transport() {
      return transport;
    }

    @Override
    public boolean isMultiplexed() {
      return false;
    }

    @Override
    public int maxConcurrentExchanges() {
      return 1;
    }

    @Override
    public boolean isHealthy(boolean extensiveChecks) {
      return true;
    }

    @Override
    public ExchangeCodec newCodec(ExchangeOptions options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void noNewExchanges() {}

    @Override
    public void close() {}
  }

  /** A call that is never executed: the pool reads only its URL. */
  private static final class IdleCall implements Call {
    private final Request request = new Request.Builder().url("http://example/").build();

    @Override
    public Request request() {
      return request;
    }

    @Override
    public Response execute() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void enqueue(Callback callback) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void cancel() {}

    @Override
    public boolean isExecuted() {
      return false;
    }

    @Override
    public boolean isCanceled() {
      return false;
    }

    @Override
    public Timeout timeout() {
      return Timeout.NONE;
    }

    @Override
    public Call clone() {
      return new IdleCall();
    }
  }
}
