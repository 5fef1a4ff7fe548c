package dev.courier.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses what {@link ColdStartClient} prints and turns it into the phases {@link ColdStartBenchmark}
 * reports, and the ratios of one client's runs to another's within the same rounds.
 */
final class ColdStartStats {
  private static final Pattern RESULT = Pattern.compile(
      "COLDSTART main_us=(\\d+) built_us=(\\d+) response_us=(\\d+) protocol=(\\S+) classes=(\\d+)(?: cpu_us=(\\d+))?");

  private ColdStartStats() {}

  /**
   * What the child reports: wall-clock instants in microseconds since the epoch.
   *
   * @param mainMicros when {@code main} began
   * @param builtMicros when the client had been built
   * @param responseMicros when the whole body of the first response had been read
   * @param protocol the protocol the client reported
   * @param classes classes the JVM had loaded by then
   * @param cpuMicros CPU time (user and system, every thread) the process had used by then, or -1 if
   *     unknown (a child from an earlier benchmarks jar does not report it)
   */
  record ClientResult(long mainMicros, long builtMicros, long responseMicros, String protocol, long classes,
      long cpuMicros) {
    /** Returns the line the child prints, which {@link #parseClient} reads. */
    String format() {
      return "COLDSTART main_us=" + mainMicros + " built_us=" + builtMicros + " response_us=" + responseMicros
          + " protocol=" + protocol + " classes=" + classes + " cpu_us=" + cpuMicros;
    }
  }

  /** Returns the {@code COLDSTART} line in {@code output}, parsed. */
  static ClientResult parseClient(String output) {
    Matcher matcher = RESULT.matcher(output);
    if (!matcher.find()) {
      throw new IllegalArgumentException("no COLDSTART line in client output: " + output);
    }
    return new ClientResult(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
        Long.parseLong(matcher.group(3)), matcher.group(4), Long.parseLong(matcher.group(5)),
        matcher.group(6) == null ? -1 : Long.parseLong(matcher.group(6)));
  }

  /**
   * One cold start in phases, in milliseconds.
   *
   * @param round the round, from 1
   * @param client the client's name
   * @param protocol the protocol it reported
   * @param totalMillis from starting the process to the whole first response
   * @param jvmMillis from starting the process to {@code main}
   * @param buildMillis building the client
   * @param firstCallMillis the first call: from sending it to its whole body
   * @param classes classes loaded by the end of the first call
   * @param cpuMillis CPU time the process had used by the end of the first call, or -1 if unknown
   */
  record Run(int round, String client, String protocol, double totalMillis, double jvmMillis,
      double buildMillis, double firstCallMillis, long classes, double cpuMillis) {
    /** Returns the time to first response without the JVM's own start: building plus the first call. */
    double clientMillis() {
      return buildMillis + firstCallMillis;
    }

    /** Returns this run as one JSON line. */
    String json() {
      return String.format(Locale.ROOT, "{\"benchmark\":\"cold-start\",\"round\":%d,\"client\":\"%s\","
          + "\"protocol\":\"%s\",\"total_ms\":%.1f,\"jvm_ms\":%.1f,\"build_ms\":%.1f,\"first_call_ms\":%.1f,"
          + "\"classes\":%d,\"cpu_ms\":%.1f}", round, client, protocol, totalMillis, jvmMillis, buildMillis,
          firstCallMillis, classes, cpuMillis);
    }
  }

  /** Returns the run of a child started at {@code spawnMicros} (same clock) that reported {@code result}. */
  static Run run(int round, String client, long spawnMicros, ClientResult result) {
    return new Run(round, client, result.protocol(), (result.responseMicros() - spawnMicros) / 1e3,
        (result.mainMicros() - spawnMicros) / 1e3, (result.builtMicros() - result.mainMicros()) / 1e3,
        (result.responseMicros() - result.builtMicros()) / 1e3, result.classes(),
        result.cpuMicros() < 0 ? -1 : result.cpuMicros() / 1e3);
  }

  /**
   * Returns, for each round in which both ran, {@code client}'s value divided by {@code reference}'s.
   */
  static List<Double> ratios(List<Run> runs, String client, String reference,
      java.util.function.ToDoubleFunction<Run> value) {
    List<Double> result = new ArrayList<>();
    for (Run run : runs) {
      if (!run.client().equals(client)) {
        continue;
      }
      for (Run other : runs) {
        if (other.round() == run.round() && other.client().equals(reference)) {
          result.add(value.applyAsDouble(run) / value.applyAsDouble(other));
        }
      }
    }
    return result;
  }
}
