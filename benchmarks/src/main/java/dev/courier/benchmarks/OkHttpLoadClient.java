package dev.courier.benchmarks;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/** Sends the benchmark's GETs with OkHttp's synchronous {@code execute()}. */
final class OkHttpLoadClient implements LoadClient {
  private final OkHttpClient client;

  OkHttpLoadClient(Settings settings) {
    client = new OkHttpClient.Builder()
        .protocols(protocols(settings))
        // The default pool keeps only 5 idle connections; 50 threads on HTTP/1.1 need one each.
        .connectionPool(new ConnectionPool(settings.threads(), 5, TimeUnit.MINUTES))
        .sslSocketFactory(settings.authority().clientSocketFactory(), settings.authority().trustManager())
        .build();
  }

  /** Returns HTTP/2 with prior knowledge alone for h2c; else HTTP/2 by ALPN with HTTP/1.1, or HTTP/1.1. */
  static List<Protocol> protocols(Settings settings) {
    if (settings.priorKnowledge()) {
      return List.of(Protocol.H2_PRIOR_KNOWLEDGE);
    }
    return settings.h2() ? List.of(Protocol.HTTP_2, Protocol.HTTP_1_1) : List.of(Protocol.HTTP_1_1);
  }

  @Override
  public Object get(String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      LoadClient.checkResponse("okhttp", response.code(), response.body().bytes().length);
      return response.protocol();
    }
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
