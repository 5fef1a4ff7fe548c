package dev.courier.benchmarks;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Sends the benchmark's GETs with the JDK's {@code java.net.http.HttpClient}, blocking. */
final class JdkLoadClient implements LoadClient {
  private final HttpClient client;

  /**
   * @throws IllegalArgumentException for h2c: the JDK's client reaches HTTP/2 over cleartext only
   *     by upgrading from HTTP/1.1, never with prior knowledge
   */
  JdkLoadClient(Settings settings) {
    if (settings.priorKnowledge()) {
      throw new IllegalArgumentException("jdk-httpclient cannot speak h2c with prior knowledge");
    }
    client = HttpClient.newBuilder()
        .version(settings.h2() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
        .sslContext(settings.authority().clientContext())
        .build();
  }

  @Override
  public Object get(String url) throws Exception {
    HttpResponse<InputStream> response = client.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      LoadClient.checkResponse("jdk-httpclient", response.statusCode(), body.readAllBytes().length);
    }
    return response.version();
  }
}
