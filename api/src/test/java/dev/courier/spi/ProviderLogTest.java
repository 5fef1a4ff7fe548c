package dev.courier.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderLogTest {
  @TempDir Path directory;

  /** A logged line and the name of the thread that logged it. */
  private record Logged(Level level, String message, String thread) {}

  private final BlockingQueue<Logged> logged = new LinkedBlockingQueue<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logged.add(new Logged(record.getLevel(), record.getMessage(), Thread.currentThread().getName()));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Logger julLogger;
  private Level levelBefore;

  private ProviderLog logTo(String name, Level level) {
    julLogger = Logger.getLogger(name);
    levelBefore = julLogger.getLevel();
    julLogger.setLevel(level);
    julLogger.addHandler(handler);
    return new ProviderLog(name);
  }

  @AfterEach
  void removeHandler() {
    julLogger.removeHandler(handler);
    julLogger.setLevel(levelBefore);
  }

  private Logged next() throws InterruptedException {
    Logged line = logged.poll(10, TimeUnit.SECONDS);
    assertThat(line).as("a logged line").isNotNull();
    return line;
  }

  @Test
  void linesBeforeTheLoggerExistsAreLoggedInOrderByTheLogThreadThenLaterOnesAtOnce() throws Exception {
    ProviderLog log = logTo("dev.courier.spi.ProviderLogTest.enabled", Level.FINE);
    log.debug("first");
    log.debug("second");

    Logged first = next();
    Logged second = next();
    assertThat(List.of(first.message(), second.message())).containsExactly("first", "second");
    assertThat(first.level()).isEqualTo(Level.FINE);
    assertThat(first.thread()).isEqualTo("Courier provider log");

    // Once the log thread has drained the list, lines are logged on the caller's thread.
    String caller = Thread.currentThread().getName();
    Logged later = null;
    for (int i = 0; i < 1000 && (later == null || !later.thread().equals(caller)); i++) {
      log.debug("later " + i);
      later = next();
      assertThat(later.message()).isEqualTo("later " + i);
    }
    assertThat(later.thread()).isEqualTo(caller);
  }

  @Test
  void nothingIsLoggedWhenDebugIsNotEnabledAndTheThreadEnds() throws Exception {
    ProviderLog log = logTo("dev.courier.spi.ProviderLogTest.disabled", Level.INFO);
    log.debug("hidden");
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("Courier provider log")) {
        thread.join(10_000);
        assertThat(thread.isAlive()).isFalse();
      }
    }
    log.debug("hidden too");
    julLogger.info("marker");

    assertThat(next().message()).isEqualTo("marker");
    assertThat(logged).isEmpty();
  }

  @Test
  void providerLoaderLogsEachProviderFoundAtDebug() throws Exception {
    logTo(ProviderLoader.class.getName(), Level.FINE);
    Path services = Files.createDirectories(directory.resolve("META-INF/services"));
    Files.writeString(services.resolve(RouteSelectorProvider.class.getName()),
        ProviderLoaderTest.Alpha.class.getName() + "\n");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {directory.toUri().toURL()},
        getClass().getClassLoader())) {
      ProviderLoader.load(RouteSelectorProvider.class, loader);
    }

    Logged line = next();
    assertThat(line.level()).isEqualTo(Level.FINE);
    assertThat(line.message()).isEqualTo("Found RouteSelectorProvider 'alpha' (priority 0) in "
        + ProviderLoaderTest.Alpha.class.getName());
  }
}
