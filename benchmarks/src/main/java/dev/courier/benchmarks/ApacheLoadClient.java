package dev.courier.benchmarks;

import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * Sends the benchmark's GETs with Apache HttpClient 5. HTTP/1.1 uses the classic (blocking) API
 * over a pooling connection manager sized for the thread count. The classic API has no HTTP/2, so
 * HTTP/2 uses the async HTTP/2 client (one multiplexed connection), each thread waiting on its
 * future; that client speaks only HTTP/2, so to an {@code http} URL it speaks h2c with prior
 * knowledge.
 */
final class ApacheLoadClient {
  private static final String NAME = "apache-httpclient5";

  private ApacheLoadClient() {}

  /** Returns the classic client for HTTP/1.1, the async HTTP/2 client for HTTP/2. */
  static LoadClient create(LoadClient.Settings settings) {
    DefaultClientTlsStrategy tls = new DefaultClientTlsStrategy(settings.authority().clientContext());
    return settings.h2() ? http2(tls) : classic(settings.threads(), tls);
  }

  private static LoadClient classic(int threads, DefaultClientTlsStrategy tls) {
    PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
        .setMaxConnTotal(threads)
        .setMaxConnPerRoute(threads)
        .setTlsSocketStrategy(tls)
        .build();
    CloseableHttpClient client = HttpClients.custom().setConnectionManager(pool).build();
    return new LoadClient() {
      @Override
      public Object get(String url) throws Exception {
        return client.execute(new HttpGet(url), response -> {
          byte[] body = EntityUtils.toByteArray(response.getEntity());
          LoadClient.checkResponse(NAME, response.getCode(), body.length);
          return response.getVersion();
        });
      }

      @Override
      public void close() {
        client.close(CloseMode.IMMEDIATE);
      }
    };
  }

  private static LoadClient http2(DefaultClientTlsStrategy tls) {
    CloseableHttpAsyncClient client = HttpAsyncClients.customHttp2().setTlsStrategy(tls).build();
    client.start();
    return new LoadClient() {
      @Override
      public Object get(String url) throws Exception {
        SimpleHttpResponse response = client.execute(SimpleRequestBuilder.get(url).build(), null).get();
        byte[] body = response.getBodyBytes();
        LoadClient.checkResponse(NAME, response.getCode(), body == null ? 0 : body.length);
        return response.getVersion();
      }

      @Override
      public void close() {
        client.close(CloseMode.IMMEDIATE);
      }
    };
  }
}
