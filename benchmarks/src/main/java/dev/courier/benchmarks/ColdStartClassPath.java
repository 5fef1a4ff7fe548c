package dev.courier.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chooses the class path of one client's child JVM in {@link ColdStartBenchmark}: the benchmarks jar
 * and the jars of that client's artifacts and their transitive runtime dependencies, as an
 * application that depends on that one client would have, rather than the benchmarks module's
 * whole class path (every peer's jars).
 *
 * <p>The jars are picked from the benchmarks module's class path ({@code benchmarks/target/classpath.txt})
 * by Maven group, which is a directory of the jar's path in a Maven repository
 * ({@code .../io/netty/netty-common/4.2.7.Final/...}). Courier's own modules, which a reactor build
 * puts on the class path as {@code <module>/target/courier-*.jar}, are recognised by file name;
 * {@code courier-testing} (the benchmark's test CA and servers, not used by the child) is left out.
 * The groups, each client's and its dependencies':
 * <ul>
 * <li>courier: {@code dev.courier}, {@code io.netty} (netty-codec-http2 and its dependencies),
 *     {@code com.squareup.okio} and {@code org.jetbrains} (okio's Kotlin standard library);
 * <li>okhttp: {@code com.squareup.okhttp3}, {@code com.squareup.okio}, {@code org.jetbrains};
 * <li>jdk-httpclient: none;
 * <li>apache-httpclient5: {@code org.apache.httpcomponents}, {@code org.slf4j};
 * <li>jetty-client: {@code org.eclipse.jetty}, {@code org.slf4j}.
 * </ul>
 * {@code org.slf4j} brings slf4j-api, which Apache's and Jetty's clients log through, and the
 * benchmark's binding slf4j-nop, which stands in for the application's logging binding.
 */
final class ColdStartClassPath {
  private static final Map<String, List<String>> GROUPS = Map.of(
      "courier", List.of("dev.courier", "io.netty", "com.squareup.okio", "org.jetbrains"),
      "okhttp", List.of("com.squareup.okhttp3", "com.squareup.okio", "org.jetbrains"),
      "jdk-httpclient", List.of(),
      "apache-httpclient5", List.of("org.apache.httpcomponents", "org.slf4j"),
      "jetty-client", List.of("org.eclipse.jetty", "org.slf4j"));

  private ColdStartClassPath() {}

  /**
   * Returns the entries of {@code classPath} that {@code client} needs, in their order, with
   * {@code benchmarksJar} first (whether or not {@code classPath} holds it).
   *
   * @throws IllegalArgumentException if {@code client} is not one of {@link ColdStartBenchmark#CLIENTS}
   */
  static List<String> forClient(String client, String benchmarksJar, List<String> classPath) {
    List<String> groups = GROUPS.get(client);
    if (groups == null) {
      throw new IllegalArgumentException("no class path known for client " + client);
    }
    List<String> result = new ArrayList<>();
    result.add(benchmarksJar);
    for (String entry : classPath) {
      if (!entry.equals(benchmarksJar) && groups.stream().anyMatch(group -> inGroup(entry, group))) {
        result.add(entry);
      }
    }
    return result;
  }

  private static boolean inGroup(String entry, String group) {
    String path = entry.replace('\\', '/');
    if (group.equals("dev.courier")) {
      String fileName = Path.of(entry).getFileName().toString();
      if (fileName.startsWith("courier-")) {
        return !fileName.startsWith("courier-testing-");
      }
    }
    return path.contains("/" + group.replace('.', '/') + "/");
  }
}
