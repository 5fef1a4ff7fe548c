package dev.courier.testing.fuzz;

import dev.courier.testing.internal.FuzzCorpus;
import dev.courier.testing.internal.FuzzLoop;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs a seeded mutational fuzzing loop against one parser for a bounded time, in a JUnit test or
 * anywhere else.
 *
 * <p>First every entry of the checked-in corpus runs as it is; then, until the time is up, inputs
 * are derived from the pool (the corpus plus generated inputs kept because they led somewhere new)
 * by stacked byte mutations, dictionary tokens and splices.
 * An input that throws one of the allowed throwables was merely rejected. Any other throwable,
 * or an input that runs longer than the input timeout, fails the run: the input is saved to
 * {@code <failureDirectory>/<target>/<sha1>.bin} and {@link #run} throws an {@link AssertionError}
 * naming that file, the seed and the stack. Adding the saved file to the corpus makes it a
 * regression test that runs first on every run.
 *
 * <p>The duration comes from {@link #SECONDS_ENVIRONMENT_VARIABLE} or {@link #SECONDS_PROPERTY}
 * (the property wins), else {@link #DEFAULT_SECONDS}, so that a plain build stays quick while CI
 * asks for more. The seed comes from {@link #SEED_ENVIRONMENT_VARIABLE} or {@link #SEED_PROPERTY},
 * else is random; it is printed either way, and the same seed replays the same inputs.
 *
 * <p>Instances are immutable; {@link #run} may be called from any thread, once per target at a
 * time. The loop itself runs on a daemon thread of its own, watched by the calling thread.
 */
public final class Fuzzer {
  /** The environment variable that sets each target's duration in seconds, such as {@code 60}. */
  public static final String SECONDS_ENVIRONMENT_VARIABLE = "COURIER_FUZZ_SECONDS";
  /** The system property that sets each target's duration in seconds; wins over the variable. */
  public static final String SECONDS_PROPERTY = "courier.fuzz.seconds";
  /** The environment variable that sets the seed, in decimal or as {@code 0x} hexadecimal. */
  public static final String SEED_ENVIRONMENT_VARIABLE = "COURIER_FUZZ_SEED";
  /** The system property that sets the seed; wins over the variable. */
  public static final String SEED_PROPERTY = "courier.fuzz.seed";
  /** The duration of each target when neither the variable nor the property is set. */
  public static final long DEFAULT_SECONDS = 3;

  private static final long WATCH_INTERVAL_MILLIS = 100;

  private final String target;
  private final List<byte[]> corpus;
  private final List<byte[]> dictionary;
  private final List<Class<? extends Throwable>> allowed;
  private final long durationMillis;
  private final long seed;
  private final int maxInputBytes;
  private final int maxPoolSize;
  private final long inputTimeoutMillis;
  private final Path failureDirectory;

  private Fuzzer(Builder builder) {
    this.target = builder.target;
    this.corpus = List.copyOf(builder.corpus);
    this.dictionary = List.copyOf(builder.dictionary);
    this.allowed = List.copyOf(builder.allowed);
    this.durationMillis = builder.durationMillis;
    this.seed = builder.seed;
    this.maxInputBytes = builder.maxInputBytes;
    this.maxPoolSize = builder.maxPoolSize;
    this.inputTimeoutMillis = builder.inputTimeoutMillis;
    this.failureDirectory = builder.failureDirectory;
  }

  /** Returns a builder for a fuzzer of the target named {@code target}, such as {@code url}. */
  public static Builder forTarget(String target) {
    return new Builder(target);
  }

  /** Returns the seed of this fuzzer's random choices. */
  public long seed() {
    return seed;
  }

  /** Returns how long {@link #run} generates inputs after the corpus ran. */
  public long durationMillis() {
    return durationMillis;
  }

  /**
   * Runs the corpus and then mutated inputs against {@code fuzzTarget} until the duration has
   * passed, and prints the result's {@linkplain FuzzResult#summary() summary} to standard output.
   *
   * @throws AssertionError if an input threw a throwable that is not allowed or ran longer than
   *     the input timeout; the input was saved and the message names its file, the seed and the
   *     stack
   */
  public FuzzResult run(FuzzTarget fuzzTarget) {
    FuzzLoop loop = new FuzzLoop(fuzzTarget, corpus, dictionary, this::isAllowed, seed,
        durationMillis, maxInputBytes, maxPoolSize);
    Thread worker = new Thread(loop, "courier-fuzz-" + target);
    worker.setDaemon(true);
    worker.start();
    long inputTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(inputTimeoutMillis);
    try {
      while (true) {
        worker.join(WATCH_INTERVAL_MILLIS);
        if (!worker.isAlive()) {
          break;
        }
        long number = loop.inputNumber();
        long startNanos = loop.inputStartNanos();
        byte[] input = loop.currentInput();
        if (System.nanoTime() - startNanos > inputTimeoutNanos && number == loop.inputNumber()) {
          AssertionError hang = new AssertionError("the input ran for more than "
              + inputTimeoutMillis + " ms; the fuzzing thread was here");
          hang.setStackTrace(worker.getStackTrace());
          loop.stop();
          worker.interrupt(); // A stuck parser keeps its daemon thread; the run fails anyway.
          throw failure(input, number, hang);
        }
      }
    } catch (InterruptedException e) {
      loop.stop();
      Thread.currentThread().interrupt();
      throw new AssertionError("fuzz " + target + " was interrupted", e);
    }
    if (loop.failure() != null) {
      throw failure(loop.failingInput(), loop.failingNumber(), loop.failure());
    }
    FuzzResult result = new FuzzResult(target, loop.executed(),
        TimeUnit.NANOSECONDS.toMillis(loop.elapsedNanos()), seed, corpus.size(), loop.kept());
    System.out.println(result.summary());
    return result;
  }

  private AssertionError failure(byte[] input, long number, Throwable cause) {
    String saved;
    try {
      Path directory = failureDirectory.resolve(target);
      Files.createDirectories(directory);
      Path file = directory.resolve(sha1(input) + ".bin");
      Files.write(file, input);
      saved = file.toAbsolutePath().toString();
    } catch (IOException e) {
      saved = "nowhere (" + e + ")";
    }
    StringWriter stack = new StringWriter();
    cause.printStackTrace(new PrintWriter(stack));
    String message = "fuzz " + target + ": input #" + number + " failed with " + cause
        + "\n  seed: 0x" + Long.toHexString(seed) + " (replay with -D" + SEED_PROPERTY + "=0x"
        + Long.toHexString(seed) + ")"
        + "\n  input (" + input.length + " bytes) saved to: " + saved
        + "\n  add it to the target's corpus to keep it as a regression test"
        + "\n  stack: " + stack;
    System.out.println("fuzz " + target + ": 1 failure; input saved to " + saved);
    return new AssertionError(message, cause);
  }

  private boolean isAllowed(Throwable t) {
    for (Class<? extends Throwable> type : allowed) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String sha1(byte[] input) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(input));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }

  /** Configures a {@link Fuzzer}. */
  public static final class Builder {
    private final String target;
    private final List<byte[]> corpus = new ArrayList<>();
    private final List<byte[]> dictionary = new ArrayList<>();
    private final List<Class<? extends Throwable>> allowed = new ArrayList<>();
    private long durationMillis = TimeUnit.SECONDS.toMillis(configuredSeconds());
    private long seed = configuredSeed();
    private int maxInputBytes = 4096;
    private int maxPoolSize = 4096;
    private long inputTimeoutMillis = 10_000;
    private Path failureDirectory = Path.of("target", "fuzz-failures");

    private Builder(String target) {
      this.target = Objects.requireNonNull(target, "target == null");
      if (target.isEmpty() || !target.matches("[a-z0-9-]+")) {
        throw new IllegalArgumentException("target must be lowercase letters, digits and dashes: " + target);
      }
    }

    /**
     * Adds every file of the class path directory {@code resource}, such as {@code
     * fuzz/http1-response}, to the corpus, in file name order.
     *
     * @throws IllegalArgumentException if the directory is not on the class path
     */
    public Builder corpusResource(String resource) {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      corpus.addAll(FuzzCorpus.loadResource(loader != null ? loader : Fuzzer.class.getClassLoader(), resource));
      return this;
    }

    /**
     * Adds every file of {@code directory} to the corpus, in file name order.
     *
     * @throws UncheckedIOException if the directory cannot be read
     */
    public Builder corpus(Path directory) {
      corpus.addAll(FuzzCorpus.load(directory));
      return this;
    }

    /** Adds {@code input} to the corpus. */
    public Builder corpusEntry(byte[] input) {
      corpus.add(input.clone());
      return this;
    }

    /** Adds tokens of the input format, encoded as UTF-8, that mutations may insert. */
    public Builder dictionary(String... tokens) {
      for (String token : tokens) {
        dictionary.add(token.getBytes(StandardCharsets.UTF_8));
      }
      return this;
    }

    /** Adds binary tokens of the input format that mutations may insert. */
    public Builder dictionary(byte[]... tokens) {
      for (byte[] token : tokens) {
        dictionary.add(token.clone());
      }
      return this;
    }

    /**
     * Allows {@code types} (and their subclasses): an input that throws one was rejected, not a
     * bug. None are allowed by default.
     */
    @SafeVarargs
    public final Builder allow(Class<? extends Throwable>... types) {
      allowed.addAll(Arrays.asList(types));
      return this;
    }

    /**
     * Sets how long inputs are generated after the corpus ran. Defaults to the configured
     * seconds, see {@link Fuzzer}.
     */
    public Builder durationMillis(long durationMillis) {
      if (durationMillis < 0) {
        throw new IllegalArgumentException("durationMillis < 0: " + durationMillis);
      }
      this.durationMillis = durationMillis;
      return this;
    }

    /** Sets the seed. Defaults to the configured seed, else a random one. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Sets the length to which generated inputs are cut. Defaults to 4096 bytes. */
    public Builder maxInputBytes(int maxInputBytes) {
      if (maxInputBytes < 1) {
        throw new IllegalArgumentException("maxInputBytes < 1: " + maxInputBytes);
      }
      this.maxInputBytes = maxInputBytes;
      return this;
    }

    /** Sets how many inputs the pool may hold, corpus included. Defaults to 4096. */
    public Builder maxPoolSize(int maxPoolSize) {
      if (maxPoolSize < 1) {
        throw new IllegalArgumentException("maxPoolSize < 1: " + maxPoolSize);
      }
      this.maxPoolSize = maxPoolSize;
      return this;
    }

    /**
     * Sets how long one input may run before the run fails as a hang. Defaults to 10 seconds,
     * far above what any parser should need for an input of a few kilobytes.
     */
    public Builder inputTimeoutMillis(long inputTimeoutMillis) {
      if (inputTimeoutMillis < 1) {
        throw new IllegalArgumentException("inputTimeoutMillis < 1: " + inputTimeoutMillis);
      }
      this.inputTimeoutMillis = inputTimeoutMillis;
      return this;
    }

    /** Sets where failing inputs are saved. Defaults to {@code target/fuzz-failures}. */
    public Builder failureDirectory(Path failureDirectory) {
      this.failureDirectory = Objects.requireNonNull(failureDirectory, "failureDirectory == null");
      return this;
    }

    /** Returns the fuzzer. */
    public Fuzzer build() {
      return new Fuzzer(this);
    }

    private static long configuredSeconds() {
      String value = configured(SECONDS_PROPERTY, SECONDS_ENVIRONMENT_VARIABLE);
      if (value == null) {
        return DEFAULT_SECONDS;
      }
      try {
        long seconds = Long.parseLong(value.trim());
        if (seconds < 0) {
          throw new NumberFormatException("negative");
        }
        return seconds;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(SECONDS_PROPERTY + " / " + SECONDS_ENVIRONMENT_VARIABLE
            + " must be a number of seconds: " + value, e);
      }
    }

    private static long configuredSeed() {
      String value = configured(SEED_PROPERTY, SEED_ENVIRONMENT_VARIABLE);
      if (value == null) {
        return ThreadLocalRandom.current().nextLong();
      }
      String trimmed = value.trim();
      try {
        return trimmed.startsWith("0x") || trimmed.startsWith("0X")
            ? Long.parseUnsignedLong(trimmed.substring(2), 16)
            : Long.parseLong(trimmed);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(SEED_PROPERTY + " / " + SEED_ENVIRONMENT_VARIABLE
            + " must be a decimal or 0x hexadecimal number: " + value, e);
      }
    }

    private static String configured(String property, String environmentVariable) {
      String value = System.getProperty(property);
      if (value == null || value.isBlank()) {
        value = System.getenv(environmentVariable);
      }
      return value == null || value.isBlank() ? null : value;
    }
  }
}
