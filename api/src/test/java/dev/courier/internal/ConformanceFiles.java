package dev.courier.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the conformance data files that tests read but the repository does not hold: the WHATWG
 * URL test data and Unicode's UTS #46 test data. Each is looked for, in order, in {@code
 * ../shared/conformance/} beside the repository root (a newer copy may be placed there), then at
 * the path where a Debian package installs it.
 *
 * <p>When neither exists the calling test is skipped with a message naming the package to install,
 * unless the environment variable {@code COURIER_REQUIRE_INTEROP} is set, as CI sets it; then the
 * test fails, so that conformance tests cannot pass by not running.
 */
public final class ConformanceFiles {
  /** Names a conformance directory to use instead of {@code ../shared/conformance/}. */
  public static final String CONFORMANCE_DIR_PROPERTY = "courier.conformance.dir";

  private ConformanceFiles() {
  }

  /**
   * Returns the conformance directory: the one the {@code courier.conformance.dir} system property
   * names if set, else {@code ../shared/conformance} beside the repository root, or null if the
   * root cannot be found.
   */
  public static Path conformanceDirectory() {
    String property = System.getProperty(CONFORMANCE_DIR_PROPERTY);
    if (property != null && !property.isBlank()) return Path.of(property).toAbsolutePath();
    Path root = repositoryRoot();
    return root != null ? root.resolveSibling("shared").resolve("conformance") : null;
  }

  /**
   * Returns the path of the conformance file {@code fileName}: the copy in {@code
   * ../shared/conformance/} relative to the repository root if there is one, else {@code
   * packagedCopy}, which Debian's {@code debianPackage} installs.
   *
   * @throws org.opentest4j.TestAbortedException if neither exists and {@code
   *     COURIER_REQUIRE_INTEROP} is not set
   * @throws AssertionError if neither exists and {@code COURIER_REQUIRE_INTEROP} is set
   */
  public static Path locate(String fileName, Path packagedCopy, String debianPackage) {
    return locate(conformanceDirectory(), fileName, packagedCopy, debianPackage);
  }

  /**
   * Returns {@code sharedDirectory/fileName} if it exists, else acts as {@link #locate(String,
   * Path, String)} does without a shared copy. {@code sharedDirectory} may be null.
   */
  static Path locate(
      Path sharedDirectory, String fileName, Path packagedCopy, String debianPackage) {
    if (sharedDirectory != null && Files.isRegularFile(sharedDirectory.resolve(fileName))) {
      return sharedDirectory.resolve(fileName);
    }
    if (Files.isRegularFile(packagedCopy)) return packagedCopy;

    String message = fileName + " not found in ../shared/conformance/ or at " + packagedCopy
        + "; install the Debian package " + debianPackage + " (apt-get install " + debianPackage
        + ") to run this conformance test";
    if (System.getenv("COURIER_REQUIRE_INTEROP") != null) {
      throw new AssertionError(message + ", which COURIER_REQUIRE_INTEROP requires");
    }
    return Assumptions.abort(message);
  }

  /** Returns the nearest directory at or above the working directory that holds api/pom.xml. */
  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("api").resolve("pom.xml"))) return dir;
    }
    return null;
  }
}
