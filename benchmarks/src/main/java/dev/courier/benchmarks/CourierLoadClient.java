package dev.courier.benchmarks;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import java.io.IOException;
import java.util.List;

/** Sends the benchmark's GETs with Courier's synchronous {@code execute()}. */
final class CourierLoadClient implements LoadClient {
  private final CourierClient client;

  CourierLoadClient(Settings settings) {
    client = CourierClient.builder()
        .protocols(settings.h2() ? List.of(Protocol.HTTP_2, Protocol.HTTP_1_1) : List.of(Protocol.HTTP_1_1))
        .sslSocketFactory(settings.authority().clientSocketFactory(), settings.authority().trustManager())
        .build();
    client.dispatcher().setMaxRequestsPerHost(settings.threads());
  }

  @Override
  public Object get(String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      LoadClient.checkResponse("courier", response.code(), response.body().bytes().length);
      return response.protocol();
    }
  }
}
