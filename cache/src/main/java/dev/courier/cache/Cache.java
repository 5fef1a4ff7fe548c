package dev.courier.cache;

import dev.courier.HttpCache;
import dev.courier.HttpUrl;
import dev.courier.Interceptor;
import dev.courier.cache.internal.BackgroundRevalidator;
import dev.courier.cache.internal.CacheInterceptor;
import dev.courier.cache.internal.CacheStatistics;
import dev.courier.cache.internal.ResponseStore;
import java.io.Closeable;
import java.io.File;
import java.io.Flushable;
import java.io.IOException;
import java.time.Clock;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Caches HTTP responses on disk as a private cache following RFC 9111, with the {@code
 * stale-while-revalidate} and {@code stale-if-error} extensions of RFC 5861.
 *
 * <pre>{@code
 * Cache cache = new Cache(new File("http-cache"), 50L * 1024 * 1024);
 * CourierClient client = CourierClient.builder().cache(cache).build();
 * }</pre>
 *
 * <p>Fresh stored responses are served without the network; stale ones with a validator ({@code
 * ETag}, {@code Last-Modified}) are revalidated with a conditional request, and a {@code 304}
 * refreshes the stored headers. A response is stored while the caller reads its body and is
 * published only once the body was read completely. The store survives the process being killed
 * at any moment and never serves a damaged entry; see {@code docs/cache.md} for its design.
 *
 * <p>The directory is opened on first use, not by the constructor, and only one cache at a time
 * may use a directory. A cache whose disk fails does not fail calls: they go to the network. After
 * {@link #close()} calls pass through to the network uncached. Thread-safe.
 */
public final class Cache implements HttpCache, Closeable, Flushable {
  private final File directory;
  private final ResponseStore store;
  private final BackgroundRevalidator revalidator;
  private final CacheInterceptor interceptor;

  /**
   * Creates a cache in {@code directory} holding at most {@code maxSizeBytes} of responses. Uses
   * the system clock and a daemon thread of its own for background revalidation.
   *
   * @throws IllegalArgumentException if {@code maxSizeBytes} is not positive
   */
  public Cache(File directory, long maxSizeBytes) {
    this(builder(directory, maxSizeBytes));
  }

  private Cache(Builder builder) {
    this.directory = builder.directory;
    this.store = new ResponseStore(builder.directory.toPath(), builder.maxSizeBytes);
    this.revalidator = new BackgroundRevalidator(builder.backgroundExecutor);
    this.interceptor = new CacheInterceptor(store, builder.clock, revalidator);
  }

  /**
   * Returns a builder for a cache in {@code directory} holding at most {@code maxSizeBytes}.
   *
   * @throws IllegalArgumentException if {@code maxSizeBytes} is not positive
   */
  public static Builder builder(File directory, long maxSizeBytes) {
    return new Builder(directory, maxSizeBytes);
  }

  /** Returns the interceptor that fills the client's cache slot. */
  @Override
  public Interceptor interceptor() {
    return interceptor;
  }

  /** Returns the key under which the response for {@code url} is stored: the SHA-256 of the URL, in hex. */
  public static String key(HttpUrl url) {
    return ResponseStore.key(url);
  }

  /** Returns the directory the cache keeps its files in. */
  public File directory() {
    return directory;
  }

  /** Returns the size limit in bytes. */
  public long maxSize() {
    return store.maxSizeBytes();
  }

  /**
   * Opens the directory now rather than on first use, recovering it from any crash.
   *
   * @throws IOException if the directory cannot be used or another cache is using it
   * @throws IllegalStateException if the cache is closed
   */
  public void initialize() throws IOException {
    store.diskStore();
  }

  /**
   * Returns the bytes the stored responses take on disk, headers and bodies; opens the directory
   * if needed.
   *
   * @throws IOException if the directory cannot be used
   * @throws IllegalStateException if the cache was closed before it was opened
   */
  public long size() throws IOException {
    return store.diskStore().size();
  }

  /**
   * Returns the number of stored responses; opens the directory if needed.
   *
   * @throws IOException if the directory cannot be used
   * @throws IllegalStateException if the cache was closed before it was opened
   */
  public int entryCount() throws IOException {
    return store.diskStore().entryCount();
  }

  /** Returns the number of requests that reached the cache. */
  public int requestCount() {
    return store.statistics().requestCount();
  }

  /** Returns the number of requests that were sent to the network, conditional ones included. */
  public int networkCount() {
    return store.statistics().networkCount();
  }

  /** Returns the number of requests answered by a stored response, validated ones included. */
  public int hitCount() {
    return store.statistics().hitCount();
  }

  /** Returns the number of responses and header updates written to the store. */
  public int writeSuccessCount() {
    return store.statistics().writeSuccessCount();
  }

  /** Returns the number of writes abandoned: bodies closed early or failed, disk errors. */
  public int writeAbortCount() {
    return store.statistics().writeAbortCount();
  }

  /**
   * Removes every stored response; writes in progress are discarded.
   *
   * @throws IOException if the disk fails
   * @throws IllegalStateException if the cache is closed
   */
  public void evictAll() throws IOException {
    store.diskStore().evictAll();
  }

  /**
   * Removes the stored response for {@code url}; returns true if there was one.
   *
   * @throws IOException if the disk fails
   * @throws IllegalStateException if the cache is closed
   */
  public boolean remove(HttpUrl url) throws IOException {
    Objects.requireNonNull(url, "url == null");
    return store.remove(url);
  }

  /**
   * Returns the URLs of the stored responses, least recently used first, without counting as
   * uses. The iterator's {@code remove()} removes the current URL's response; entries added while
   * iterating may be missed. The iterator is not thread-safe.
   *
   * @throws IOException if the directory cannot be opened
   * @throws IllegalStateException if the cache is closed
   */
  public Iterator<String> urls() throws IOException {
    return store.urls();
  }

  /** Forces the journal to disk; stored responses are already durable once published. */
  @Override
  public void flush() throws IOException {
    store.flush();
  }

  /**
   * Closes the cache: releases the directory and stops background revalidation. Calls made
   * afterwards go to the network uncached. Idempotent.
   */
  @Override
  public void close() throws IOException {
    try {
      revalidator.close();
    } finally {
      store.close();
    }
  }

  /** Returns true once the cache is closed. */
  public boolean isClosed() {
    return store.isClosed();
  }

  /** Closes the cache and deletes every file it made in its directory. */
  public void delete() throws IOException {
    try {
      revalidator.close();
    } finally {
      store.delete();
    }
  }

  /** Builds {@link Cache}s; not thread-safe. */
  public static final class Builder {
    private final File directory;
    private final long maxSizeBytes;
    private Clock clock = Clock.systemUTC();
    private Executor backgroundExecutor;

    private Builder(File directory, long maxSizeBytes) {
      this.directory = Objects.requireNonNull(directory, "directory == null");
      if (maxSizeBytes <= 0) {
        throw new IllegalArgumentException("maxSizeBytes <= 0: " + maxSizeBytes);
      }
      this.maxSizeBytes = maxSizeBytes;
    }

    /**
     * Sets the clock that dates requests and responses and judges freshness; for tests. Default:
     * {@link Clock#systemUTC()}.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Sets the executor that runs background revalidations for {@code stale-while-revalidate}.
     * Default: a daemon thread owned by the cache, stopped by {@link Cache#close()}. An executor
     * set here is not shut down by the cache.
     */
    public Builder backgroundExecutor(Executor executor) {
      this.backgroundExecutor = Objects.requireNonNull(executor, "executor == null");
      return this;
    }

    /** Returns the cache. */
    public Cache build() {
      return new Cache(this);
    }
  }
}
