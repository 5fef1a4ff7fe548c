package dev.courier.testing.internal;

import dev.courier.testing.FaultPoint;

/**
 * Decides and records, for a fault-injection server's connections, what happens to each request:
 * the connection handlers report what arrives and act on the answer.
 *
 * <p>Implementations are called from every connection's thread at once and must be thread-safe.
 */
public interface FaultExchanges {
  /**
   * Records that a request head arrived and returns the fault to apply to it once its body has
   * been read: {@link FaultPoint#NONE} to answer it normally.
   *
   * @param connection the 1-based number of the connection in accept order
   * @param streamId the HTTP/2 stream, 0 over HTTP/1.1
   * @param method the request method
   * @param path the request target ({@code :path} over HTTP/2)
   * @param indexOnConnection the 1-based position of the request among those on its connection
   */
  FaultPoint requestArrived(int connection, int streamId, String method, String path, int indexOnConnection);

  /** Records that the client reset HTTP/2 stream {@code streamId} of {@code connection}. */
  void streamReset(int connection, int streamId);
}
