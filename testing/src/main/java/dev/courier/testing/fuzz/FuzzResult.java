package dev.courier.testing.fuzz;

/**
 * Describes a fuzzing run that found no failure.
 *
 * @param target the target's name, such as {@code http1-response}
 * @param inputs how many inputs ran, corpus entries included
 * @param elapsedMillis how long the run took
 * @param seed the seed of the run's random choices; the same seed replays the same inputs
 * @param corpusEntries how many checked-in corpus entries ran first
 * @param keptInputs how many generated inputs were kept for further mutation because they led to
 *     an outcome no earlier input had
 */
public record FuzzResult(String target, long inputs, long elapsedMillis, long seed,
    int corpusEntries, int keptInputs) {

  /** Returns the one-line summary the fuzzer prints, naming the target and counting inputs. */
  public String summary() {
    return "fuzz " + target + ": " + inputs + " inputs in " + (elapsedMillis + 500) / 1000
        + " s, 0 failures (seed 0x" + Long.toHexString(seed) + ", " + corpusEntries
        + " corpus entries, " + keptInputs + " inputs kept for new outcomes)";
  }
}
