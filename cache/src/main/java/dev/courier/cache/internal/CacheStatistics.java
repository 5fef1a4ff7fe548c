package dev.courier.cache.internal;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts what the cache did: requests seen, network uses, hits and store writes. Thread-safe. */
public final class CacheStatistics {
  private final AtomicInteger requestCount = new AtomicInteger();
  private final AtomicInteger networkCount = new AtomicInteger();
  private final AtomicInteger hitCount = new AtomicInteger();
  private final AtomicInteger writeSuccessCount = new AtomicInteger();
  private final AtomicInteger writeAbortCount = new AtomicInteger();

  /** Returns the number of requests that reached the cache. */
  public int requestCount() {
    return requestCount.get();
  }

  /** Returns the number of requests sent to the network, conditional ones included. */
  public int networkCount() {
    return networkCount.get();
  }

  /** Returns the number of requests answered by a stored response, validated ones included. */
  public int hitCount() {
    return hitCount.get();
  }

  /** Returns the number of entries and header updates published. */
  public int writeSuccessCount() {
    return writeSuccessCount.get();
  }

  /** Returns the number of writes abandoned. */
  public int writeAbortCount() {
    return writeAbortCount.get();
  }

  void recordRequest() {
    requestCount.incrementAndGet();
  }

  void recordNetwork() {
    networkCount.incrementAndGet();
  }

  void recordHit() {
    hitCount.incrementAndGet();
  }

  void recordWriteSuccess() {
    writeSuccessCount.incrementAndGet();
  }

  void recordWriteAbort() {
    writeAbortCount.incrementAndGet();
  }
}
