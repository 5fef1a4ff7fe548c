package dev.courier.benchmarks;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.pool.ConnectionPool;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Sends the benchmark's GETs with Courier's synchronous {@code execute()}. */
final class CourierLoadClient implements LoadClient {
  private final CourierClient client;

  CourierLoadClient(Settings settings) {
    client = CourierClient.builder()
        .protocols(protocols(settings))
        .sslSocketFactory(settings.authority().clientSocketFactory(), settings.authority().trustManager())
        // Keep as many idle connections as there are threads, as every peer's load client does.
        .connectionPool(new ConnectionPool(settings.threads(), 5, TimeUnit.MINUTES))
        .build();
    client.dispatcher().setMaxRequestsPerHost(settings.threads());
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
      LoadClient.checkResponse("courier", response.code(), response.body().bytes().length);
      return response.protocol();
    }
  }
}
