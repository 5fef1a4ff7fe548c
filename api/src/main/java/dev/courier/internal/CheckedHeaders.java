package dev.courier.internal;

import dev.courier.Headers;
import java.util.Objects;

/**
 * Makes {@link Headers} from fields that their reader has already checked, without checking them
 * again. Internal: not part of Courier's public API and may change without notice. Thread-safe.
 *
 * <p>A head reader that refuses CR, LF and NUL in every name and value it reads (as {@code
 * Headers.Builder.addLenient} would) hands its fields over here, so that each received field is
 * not scanned twice and no builder list is allocated per head.
 */
public final class CheckedHeaders {
  private static volatile Factory factory;

  private CheckedHeaders() {}

  /**
   * Returns headers holding the first {@code length} elements of {@code namesAndValues},
   * alternating names and values, copied. The caller vouches that no name or value is null, that
   * no name is empty and that none holds CR, LF or NUL.
   */
  public static Headers of(String[] namesAndValues, int length) {
    if (length == 0) {
      return Headers.EMPTY; // Also initializes Headers, which installs the factory.
    }
    Factory installed = factory;
    if (installed == null) {
      Objects.requireNonNull(Headers.EMPTY); // Initializes Headers, which installs the factory.
      installed = factory;
    }
    // Not Arrays.copyOf: for a String[] it makes the copy reflectively, which the interpreter
    // and C1 pay for on every head.
    String[] copy = new String[length];
    System.arraycopy(namesAndValues, 0, copy, 0, length);
    return installed.wrap(copy);
  }

  /**
   * Installs the one factory; called by {@link Headers} as it is initialized.
   *
   * @throws IllegalStateException if a factory is installed already
   */
  public static void install(Factory headersFactory) {
    if (factory != null) {
      throw new IllegalStateException("installed already");
    }
    factory = headersFactory;
  }

  /** Wraps an array without copying or checking it; implemented by {@link Headers} alone. */
  public abstract static class Factory {
    /** Allows only {@link Headers} to create the factory: other packages' subclasses are refused. */
    protected Factory() {
      if (getClass().getEnclosingClass() != Headers.class) {
        throw new IllegalStateException("Only Headers creates the factory");
      }
    }

    /** Returns headers over {@code namesAndValues} itself, which the caller must not change. */
    protected abstract Headers wrap(String[] namesAndValues);
  }
}
