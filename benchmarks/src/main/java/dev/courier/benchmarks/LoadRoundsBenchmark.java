package dev.courier.benchmarks;

import dev.courier.testing.ExternalProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Runs {@link ClientLoadBenchmark} for each client in a fresh JVM of its own, clients interleaved
 * in an order rotated every round, with nginx on core 0 and the client on core 1 ({@code --pin},
 * the default on two cores or more when {@code taskset} is installed). Prints each run's JSON line,
 * then per client the median [min-max] over rounds of CPU µs per request, bytes allocated per
 * request and requests per second, and the ratio to the best of the other clients within each
 * round, which is steadier than the figures themselves on a shared machine. The native tools
 * installed here ({@link NativeLoadTool}: h2load, and wrk for HTTP/1.1) run too, as references:
 * they are not peers, and Courier's ratio to each is printed apart.
 *
 * <p>Run: {@code java -cp ... dev.courier.benchmarks.LoadRoundsBenchmark [--rounds 3]
 * [--clients courier,okhttp,...] [--no-pin] [--jvm-arg ARG]... [-- ClientLoadBenchmark options]},
 * for example {@code --rounds 3 -- --protocol h2 --requests 30000}. Without {@code --clients}, runs
 * every client that speaks the protocol (for {@code h2c}, all but the JDK's) and the native tools
 * installed here that speak it.
 */
public final class LoadRoundsBenchmark {
  private LoadRoundsBenchmark() {}

  /** Runs the rounds with command-line {@code args}. */
  public static void main(String[] args) throws Exception {
    int rounds = 3;
    List<String> clients = null;
    boolean pin = Runtime.getRuntime().availableProcessors() >= 2 && ExternalProcess.findExecutable("taskset") != null;
    List<String> jvmArgs = new ArrayList<>();
    List<String> benchmarkArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds": rounds = Integer.parseInt(args[++i]); break;
        case "--clients": clients = Arrays.asList(args[++i].split(",")); break;
        case "--no-pin": pin = false; break;
        case "--jvm-arg": jvmArgs.add(args[++i]); break;
        case "--": benchmarkArgs.addAll(Arrays.asList(args).subList(i + 1, args.length)); i = args.length; break;
        default: throw new IllegalArgumentException("unknown option " + args[i] + " (ClientLoadBenchmark's go after --)");
      }
    }
    int protocolOption = benchmarkArgs.indexOf("--protocol");
    String protocol = protocolOption >= 0 && protocolOption + 1 < benchmarkArgs.size()
        ? benchmarkArgs.get(protocolOption + 1) : "h1";
    List<String> speaking = new ArrayList<>(ClientLoadBenchmark.clients(protocol).keySet());
    if (clients == null) {
      clients = new ArrayList<>(speaking);
      clients.addAll(NativeLoadTool.installed(protocol));
    } else {
      speaking.addAll(NativeLoadTool.speaking(protocol));
      if (!speaking.containsAll(clients)) {
        throw new IllegalArgumentException("--clients must be among " + speaking + " for " + protocol);
      }
    }
    System.out.printf(Locale.ROOT, "load rounds: %d, clients each in a fresh JVM, %s, ClientLoadBenchmark %s%n",
        rounds, pin ? "nginx on core 0, client on core 1" : "not pinned", String.join(" ", benchmarkArgs));
    List<LoadStats.RoundLine> lines = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      List<String> order = new ArrayList<>(clients);
      Collections.rotate(order, -(round - 1));
      for (String client : order) {
        List<String> command = new ArrayList<>(List.of(
            ProcessHandle.current().info().command().orElse("java"), "-Xmx2g"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
            ClientLoadBenchmark.class.getName(), "--client", client));
        if (pin) {
          command.add("--pin");
        }
        command.addAll(benchmarkArgs);
        List<LoadStats.Line> parsed = LoadStats.parse(
            ChildProcesses.run(command, java.nio.file.Path.of("."), Duration.ofMinutes(30)));
        if (parsed.size() != 1) {
          throw new IOException(client + ": expected one result line, got " + parsed.size());
        }
        System.out.println(parsed.get(0).json().replace("{\"benchmark\":\"load\",",
            "{\"benchmark\":\"load\",\"round\":" + round + ","));
        lines.add(new LoadStats.RoundLine(round, parsed.get(0)));
      }
    }
    printTable(lines, clients);
  }

  private static void printTable(List<LoadStats.RoundLine> lines, List<String> clients) {
    System.out.printf(Locale.ROOT, "%nmedian [min-max] over rounds; x best peer: the ratio to the best other client "
        + "within each round%n");
    System.out.printf(Locale.ROOT, "%-19s %-18s %-22s %-19s %-26s %-22s %-19s%n", "client", "protocol",
        "CPU us/req", "x best peer", "alloc B/req", "req/s", "x best peer");
    for (String client : clients) {
      List<LoadStats.Line> mine = lines.stream().filter(l -> l.line().client().equals(client))
          .map(LoadStats.RoundLine::line).toList();
      if (mine.isEmpty()) {
        continue;
      }
      System.out.printf(Locale.ROOT, "%-19s %-18s %-22s %-19s %-26s %-22s %-19s%n", client, mine.get(0).protocol(),
          summary(mine, LoadStats.Line::cpuMicrosPerRequest, 1),
          ratio(lines, client, LoadStats.Line::cpuMicrosPerRequest, true),
          summary(mine, LoadStats.Line::allocatedBytesPerRequest, 0),
          summary(mine, LoadStats.Line::requestsPerSecond, 0),
          ratio(lines, client, LoadStats.Line::requestsPerSecond, false));
    }
    for (String reference : clients) {
      if (NativeLoadTool.isNative(reference) && clients.contains("courier")) {
        System.out.printf(Locale.ROOT, "courier / %s, native reference (not a peer; alloc not seen): CPU per request %s,"
            + " req/s %s%n", reference,
            format(LoadStats.ratiosTo(lines, "courier", reference, LoadStats.Line::cpuMicrosPerRequest)),
            format(LoadStats.ratiosTo(lines, "courier", reference, LoadStats.Line::requestsPerSecond)));
      }
    }
  }

  private static String summary(List<LoadStats.Line> lines, ToDoubleFunction<LoadStats.Line> value, int decimals) {
    return BulkTransferStats.summarize(lines.stream().map(value::applyAsDouble).toList()).format(decimals);
  }

  private static String ratio(List<LoadStats.RoundLine> lines, String client, ToDoubleFunction<LoadStats.Line> value,
      boolean lowerIsBetter) {
    if (NativeLoadTool.isNative(client)) {
      return "-";
    }
    return format(LoadStats.ratiosToBestPeer(lines, client, value, lowerIsBetter));
  }

  private static String format(List<Double> ratios) {
    return ratios.isEmpty() ? "-" : BulkTransferStats.summarize(ratios).format(2);
  }


}
