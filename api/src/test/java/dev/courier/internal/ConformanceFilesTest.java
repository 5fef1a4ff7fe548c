package dev.courier.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class ConformanceFilesTest {
  @TempDir Path dir;

  @Test
  void sharedCopyWinsOverPackagedCopy() throws IOException {
    Path shared = Files.createDirectories(dir.resolve("shared"));
    Files.writeString(shared.resolve("data.txt"), "newer");
    Path packaged = Files.writeString(dir.resolve("packaged.txt"), "older");

    assertThat(ConformanceFiles.locate(shared, "data.txt", packaged, "librust-example-dev"))
        .isEqualTo(shared.resolve("data.txt"));
  }

  @Test
  void packagedCopyIsUsedWithoutSharedCopy() throws IOException {
    Path packaged = Files.writeString(dir.resolve("packaged.txt"), "older");

    assertThat(ConformanceFiles.locate(dir.resolve("absent"), "data.txt", packaged, "librust-example-dev"))
        .isEqualTo(packaged);
    assertThat(ConformanceFiles.locate(null, "data.txt", packaged, "librust-example-dev"))
        .isEqualTo(packaged);
  }

  @Test
  void missingDataSkipsOrFailsNamingThePackage() {
    // CI sets COURIER_REQUIRE_INTEROP, and then missing data must fail rather than skip.
    Class<? extends Throwable> expected = System.getenv("COURIER_REQUIRE_INTEROP") != null
        ? AssertionError.class : TestAbortedException.class;

    assertThatThrownBy(() -> ConformanceFiles.locate(
            dir, "data.txt", dir.resolve("packaged.txt"), "librust-example-dev"))
        .isExactlyInstanceOf(expected)
        .hasMessageContaining("data.txt")
        .hasMessageContaining("apt-get install librust-example-dev");
  }
}
