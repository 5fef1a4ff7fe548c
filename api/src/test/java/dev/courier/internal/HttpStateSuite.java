package dev.courier.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the IETF http-state test suite's data (https://github.com/abarth/http-state, {@code
 * tests/data/}), which Courier's tests replay but the repository does not hold. The data is read
 * at test time from the directory {@code http-state/} under the conformance directory: the one
 * named by the system property {@code courier.conformance.dir}, else {@code ../shared/conformance/}
 * beside the repository root. It holds {@code parser/} (the suite's {@code tests/data/parser/}
 * files) and {@code dates/} (its {@code tests/data/dates/*.json} files).
 *
 * <p>When the data is absent the calling test is skipped with a message saying where to place it.
 */
public final class HttpStateSuite {
  private HttpStateSuite() {
  }

  /** Returns true if the suite's directory {@code child} exists. */
  public static boolean isPresent(String child) {
    return Files.isDirectory(conformanceDirectory().resolve("http-state").resolve(child));
  }

  /**
   * Returns the suite's directory {@code child} ({@code "parser"} or {@code "dates"}).
   *
   * @throws org.opentest4j.TestAbortedException if that directory does not exist, which skips the
   *     calling test
   */
  public static Path directory(String child) {
    Path conformance = conformanceDirectory();
    Path directory = conformance.resolve("http-state").resolve(child);
    Assumptions.assumeTrue(Files.isDirectory(directory), () -> "http-state test data not found at "
        + directory + "; place the files of tests/data/" + child + "/ from"
        + " https://github.com/abarth/http-state (commit 155e45c) there, or name another"
        + " conformance directory with -D" + ConformanceFiles.CONFORMANCE_DIR_PROPERTY
        + "=DIR, to run this test");
    return directory;
  }

  private static Path conformanceDirectory() {
    Path directory = ConformanceFiles.conformanceDirectory();
    return directory != null ? directory : Path.of("shared", "conformance").toAbsolutePath();
  }
}
