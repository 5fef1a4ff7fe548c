package dev.courier.benchmarks;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Makes one measured bulk transfer for {@link BulkTransferBenchmark}, in a JVM of its own: builds
 * one client trusting the benchmark CA, makes one warm-up transfer, then the measured one, and
 * prints a {@code RESULT} line with the bytes moved, the wall time and this process's CPU time
 * over the measured transfer.
 *
 * <p>Arguments: {@code --client NAME --direction download|upload --url URL --warmup-url URL
 * [--file PATH --warmup-file PATH] --ca PEM [--h2 | --h2c]}: {@code --h2} for HTTP/2 over TLS,
 * {@code --h2c} for HTTP/2 over cleartext with prior knowledge.
 */
public final class BulkTransferClient {
  private BulkTransferClient() {}

  /**
   * Returns the bulk clients by name, in the order the benchmark runs them. The JDK's client cannot
   * speak h2c with prior knowledge (see {@link #speaksPriorKnowledge}).
   */
  static Map<String, BulkClient.Factory> clients() {
    Map<String, BulkClient.Factory> clients = new LinkedHashMap<>();
    clients.put("courier", CourierBulkClient::new);
    clients.put("okhttp", OkHttpBulkClient::new);
    clients.put("jdk-httpclient", JdkBulkClient::new);
    clients.put("apache-httpclient5", ApacheBulkClient::create);
    clients.put("jetty-client", JettyBulkClient::new);
    return clients;
  }

  /**
   * Returns whether {@code client} speaks HTTP/2 over cleartext with prior knowledge. The JDK's
   * client reaches HTTP/2 over cleartext only by upgrading from HTTP/1.1, which nginx does not offer.
   */
  static boolean speaksPriorKnowledge(String client) {
    return !client.equals("jdk-httpclient");
  }

  /** Runs one warm-up and one measured transfer as {@code args} describe. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    boolean h2 = false;
    boolean priorKnowledge = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--h2")) {
        h2 = true;
      } else if (args[i].equals("--h2c")) {
        h2 = true;
        priorKnowledge = true;
      } else if (args[i].startsWith("--") && i + 1 < args.length) {
        options.put(args[i].substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String name = options.get("client");
    BulkClient.Factory factory = clients().get(name);
    if (factory == null) {
      throw new IllegalArgumentException("unknown --client " + name + ", expected one of " + clients().keySet());
    }
    boolean upload = options.get("direction").equals("upload");
    X509TrustManager trustManager = trustManager(Path.of(options.get("ca")));
    SSLContext sslContext = SSLContext.getInstance("TLS");
    sslContext.init(null, new javax.net.ssl.TrustManager[] {trustManager}, null);
    try (BulkClient client = factory.create(new BulkClient.Settings(h2, priorKnowledge, sslContext, trustManager))) {
      transfer(client, upload, options.get("warmup-url"), options.get("warmup-file"));
      long cpuBefore = processCpuNanos();
      long start = System.nanoTime();
      long bytes = transfer(client, upload, options.get("url"), options.get("file"));
      long wallNanos = System.nanoTime() - start;
      long cpuNanos = processCpuNanos() - cpuBefore;
      System.out.println(new BulkTransferStats.ClientResult(bytes, wallNanos, cpuNanos, client.protocol()).format());
    }
  }

  private static long transfer(BulkClient client, boolean upload, String url, String file) throws Exception {
    if (!upload) {
      return client.download(url);
    }
    Path path = Path.of(file);
    client.upload(url, path);
    return Files.size(path);
  }

  /** Returns a trust manager that trusts exactly the CA certificate in the PEM file {@code ca}. */
  static X509TrustManager trustManager(Path ca) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(ca)) {
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return (X509TrustManager) factory.getTrustManagers()[0];
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
