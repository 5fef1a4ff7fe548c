package dev.courier.benchmarks;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/** Moves the benchmark's bodies with the JDK's {@code java.net.http.HttpClient}, blocking. */
final class JdkBulkClient implements BulkClient {
  private final HttpClient client;
  private String protocol = "none";

  /**
   * @throws IllegalArgumentException for h2c: the JDK's client reaches HTTP/2 over cleartext only
   *     by upgrading from HTTP/1.1, never with prior knowledge
   */
  JdkBulkClient(Settings settings) {
    if (settings.priorKnowledge()) {
      throw new IllegalArgumentException("jdk-httpclient cannot speak h2c with prior knowledge");
    }
    client = HttpClient.newBuilder()
        .version(settings.h2() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
        .sslContext(settings.sslContext())
        .build();
  }

  @Override
  public long download(String url) throws Exception {
    HttpResponse<InputStream> response = client.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      BulkClient.checkStatus("jdk-httpclient", response.statusCode());
      protocol = response.version().toString();
      return BulkClient.drain(body);
    }
  }

  @Override
  public void upload(String url, Path file) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
    HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      BulkClient.checkStatus("jdk-httpclient", response.statusCode());
      protocol = response.version().toString();
      BulkClient.drain(body);
    }
  }

  @Override
  public String protocol() {
    return protocol;
  }
}
