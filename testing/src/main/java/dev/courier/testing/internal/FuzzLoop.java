package dev.courier.testing.internal;

import dev.courier.testing.fuzz.FuzzTarget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs the corpus, then mutated inputs, against a fuzz target until the time is up or an input
 * fails. Runs on one thread; its progress may be read from another, which watches for hangs.
 *
 * <p>An input is kept in the pool for further mutation when its outcome (returning normally, or
 * the type and start of the message of the allowed throwable it threw) is one no earlier input
 * had: a cheap stand-in for coverage that needs no instrumentation.
 */
public final class FuzzLoop implements Runnable {
  private static final int MESSAGE_SIGNATURE_CHARS = 24;

  private final FuzzTarget target;
  private final List<byte[]> corpus;
  private final Predicate<Throwable> allowed;
  private final ByteMutator mutator;
  private final SplittableRandom choices;
  private final long durationMillis;
  private final int maxPoolSize;

  private volatile long inputNumber;
  private volatile long inputStartNanos = System.nanoTime();
  private volatile byte[] currentInput = new byte[0];
  private volatile boolean stopped;
  private volatile long executed;
  private volatile long elapsedNanos;
  private volatile int kept;
  private volatile Throwable failure;
  private volatile byte[] failingInput;
  private volatile long failingNumber;

  /**
   * Creates a loop.
   *
   * @param allowed tells which throwables merely reject an input
   * @param seed decides every random choice
   */
  public FuzzLoop(FuzzTarget target, List<byte[]> corpus, List<byte[]> dictionary,
      Predicate<Throwable> allowed, long seed, long durationMillis, int maxInputBytes,
      int maxPoolSize) {
    this.target = target;
    this.corpus = corpus.isEmpty() ? List.of(new byte[0]) : corpus;
    this.allowed = allowed;
    this.mutator = new ByteMutator(new SplittableRandom(seed), dictionary, maxInputBytes);
    this.choices = new SplittableRandom(~seed);
    this.durationMillis = durationMillis;
    this.maxPoolSize = maxPoolSize;
  }

  @Override
  public void run() {
    long start = System.nanoTime();
    List<byte[]> pool = new ArrayList<>(corpus);
    Set<String> outcomes = new HashSet<>();
    long count = 0;
    for (byte[] input : corpus) {
      String outcome = execute(input, ++count);
      if (outcome == null) {
        return;
      }
      outcomes.add(outcome);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMillis);
    int newOutcomes = 0;
    while (!stopped && System.nanoTime() - deadline < 0) {
      byte[] input = mutator.mutate(pool.get(choices.nextInt(pool.size())), pool);
      String outcome = execute(input, ++count);
      if (outcome == null) {
        return;
      }
      if (outcomes.add(outcome) && pool.size() < maxPoolSize) {
        pool.add(input);
        newOutcomes++;
      }
      if ((count & 1023) == 0) {
        executed = count;
      }
    }
    executed = count;
    kept = newOutcomes;
    elapsedNanos = System.nanoTime() - start;
  }

  /** Asks the loop to end after the input it is running. */
  public void stop() {
    stopped = true;
  }

  /** Returns the number of the input running now, counting from 1. */
  public long inputNumber() {
    return inputNumber;
  }

  /** Returns when the input running now started, on {@link System#nanoTime()}. */
  public long inputStartNanos() {
    return inputStartNanos;
  }

  /** Returns the input running now. */
  public byte[] currentInput() {
    return currentInput;
  }

  /** Returns how many inputs ran; exact once the loop ended. */
  public long executed() {
    return executed;
  }

  /** Returns how long the loop ran, once it ended without a failure. */
  public long elapsedNanos() {
    return elapsedNanos;
  }

  /** Returns how many generated inputs were kept for their new outcome. */
  public int kept() {
    return kept;
  }

  /** Returns the throwable that failed the run, or null. */
  public Throwable failure() {
    return failure;
  }

  /** Returns the input that failed the run, or null. */
  public byte[] failingInput() {
    return failingInput;
  }

  /** Returns the number of the input that failed the run. */
  public long failingNumber() {
    return failingNumber;
  }

  /** Runs one input; returns its outcome, or null after recording a failure. */
  private String execute(byte[] input, long number) {
    currentInput = input;
    inputStartNanos = System.nanoTime();
    inputNumber = number; // Written last: the watcher reads it first.
    try {
      target.run(input);
      return "";
    } catch (Throwable t) {
      if (allowed.test(t)) {
        return outcome(t);
      }
      failingInput = input;
      failingNumber = number;
      executed = number;
      failure = t;
      return null;
    }
  }

  /**
   * Names the outcome of a rejected input cheaply: its type and the start of its message with
   * digits blanked, so that "frame of 17 bytes" and "frame of 18 bytes" count as one outcome.
   */
  private static String outcome(Throwable t) {
    String message = t.getMessage();
    StringBuilder result = new StringBuilder(t.getClass().getName());
    if (message != null) {
      result.append(':');
      for (int i = 0, end = Math.min(message.length(), MESSAGE_SIGNATURE_CHARS); i < end; i++) {
        char c = message.charAt(i);
        result.append(c >= '0' && c <= '9' ? '#' : c);
      }
    }
    return result.toString();
  }
}
