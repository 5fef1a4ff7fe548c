package dev.courier.benchmarks;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.io.entity.FileEntity;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.io.CloseMode;

/**
 * Moves the benchmark's bodies with Apache HttpClient 5: the classic (blocking) client for
 * HTTP/1.1, the async HTTP/2 client for HTTP/2 (the classic API has no HTTP/2; it speaks only
 * HTTP/2, so h2c with prior knowledge to an {@code http} URL), counting the body's bytes as they
 * arrive rather than buffering them.
 */
final class ApacheBulkClient {
  private static final String NAME = "apache-httpclient5";

  private ApacheBulkClient() {}

  /** Returns the classic client for HTTP/1.1, the async HTTP/2 client for HTTP/2. */
  static BulkClient create(BulkClient.Settings settings) {
    DefaultClientTlsStrategy tls = new DefaultClientTlsStrategy(settings.sslContext());
    return settings.h2() ? http2(tls) : classic(tls);
  }

  private static BulkClient classic(DefaultClientTlsStrategy tls) {
    CloseableHttpClient client = HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setTlsSocketStrategy(tls).build())
        .build();
    return new BulkClient() {
      private String protocol = "none";

      @Override
      public long download(String url) throws Exception {
        return client.execute(new HttpGet(url), response -> {
          BulkClient.checkStatus(NAME, response.getCode());
          protocol = response.getVersion().toString();
          try (InputStream body = response.getEntity().getContent()) {
            return BulkClient.drain(body);
          }
        });
      }

      @Override
      public void upload(String url, Path file) throws Exception {
        HttpPut put = new HttpPut(url);
        put.setEntity(new FileEntity(file.toFile(), ContentType.APPLICATION_OCTET_STREAM));
        client.execute(put, response -> {
          BulkClient.checkStatus(NAME, response.getCode());
          protocol = response.getVersion().toString();
          return response.getEntity() == null ? 0L : BulkClient.drain(response.getEntity().getContent());
        });
      }

      @Override
      public String protocol() {
        return protocol;
      }

      @Override
      public void close() {
        client.close(CloseMode.IMMEDIATE);
      }
    };
  }

  private static BulkClient http2(DefaultClientTlsStrategy tls) {
    CloseableHttpAsyncClient client = HttpAsyncClients.customHttp2().setTlsStrategy(tls).build();
    client.start();
    return new BulkClient() {
      private String protocol = "none";

      @Override
      public long download(String url) throws Exception {
        return exchange(AsyncRequestBuilder.get(url).build());
      }

      @Override
      public void upload(String url, Path file) throws Exception {
        exchange(AsyncRequestBuilder.put(url)
            .setEntity(AsyncEntityProducers.create(file.toFile(), ContentType.APPLICATION_OCTET_STREAM))
            .build());
      }

      private long exchange(AsyncRequestProducer request) throws Exception {
        CountingConsumer consumer = new CountingConsumer();
        HttpResponse response = client.execute(request, consumer, null).get();
        BulkClient.checkStatus(NAME, response.getCode());
        protocol = response.getVersion().toString();
        return consumer.bytes;
      }

      @Override
      public String protocol() {
        return protocol;
      }

      @Override
      public void close() {
        client.close(CloseMode.IMMEDIATE);
      }
    };
  }

  /** Counts a response body's bytes and drops them, as the other clients' discarded buffer does. */
  private static final class CountingConsumer extends AbstractBinResponseConsumer<HttpResponse> {
    private HttpResponse response;
    long bytes;

    @Override
    protected void start(HttpResponse response, ContentType contentType) {
      this.response = response;
    }

    @Override
    protected HttpResponse buildResult() {
      return response;
    }

    @Override
    protected int capacityIncrement() {
      return BulkClient.READ_BUFFER_BYTES;
    }

    @Override
    protected void data(ByteBuffer data, boolean endOfStream) {
      bytes += data.remaining();
      data.position(data.limit());
    }

    @Override
    public void releaseResources() {}
  }
}
