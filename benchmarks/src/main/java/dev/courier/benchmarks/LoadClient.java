package dev.courier.benchmarks;

import dev.courier.testing.TestCertificateAuthority;
import java.io.IOException;

/**
 * A client under load in {@link ClientLoadBenchmark}. Implementations are called from all worker
 * threads at once, so they must be thread-safe.
 */
interface LoadClient extends AutoCloseable {
  /** The size of the body every GET must read in full. */
  int BODY_BYTES = 1024;

  /**
   * Sends one GET to {@code url} and reads the whole body.
   *
   * @return the protocol version the response came over, as the client reports it
   * @throws IOException if the status is not 200 or the body is not {@link #BODY_BYTES} long
   * @throws Exception whatever the client throws for a failed exchange
   */
  Object get(String url) throws Exception;

  /** Releases the client's connections and threads. Does nothing by default. */
  @Override
  default void close() throws Exception {}

  /** Fails with an {@link IOException} naming {@code client} unless the response was a full 200. */
  static void checkResponse(String client, int status, int bodyBytes) throws IOException {
    if (status != 200 || bodyBytes != BODY_BYTES) {
      throw new IOException(client + ": expected 200 with " + BODY_BYTES + " bytes, got " + status
          + " with " + bodyBytes + " bytes");
    }
  }

  /**
   * Describes how every client is configured for one run.
   *
   * @param threads the number of threads sending at once; connection pools are sized for it
   * @param h2 whether to use HTTP/2 instead of HTTP/1.1: over TLS (ALPN), or over cleartext when
   *     {@code priorKnowledge} is set
   * @param priorKnowledge whether to speak HTTP/2 over cleartext with prior knowledge (h2c: the
   *     HTTP/2 preface at once, no upgrade from HTTP/1.1); implies {@code h2}
   * @param authority the CA that issued the server's certificate, which every client trusts
   */
  record Settings(int threads, boolean h2, boolean priorKnowledge, TestCertificateAuthority authority) {
    public Settings {
      if (priorKnowledge && !h2) {
        throw new IllegalArgumentException("prior knowledge is HTTP/2's");
      }
    }
  }

  /** Creates a client configured by {@link Settings}. */
  @FunctionalInterface
  interface Factory {
    /** Returns a new client, started and ready to send. */
    LoadClient create(Settings settings) throws Exception;
  }
}
