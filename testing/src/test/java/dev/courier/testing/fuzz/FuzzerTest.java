package dev.courier.testing.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FuzzerTest {
  private static final Pattern SAVED = Pattern.compile("saved to: (\\S+\\.bin)");

  @TempDir
  Path failures;

  private Fuzzer.Builder fuzzer() {
    return Fuzzer.forTarget("example").seed(42).failureDirectory(failures);
  }

  @Test
  void findsAPlantedBugAndSavesTheInputThatTriggersIt() throws IOException {
    FuzzTarget target = input -> {
      if (new String(input, StandardCharsets.ISO_8859_1).contains("BUG")) {
        throw new IllegalStateException("planted bug");
      }
      throw new IOException("rejected");
    };

    AssertionError error = catchThrowableOfType(AssertionError.class, () -> fuzzer()
        .corpusEntry("a BU g".getBytes(StandardCharsets.US_ASCII))
        .dictionary("G")
        .allow(IOException.class)
        .durationMillis(30_000)
        .build()
        .run(target));

    assertThat(error.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("planted bug");
    assertThat(error.getMessage()).contains("fuzz example: input #", "seed: 0x2a", "planted bug");
    Matcher saved = SAVED.matcher(error.getMessage());
    assertThat(saved.find()).isTrue();
    Path file = Path.of(saved.group(1));
    assertThat(file.getParent()).isEqualTo(failures.resolve("example").toAbsolutePath());
    assertThatThrownBy(() -> target.run(Files.readAllBytes(file)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void allowedThrowablesAreRejectionsAndTheRunEndsWhenTheTimeIsUp() {
    FuzzResult result = fuzzer()
        .corpusEntry(new byte[] {1})
        .corpusEntry(new byte[] {2})
        .allow(IOException.class)
        .durationMillis(200)
        .build()
        .run(input -> {
          throw new java.net.ProtocolException("rejected " + input.length);
        });

    assertThat(result.inputs()).isGreaterThan(2);
    assertThat(result.corpusEntries()).isEqualTo(2);
    assertThat(result.seed()).isEqualTo(42);
    assertThat(result.summary()).startsWith("fuzz example: " + result.inputs() + " inputs in ");
  }

  @Test
  void aCorpusEntryThatFailsFailsTheRunBeforeAnyMutation() {
    List<String> seen = new ArrayList<>();

    AssertionError error = catchThrowableOfType(AssertionError.class, () -> fuzzer()
        .corpusEntry("fine".getBytes(StandardCharsets.US_ASCII))
        .corpusEntry("boom".getBytes(StandardCharsets.US_ASCII))
        .build()
        .run(input -> {
          String text = new String(input, StandardCharsets.US_ASCII);
          seen.add(text);
          if (text.equals("boom")) {
            throw new NullPointerException("boom");
          }
        }));

    assertThat(seen).containsExactly("fine", "boom");
    assertThat(error).hasMessageContaining("input #2 failed with java.lang.NullPointerException: boom");
  }

  @Test
  void anInputThatRunsTooLongFailsTheRunAsAHang() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try {
      AssertionError error = catchThrowableOfType(AssertionError.class, () -> fuzzer()
          .corpusEntry("ok".getBytes(StandardCharsets.US_ASCII))
          .corpusEntry("hang".getBytes(StandardCharsets.US_ASCII))
          .inputTimeoutMillis(300)
          .build()
          .run(input -> {
            if (input.length == 4) {
              release.await(30, TimeUnit.SECONDS);
            }
          }));

      assertThat(error).hasMessageContaining("input #2 failed with")
          .hasMessageContaining("ran for more than 300 ms");
      assertThat(error.getCause().getStackTrace()).isNotEmpty();
    } finally {
      release.countDown();
    }
  }

  @Test
  void theSameSeedGeneratesTheSameInputs() {
    assertThat(firstInputs(7)).isEqualTo(firstInputs(7)).isNotEqualTo(firstInputs(8));
  }

  private List<String> firstInputs(long seed) {
    List<String> inputs = new ArrayList<>();
    fuzzer().seed(seed)
        .corpusEntry("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
        .dictionary("Host", ":")
        .allow(IOException.class)
        .durationMillis(500)
        .build()
        .run(input -> {
          if (inputs.size() < 500) {
            inputs.add(new String(input, StandardCharsets.ISO_8859_1));
          }
          throw new IOException(inputs.size() < 500 ? "x" + (input.length % 7) : "done");
        });
    assertThat(inputs).hasSize(500);
    return inputs;
  }
}
