package dev.courier.benchmarks;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Instant;

/**
 * Makes the one call {@link ColdStartBenchmark} times, in a JVM of its own: builds one client with
 * its default settings (the benchmark CA is this JVM's default trust store, set with
 * {@code -Djavax.net.ssl.trustStore}), sends one GET, reads the whole body, and prints a
 * {@code COLDSTART} line with three wall-clock instants in microseconds since the epoch: when
 * {@code main} began, when the client was built and when the body had been read; and the CPU time the
 * process had used by then (every thread, user and system).
 *
 * <p>Arguments: {@code CLIENT URL}, CLIENT one of {@link ColdStartBenchmark#CLIENTS}.
 *
 * <p>Until the response is read this class uses no lambdas and no string concatenation, whose
 * first use costs every JVM some tens of milliseconds of bootstrap; each client's code is in a
 * class of its own so that only the measured client's classes load.
 */
public final class ColdStartClient {
  private ColdStartClient() {}

  /** Builds the client {@code args[0]}, fetches {@code args[1]} and prints the instants. */
  public static void main(String[] args) throws Exception {
    long mainMicros = nowMicros();
    String name = args[0];
    String url = args[1];
    Call call;
    switch (name) {
      case "courier": call = new CourierCall(); break;
      case "okhttp": call = new OkHttpCall(); break;
      case "jdk-httpclient": call = new JdkCall(); break;
      case "apache-httpclient5": call = new ApacheCall(); break;
      case "jetty-client": call = new JettyCall(url.startsWith("http:")); break;
      default: throw new IllegalArgumentException(name);
    }
    long builtMicros = nowMicros();
    String protocol = call.get(url);
    long responseMicros = nowMicros();
    long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
    java.util.Optional<java.time.Duration> cpu = ProcessHandle.current().info().totalCpuDuration();
    long cpuMicros = cpu.isPresent() ? cpu.get().toNanos() / 1_000 : -1;
    PrintStream out = System.out;
    out.println(new ColdStartStats.ClientResult(mainMicros, builtMicros, responseMicros, protocol, classes, cpuMicros)
        .format());
    out.flush();
    // Some clients keep non-daemon threads; the measurement is over, so end here.
    System.exit(0);
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private static void check(int status, int bodyBytes) throws java.io.IOException {
    if (status != 200 || bodyBytes != LoadClient.BODY_BYTES) {
      throw new java.io.IOException(new StringBuilder("expected 200 with 1024 bytes, got ").append(status)
          .append(" with ").append(bodyBytes).append(" bytes").toString());
    }
  }

  /** One client, built with its defaults in the constructor. */
  private interface Call {
    /** Sends one GET for {@code url}, reads the whole body and returns the protocol used. */
    String get(String url) throws Exception;
  }

  private static final class CourierCall implements Call {
    private final dev.courier.chain.CourierClient client = new dev.courier.chain.CourierClient();

    @Override
    public String get(String url) throws Exception {
      try (dev.courier.Response response =
          client.newCall(new dev.courier.Request.Builder().url(url).build()).execute()) {
        check(response.code(), response.body().bytes().length);
        return response.protocol().toString();
      }
    }
  }

  private static final class OkHttpCall implements Call {
    private final okhttp3.OkHttpClient client = new okhttp3.OkHttpClient();

    @Override
    public String get(String url) throws Exception {
      try (okhttp3.Response response = client.newCall(new okhttp3.Request.Builder().url(url).build()).execute()) {
        check(response.code(), response.body().bytes().length);
        return response.protocol().toString();
      }
    }
  }

  private static final class JdkCall implements Call {
    private final java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();

    @Override
    public String get(String url) throws Exception {
      java.net.http.HttpResponse<InputStream> response = client.send(
          java.net.http.HttpRequest.newBuilder(URI.create(url)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        check(response.statusCode(), body.readAllBytes().length);
      }
      return response.version().toString();
    }
  }

  /** Apache's classic API has no HTTP/2, so this is its async client negotiating by ALPN. */
  private static final class ApacheCall implements Call {
    private final org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient client =
        org.apache.hc.client5.http.impl.async.HttpAsyncClients.custom()
            .setVersionPolicy(org.apache.hc.core5.http2.HttpVersionPolicy.NEGOTIATE)
            .build();

    ApacheCall() {
      client.start();
    }

    @Override
    public String get(String url) throws Exception {
      org.apache.hc.client5.http.async.methods.SimpleHttpResponse response = client.execute(
          org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.get(url).build(), null).get();
      byte[] body = response.getBodyBytes();
      check(response.getCode(), body == null ? 0 : body.length);
      return response.getVersion().toString();
    }
  }

  /**
   * Jetty's client with its dynamic transport, offering HTTP/2 and HTTP/1.1 by ALPN. Without TLS
   * it would speak the first protocol listed outright, so for cleartext HTTP/1.1 comes first.
   */
  private static final class JettyCall implements Call {
    private final org.eclipse.jetty.client.HttpClient client;

    JettyCall(boolean cleartext) throws Exception {
      org.eclipse.jetty.io.ClientConnector connector = new org.eclipse.jetty.io.ClientConnector();
      org.eclipse.jetty.io.ClientConnectionFactory.Info http2 =
          new org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2.HTTP2(
              new org.eclipse.jetty.http2.client.HTTP2Client(connector));
      org.eclipse.jetty.io.ClientConnectionFactory.Info http11 =
          org.eclipse.jetty.client.transport.HttpClientConnectionFactory.HTTP11;
      client = new org.eclipse.jetty.client.HttpClient(cleartext
          ? new org.eclipse.jetty.client.transport.HttpClientTransportDynamic(connector, http11, http2)
          : new org.eclipse.jetty.client.transport.HttpClientTransportDynamic(connector, http2, http11));
      client.start();
    }

    @Override
    public String get(String url) throws Exception {
      org.eclipse.jetty.client.ContentResponse response = client.GET(url);
      check(response.getStatus(), response.getContent().length);
      return response.getVersion().toString();
    }
  }
}
