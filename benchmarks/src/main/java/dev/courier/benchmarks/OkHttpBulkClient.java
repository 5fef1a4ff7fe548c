package dev.courier.benchmarks;

import java.nio.file.Path;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Moves the benchmark's bodies with OkHttp's synchronous {@code execute()}. */
final class OkHttpBulkClient implements BulkClient {
  private final OkHttpClient client;
  private String protocol = "none";

  OkHttpBulkClient(Settings settings) {
    client = new OkHttpClient.Builder()
        .protocols(settings.priorKnowledge() ? List.of(Protocol.H2_PRIOR_KNOWLEDGE)
            : settings.h2() ? List.of(Protocol.HTTP_2, Protocol.HTTP_1_1) : List.of(Protocol.HTTP_1_1))
        .sslSocketFactory(settings.sslContext().getSocketFactory(), settings.trustManager())
        .build();
  }

  @Override
  public long download(String url) throws Exception {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      BulkClient.checkStatus("okhttp", response.code());
      protocol = response.protocol().toString();
      return BulkClient.drain(response.body().byteStream());
    }
  }

  @Override
  public void upload(String url, Path file) throws Exception {
    RequestBody body = RequestBody.create(file.toFile(), MediaType.get("application/octet-stream"));
    try (Response response = client.newCall(new Request.Builder().url(url).put(body).build()).execute()) {
      BulkClient.checkStatus("okhttp", response.code());
      protocol = response.protocol().toString();
      BulkClient.drain(response.body().byteStream());
    }
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
