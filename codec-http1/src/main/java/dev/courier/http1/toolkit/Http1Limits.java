package dev.courier.http1.toolkit;

/**
 * Holds the size limits an HTTP/1.x codec applies to what a peer sends: the response head, the
 * trailer section of a chunked body, and each chunk-size line. A peer that exceeds one gets a
 * {@link java.net.ProtocolException} naming the peer and the limit, instead of an unbounded
 * buffer. Immutable and thread-safe; make one with {@link #builder()}.
 */
public final class Http1Limits {
  /** The default limit of a response head (status line plus header fields): 256 KiB. */
  public static final long DEFAULT_MAX_HEAD_BYTES = 256 * 1024;
  /** The default limit of a chunked body's trailer section: 256 KiB. */
  public static final long DEFAULT_MAX_TRAILER_BYTES = 256 * 1024;
  /** The default limit of a chunk-size line (size plus extensions): 8 KiB. */
  public static final long DEFAULT_MAX_CHUNK_SIZE_LINE_BYTES = 8 * 1024;

  /** Returns the default limits: 256 KiB heads and trailer sections, 8 KiB chunk-size lines. */
  public static final Http1Limits DEFAULT = new Builder().build();

  private final long maxHeadBytes;
  private final long maxTrailerBytes;
  private final long maxChunkSizeLineBytes;

  private Http1Limits(Builder builder) {
    this.maxHeadBytes = builder.maxHeadBytes;
    this.maxTrailerBytes = builder.maxTrailerBytes;
    this.maxChunkSizeLineBytes = builder.maxChunkSizeLineBytes;
  }

  /** Returns a builder that starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from these limits. */
  public Builder newBuilder() {
    return new Builder()
        .maxHeadBytes(maxHeadBytes)
        .maxTrailerBytes(maxTrailerBytes)
        .maxChunkSizeLineBytes(maxChunkSizeLineBytes);
  }

  /** Returns the most bytes a status line plus its header fields may take, line ends included. */
  public long maxHeadBytes() {
    return maxHeadBytes;
  }

  /** Returns the most bytes the trailer section after a chunked body may take. */
  public long maxTrailerBytes() {
    return maxTrailerBytes;
  }

  /** Returns the most bytes one chunk-size line (hexadecimal size and extensions) may take. */
  public long maxChunkSizeLineBytes() {
    return maxChunkSizeLineBytes;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Http1Limits that
        && maxHeadBytes == that.maxHeadBytes
        && maxTrailerBytes == that.maxTrailerBytes
        && maxChunkSizeLineBytes == that.maxChunkSizeLineBytes;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(maxHeadBytes) * 961 + Long.hashCode(maxTrailerBytes) * 31
        + Long.hashCode(maxChunkSizeLineBytes);
  }

  @Override
  public String toString() {
    return "Http1Limits{maxHeadBytes=" + maxHeadBytes + ", maxTrailerBytes=" + maxTrailerBytes
        + ", maxChunkSizeLineBytes=" + maxChunkSizeLineBytes + "}";
  }

  /** Collects limits; every setter's default is the matching {@code DEFAULT_} constant. */
  public static final class Builder {
    private long maxHeadBytes = DEFAULT_MAX_HEAD_BYTES;
    private long maxTrailerBytes = DEFAULT_MAX_TRAILER_BYTES;
    private long maxChunkSizeLineBytes = DEFAULT_MAX_CHUNK_SIZE_LINE_BYTES;

    private Builder() {}

    /** Sets the limit of a response head; default 256 KiB. */
    public Builder maxHeadBytes(long bytes) {
      this.maxHeadBytes = bytes;
      return this;
    }

    /** Sets the limit of a trailer section; default 256 KiB. */
    public Builder maxTrailerBytes(long bytes) {
      this.maxTrailerBytes = bytes;
      return this;
    }

    /** Sets the limit of a chunk-size line; default 8 KiB. */
    public Builder maxChunkSizeLineBytes(long bytes) {
      this.maxChunkSizeLineBytes = bytes;
      return this;
    }

    /**
     * Returns the limits.
     *
     * @throws IllegalArgumentException naming the setting if a limit is not positive, or the
     *     chunk-size line limit is below 3 bytes (a size digit and a line end)
     */
    public Http1Limits build() {
      requirePositive("maxHeadBytes", maxHeadBytes);
      requirePositive("maxTrailerBytes", maxTrailerBytes);
      if (maxChunkSizeLineBytes < 3) {
        throw new IllegalArgumentException(
            "maxChunkSizeLineBytes < 3: " + maxChunkSizeLineBytes);
      }
      return new Http1Limits(this);
    }

    private static void requirePositive(String setting, long value) {
      if (value <= 0) {
        throw new IllegalArgumentException(setting + " <= 0: " + value);
      }
    }
  }
}
