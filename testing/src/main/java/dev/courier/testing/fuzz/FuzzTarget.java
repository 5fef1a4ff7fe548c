package dev.courier.testing.fuzz;

/**
 * Feeds one fuzz input to the code under test. An implementation turns the bytes into whatever
 * the parser reads (a stream, a string, a file) and exercises what a user of the parsed result
 * would: accessors, re-serialization, reading a body to its end.
 *
 * <p>Throwing one of the throwables the {@link Fuzzer} was told to allow marks the input as
 * rejected, which is fine; any other throwable is a bug and fails the run. Implementations must
 * not keep state from one input to the next, so that a saved input reproduces its failure alone.
 */
@FunctionalInterface
public interface FuzzTarget {
  /**
   * Runs the code under test on {@code input}.
   *
   * @throws Exception when the code under test rejects or fails on the input
   */
  void run(byte[] input) throws Exception;
}
