package dev.courier.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Formats and parses {@link ClientLoadBenchmark}'s JSON lines, and compares clients within rounds. */
final class LoadStats {
  private static final Pattern LINE = Pattern.compile("\\{\"benchmark\":\"load\",\"client\":\"([^\"]+)\","
      + "\"protocol\":\"([^\"]*)\",\"cpu_us_per_req\":([\\d.]+),\"alloc_b_per_req\":([\\d.]+),"
      + "\"req_per_s\":([\\d.]+)\\}");

  private LoadStats() {}

  /**
   * One client's figures from one run.
   *
   * @param client the client's name
   * @param protocol the protocol it negotiated, as it reports it
   * @param cpuMicrosPerRequest the JVM's CPU time per request, in microseconds
   * @param allocatedBytesPerRequest bytes allocated per request
   * @param requestsPerSecond throughput
   */
  record Line(String client, String protocol, double cpuMicrosPerRequest, double allocatedBytesPerRequest,
      double requestsPerSecond) {
    /** Returns the JSON line {@link ClientLoadBenchmark} prints; {@link #parse} reads it. */
    String json() {
      return String.format(Locale.ROOT, "{\"benchmark\":\"load\",\"client\":\"%s\",\"protocol\":\"%s\","
          + "\"cpu_us_per_req\":%.2f,\"alloc_b_per_req\":%.1f,\"req_per_s\":%.1f}", client,
          protocol.replace("\"", ""), cpuMicrosPerRequest, allocatedBytesPerRequest, requestsPerSecond);
    }
  }

  /** Returns every load JSON line in {@code output}. */
  static List<Line> parse(String output) {
    List<Line> result = new ArrayList<>();
    Matcher matcher = LINE.matcher(output);
    while (matcher.find()) {
      result.add(new Line(matcher.group(1), matcher.group(2), Double.parseDouble(matcher.group(3)),
          Double.parseDouble(matcher.group(4)), Double.parseDouble(matcher.group(5))));
    }
    return result;
  }

  /** One client's line in one round. */
  record RoundLine(int round, Line line) {}

  /**
   * Returns, for each round, {@code client}'s value divided by the best (lowest when
   * {@code lowerIsBetter}, else highest) value among the other clients in that round; native tools
   * ({@link NativeLoadTool}) are references, not peers, and are left out.
   */
  static List<Double> ratiosToBestPeer(List<RoundLine> lines, String client,
      java.util.function.ToDoubleFunction<Line> value, boolean lowerIsBetter) {
    List<Double> result = new ArrayList<>();
    for (RoundLine mine : lines) {
      if (!mine.line().client().equals(client)) {
        continue;
      }
      double best = Double.NaN;
      for (RoundLine other : lines) {
        if (other.round() != mine.round() || other.line().client().equals(client)
            || NativeLoadTool.isNative(other.line().client())) {
          continue;
        }
        double v = value.applyAsDouble(other.line());
        if (Double.isNaN(best) || (lowerIsBetter ? v < best : v > best)) {
          best = v;
        }
      }
      if (!Double.isNaN(best)) {
        result.add(value.applyAsDouble(mine.line()) / best);
      }
    }
    return result;
  }

  /**
   * Returns, for each round where both ran, {@code client}'s value divided by {@code reference}'s
   * in that round.
   */
  static List<Double> ratiosTo(List<RoundLine> lines, String client, String reference,
      java.util.function.ToDoubleFunction<Line> value) {
    List<Double> result = new ArrayList<>();
    for (RoundLine mine : lines) {
      if (!mine.line().client().equals(client)) {
        continue;
      }
      for (RoundLine other : lines) {
        if (other.round() == mine.round() && other.line().client().equals(reference)) {
          result.add(value.applyAsDouble(mine.line()) / value.applyAsDouble(other.line()));
        }
      }
    }
    return result;
  }
}
