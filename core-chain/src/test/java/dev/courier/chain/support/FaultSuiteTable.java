package dev.courier.chain.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Collects one row per cell of a fault suite (what the call did, what the server saw, whether the
 * client recovered) and, once every cell ran, prints the table and writes it to {@code
 * target/<file>}. As a {@link TestWatcher} it adds each cell's verdict, including failures that
 * extensions such as a thread-leak check raise after the test body.
 *
 * <p>Register as a static extension; cells are keyed by the test's display name. Thread-safe.
 */
public final class FaultSuiteTable implements TestWatcher, AfterAllCallback {
  /** A port after a colon, or a count after "before" or "after", in a rule's description. */
  private static final Pattern PORT_OR_COUNT = Pattern.compile("(:|before |after |connection )\\d+");

  private final String title;
  private final String fileName;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Row> rows = new LinkedHashMap<>();

  /** Creates a table printed under {@code title} and saved as {@code target/fileName}. */
  public FaultSuiteTable(String title, String fileName) {
    this.title = title;
    this.fileName = fileName;
  }

  /** Records what cell {@code cell} observed; {@code violations} are the rules it broke. */
  public void record(String cell, String observed, List<String> violations) {
    lock.lock();
    try {
      rows.put(cell, new Row(observed, new ArrayList<>(violations)));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    lock.lock();
    try {
      Row row = rows.computeIfAbsent(context.getDisplayName(), name -> new Row("did not finish", new ArrayList<>()));
      if (row.violations.isEmpty()) {
        row.violations.add(firstLine(cause));
      }
      row.failed = true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    testFailed(context, cause);
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {}

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    StringBuilder table = new StringBuilder();
    int failed = 0;
    lock.lock();
    try {
      table.append(title).append('\n');
      for (Map.Entry<String, Row> entry : rows.entrySet()) {
        Row row = entry.getValue();
        boolean cellFailed = row.failed || !row.violations.isEmpty();
        failed += cellFailed ? 1 : 0;
        table.append(cellFailed ? "FAIL " : "ok   ").append(entry.getKey()).append(": ").append(row.observed);
        if (cellFailed) {
          table.append("\n       broke: ").append(String.join("; ", row.violations));
        }
        table.append('\n');
      }
      table.append(rows.size()).append(" cells, ").append(rows.size() - failed).append(" passed, ")
          .append(failed).append(" failed\n");
      for (Map.Entry<String, Integer> rule : tallyRulesBroken().entrySet()) {
        table.append(String.format("%4d cells broke: %s%n", rule.getValue(), rule.getKey()));
      }
    } finally {
      lock.unlock();
    }
    System.out.print(table);
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Files.writeString(target.resolve(fileName), table, StandardCharsets.UTF_8);
    }
  }

  /** Counts the cells that broke each rule, port numbers left out so that cells compare. Call locked. */
  private Map<String, Integer> tallyRulesBroken() {
    Map<String, Integer> tally = new TreeMap<>();
    for (Row row : rows.values()) {
      Set<String> rules = new TreeSet<>();
      for (String violation : row.violations) {
        rules.add(PORT_OR_COUNT.matcher(violation).replaceAll("$1N"));
      }
      for (String rule : rules) {
        tally.merge(rule, 1, Integer::sum);
      }
    }
    return tally;
  }

  private static String firstLine(Throwable cause) {
    String message = String.valueOf(cause.getMessage()).strip();
    int newline = message.indexOf('\n');
    return cause.getClass().getSimpleName() + ": " + (newline == -1 ? message : message.substring(0, newline));
  }

  private static final class Row {
    final String observed;
    final List<String> violations;
    boolean failed;

    Row(String observed, List<String> violations) {
      this.observed = observed;
      this.violations = violations;
    }
  }
}
