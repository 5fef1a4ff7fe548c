package dev.courier.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * A client moving one large body in {@link BulkTransferBenchmark}. Each instance lives in its own
 * JVM ({@link BulkTransferClient}) and makes one transfer at a time.
 */
interface BulkClient extends AutoCloseable {
  /** The size of the buffer every client reads the body into, then discards. */
  int READ_BUFFER_BYTES = 64 * 1024;

  /**
   * Downloads {@code url}, reading the whole body into a discarded buffer.
   *
   * @return the number of body bytes read
   * @throws IOException if the status is not 200
   * @throws Exception whatever the client throws for a failed exchange
   */
  long download(String url) throws Exception;

  /**
   * Uploads {@code file} to {@code url} as the body of a PUT and reads the whole response.
   *
   * @throws IOException if the status is not 2xx
   * @throws Exception whatever the client throws for a failed exchange
   */
  void upload(String url, Path file) throws Exception;

  /** Returns the protocol the last exchange used, as the client names it. */
  String protocol();

  /** Releases the client's connections and threads. Does nothing by default. */
  @Override
  default void close() throws Exception {}

  /** Reads {@code body} to its end into a discarded buffer and returns how many bytes it had. */
  static long drain(InputStream body) throws IOException {
    byte[] buffer = new byte[READ_BUFFER_BYTES];
    long total = 0;
    for (int n; (n = body.read(buffer)) != -1; ) {
      total += n;
    }
    return total;
  }

  /** Fails with an {@link IOException} naming {@code client} unless {@code status} is 2xx. */
  static void checkStatus(String client, int status) throws IOException {
    if (status < 200 || status > 299) {
      throw new IOException(client + ": expected a 2xx status, got " + status);
    }
  }

  /**
   * Describes how every client is configured: alike, trusting the same CA.
   *
   * @param h2 whether to use HTTP/2 instead of HTTP/1.1: over TLS (ALPN), or over cleartext when
   *     {@code priorKnowledge} is set
   * @param priorKnowledge whether to speak HTTP/2 over cleartext with prior knowledge (h2c: the
   *     HTTP/2 preface at once, no upgrade from HTTP/1.1); implies {@code h2}
   * @param sslContext the context trusting the benchmark CA, for clients that take one
   * @param trustManager the trust manager of {@code sslContext}
   */
  record Settings(boolean h2, boolean priorKnowledge, SSLContext sslContext, X509TrustManager trustManager) {
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
    BulkClient create(Settings settings) throws Exception;
  }
}
