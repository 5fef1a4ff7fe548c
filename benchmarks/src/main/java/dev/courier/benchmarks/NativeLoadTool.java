package dev.courier.benchmarks;

import dev.courier.testing.ExternalProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a native load generator against {@link ClientLoadBenchmark}'s nginx, as the reference a
 * JVM client is compared with (not a peer: it is left out of "best peer"): nghttp2's
 * {@code h2load} for every protocol, and {@code wrk} for HTTP/1.1. Each uses one thread and the
 * same concurrency as the Java clients (for HTTP/1.1 one connection per thread, one request at a
 * time on each; for HTTP/2 one connection with that many streams at once), on the core this JVM
 * is pinned to, which the child inherits.
 *
 * <p>Its CPU time is read from the kernel's account of the children a shell waited for ({@code
 * cutime} and {@code cstime} in {@code /proc/<shell>/stat}, in clock ticks of 10 ms), so a tool
 * runs {@value #REQUEST_FACTOR}× the Java clients' requests (h2load) or five seconds (wrk) to keep
 * that resolution near 1%. It allocates nothing the JVM sees: its allocation is reported as 0.
 */
final class NativeLoadTool {
  /** How many times the Java clients' request count h2load makes. */
  static final int REQUEST_FACTOR = 5;

  private static final int WRK_SECONDS = 5;
  private static final Pattern H2LOAD_REQUESTS =
      Pattern.compile("requests: (\\d+) total, \\d+ started, \\d+ done, (\\d+) succeeded");
  private static final Pattern H2LOAD_STATUS = Pattern.compile("status codes: (\\d+) 2xx");
  private static final Pattern H2LOAD_RATE = Pattern.compile("finished in [\\d.]+m?s, ([\\d.]+) req/s");
  private static final Pattern H2LOAD_PROTOCOL = Pattern.compile("Application protocol: (\\S+)");
  private static final Pattern WRK_REQUESTS = Pattern.compile("(\\d+) requests in [\\d.]+m?s");
  private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
  private static final Pattern WRK_NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SHELL_STAT = Pattern.compile("^CHILD-STAT \\d+ \\(sh\\) (.*)$", Pattern.MULTILINE);

  private NativeLoadTool() {}

  /**
   * Returns the native tools that speak {@code protocol} ({@code h1}, {@code h2}, {@code h2c}) and
   * are installed here.
   */
  static List<String> installed(String protocol) {
    List<String> result = new ArrayList<>();
    for (String tool : speaking(protocol)) {
      if (ExternalProcess.findExecutable(tool) != null) {
        result.add(tool);
      }
    }
    return result;
  }

  /** Returns the native tools that speak {@code protocol}, installed or not. */
  static List<String> speaking(String protocol) {
    return protocol.equals("h1") ? List.of("h2load", "wrk") : List.of("h2load");
  }

  /** Returns true if {@code client} names a native tool rather than a Java client. */
  static boolean isNative(String client) {
    return client.equals("h2load") || client.equals("wrk");
  }

  /**
   * Runs {@code tool} against {@code url} ({@code http} or {@code https}, an IP address: the tools
   * do not check certificates) with {@code concurrency} requests at once.
   *
   * @param requests the Java clients' request count; h2load makes {@value #REQUEST_FACTOR}× as many
   * @throws IOException if the tool fails, or any response was not a 2xx
   */
  static LoadStats.Line run(String tool, String url, String protocol, int concurrency, int requests)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("sh", "-c",
        "\"$@\"; status=$?; printf 'CHILD-STAT '; cat /proc/$$/stat; exit $status", "sh"));
    boolean h1 = protocol.equals("h1");
    if (tool.equals("h2load")) {
      command.addAll(List.of("h2load", "-t", "1", "-n", String.valueOf(requests * REQUEST_FACTOR)));
      command.addAll(h1
          ? List.of("--h1", "-c", String.valueOf(concurrency), "-m", "1")
          : List.of("-c", "1", "-m", String.valueOf(concurrency)));
    } else if (tool.equals("wrk") && h1) {
      command.addAll(List.of("wrk", "-t", "1", "-c", String.valueOf(concurrency), "-d", WRK_SECONDS + "s"));
    } else {
      throw new IllegalArgumentException(tool + " does not speak " + protocol);
    }
    command.add(url);
    String output = ChildProcesses.run(command, Path.of("."), Duration.ofMinutes(10));
    double cpuMicros = childCpuSeconds(output, clockTicksPerSecond()) * 1e6;
    return tool.equals("h2load") ? h2loadLine(output, cpuMicros) : wrkLine(output, cpuMicros);
  }

  /** Reads h2load's output; fails unless every request succeeded with a 2xx. */
  static LoadStats.Line h2loadLine(String output, double cpuMicros) throws IOException {
    Matcher requests = find(H2LOAD_REQUESTS, output, "h2load");
    long total = Long.parseLong(requests.group(1));
    long succeeded = Long.parseLong(requests.group(2));
    long ok = Long.parseLong(find(H2LOAD_STATUS, output, "h2load").group(1));
    if (succeeded != total || ok != total) {
      throw new IOException("h2load: " + succeeded + " of " + total + " requests succeeded, " + ok
          + " with a 2xx: " + output);
    }
    return new LoadStats.Line("h2load", find(H2LOAD_PROTOCOL, output, "h2load").group(1),
        cpuMicros / total, 0, Double.parseDouble(find(H2LOAD_RATE, output, "h2load").group(1)));
  }

  /** Reads wrk's output; fails if any response was not a 2xx or 3xx. */
  static LoadStats.Line wrkLine(String output, double cpuMicros) throws IOException {
    Matcher non2xx = WRK_NON_2XX.matcher(output);
    if (non2xx.find()) {
      throw new IOException("wrk: " + non2xx.group(1) + " responses were not 2xx or 3xx: " + output);
    }
    long total = Long.parseLong(find(WRK_REQUESTS, output, "wrk").group(1));
    if (total == 0) {
      throw new IOException("wrk: no request completed: " + output);
    }
    return new LoadStats.Line("wrk", "http/1.1", cpuMicros / total, 0,
        Double.parseDouble(find(WRK_RATE, output, "wrk").group(1)));
  }

  /**
   * Returns the CPU seconds (user and system) of the children the wrapping shell waited for, from
   * its {@code /proc} stat line: fields 16 and 17 ({@code cutime}, {@code cstime}), counted after
   * the command name in parentheses.
   */
  static double childCpuSeconds(String output, long ticksPerSecond) throws IOException {
    String[] fields = find(SHELL_STAT, output, "the shell's stat line").group(1).trim().split(" ");
    // fields[0] is field 3 (state), so field n is fields[n - 3].
    if (fields.length < 15) {
      throw new IOException("short /proc stat line: " + String.join(" ", fields));
    }
    long ticks = Long.parseLong(fields[16 - 3]) + Long.parseLong(fields[17 - 3]);
    return (double) ticks / ticksPerSecond;
  }

  private static long clockTicksPerSecond() throws Exception {
    return Long.parseLong(ChildProcesses.run(List.of("getconf", "CLK_TCK"), Path.of("."),
        Duration.ofSeconds(30)).trim());
  }

  private static Matcher find(Pattern pattern, String output, String what) throws IOException {
    Matcher matcher = pattern.matcher(output);
    if (!matcher.find()) {
      throw new IOException(String.format(Locale.ROOT, "%s: no match for %s in: %s", what, pattern, output));
    }
    return matcher;
  }
}
