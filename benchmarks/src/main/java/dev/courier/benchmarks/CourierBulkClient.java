package dev.courier.benchmarks;

import dev.courier.MediaType;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import java.nio.file.Path;
import java.util.List;

/** Moves the benchmark's bodies with Courier's synchronous {@code execute()}. */
final class CourierBulkClient implements BulkClient {
  private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
  private final CourierClient client;
  private String protocol = "none";

  CourierBulkClient(Settings settings) {
    client = CourierClient.builder()
        .protocols(settings.priorKnowledge() ? List.of(Protocol.H2_PRIOR_KNOWLEDGE)
            : settings.h2() ? List.of(Protocol.HTTP_2, Protocol.HTTP_1_1) : List.of(Protocol.HTTP_1_1))
        .sslSocketFactory(settings.sslContext().getSocketFactory(), settings.trustManager())
        .build();
  }

  @Override
  public long download(String url) throws Exception {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      BulkClient.checkStatus("courier", response.code());
      protocol = response.protocol().toString();
      return BulkClient.drain(response.body().byteStream());
    }
  }

  @Override
  public void upload(String url, Path file) throws Exception {
    Request request = new Request.Builder().url(url).put(RequestBody.create(file.toFile(), OCTET_STREAM)).build();
    try (Response response = client.newCall(request).execute()) {
      BulkClient.checkStatus("courier", response.code());
      protocol = response.protocol().toString();
      BulkClient.drain(response.body().byteStream());
    }
  }

  @Override
  public String protocol() {
    return protocol;
  }
}
