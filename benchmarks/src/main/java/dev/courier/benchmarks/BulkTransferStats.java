package dev.courier.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses what {@link BulkTransferBenchmark}'s child processes print and turns runs into figures:
 * throughput in MiB/s, CPU seconds per GiB, and the median and spread over rounds.
 */
final class BulkTransferStats {
  static final double MIB = 1024.0 * 1024.0;
  static final double GIB = MIB * 1024.0;
  private static final Pattern RESULT = Pattern.compile(
      "RESULT bytes=(\\d+) wall_ns=(\\d+) cpu_ns=(\\d+) protocol=(\\S+)");
  /** The children's line of bash's {@code times}: user and system time, e.g. {@code 0m1.250s 0m0.375s}. */
  private static final Pattern TIMES = Pattern.compile("^(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s$");

  private BulkTransferStats() {}

  /**
   * What a JVM client reports for its measured transfer.
   *
   * @param bytes body bytes moved
   * @param wallNanos wall time of the transfer, request to last byte
   * @param cpuNanos the JVM's CPU time over the transfer, all threads
   * @param protocol the protocol the client reported
   */
  record ClientResult(long bytes, long wallNanos, long cpuNanos, String protocol) {
    /** Returns the line the child prints, which {@link #parseClient} reads. */
    String format() {
      return "RESULT bytes=" + bytes + " wall_ns=" + wallNanos + " cpu_ns=" + cpuNanos + " protocol=" + protocol;
    }
  }

  /** Returns the {@code RESULT} line in {@code output}, parsed. */
  static ClientResult parseClient(String output) {
    Matcher matcher = RESULT.matcher(output);
    if (!matcher.find()) {
      throw new IllegalArgumentException("no RESULT line in client output: " + output);
    }
    return new ClientResult(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
        Long.parseLong(matcher.group(3)), matcher.group(4));
  }

  /**
   * Returns the CPU time of the shell's children, in nanoseconds, from the output of bash's
   * {@code times} (its second line: children's user and system time).
   */
  static long parseChildrenCpuNanos(String timesOutput) {
    List<String> lines = new ArrayList<>();
    for (String line : timesOutput.split("\n")) {
      if (TIMES.matcher(line.trim()).matches()) {
        lines.add(line.trim());
      }
    }
    if (lines.size() < 2) {
      throw new IllegalArgumentException("expected two lines from bash times, got: " + timesOutput);
    }
    Matcher matcher = TIMES.matcher(lines.get(lines.size() - 1));
    matcher.matches();
    double seconds = Long.parseLong(matcher.group(1)) * 60 + Double.parseDouble(matcher.group(2))
        + Long.parseLong(matcher.group(3)) * 60 + Double.parseDouble(matcher.group(4));
    return Math.round(seconds * 1e9);
  }

  /** Returns throughput in MiB per second. */
  static double mibPerSecond(long bytes, long wallNanos) {
    return bytes / MIB / (wallNanos / 1e9);
  }

  /** Returns CPU seconds per GiB moved. */
  static double cpuSecondsPerGib(long cpuNanos, long bytes) {
    return cpuNanos / 1e9 / (bytes / GIB);
  }

  /** Summarises a list of values: median, minimum and maximum. */
  record Summary(double median, double min, double max) {
    /** Returns {@code median [min–max]} with the given number of decimals. */
    String format(int decimals) {
      String number = "%." + decimals + "f";
      return String.format(Locale.ROOT, number + " [" + number + "-" + number + "]", median, min, max);
    }
  }

  /** Returns the median, minimum and maximum of {@code values}, which must not be empty. */
  static Summary summarize(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Summary(median, sorted.get(0), sorted.get(n - 1));
  }
}
