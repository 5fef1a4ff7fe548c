package dev.courier.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.PathRequestContent;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Moves the benchmark's bodies with Jetty's HttpClient, reading through an InputStream: the
 * HTTP/1.1 transport, or the HTTP/2 transport for HTTP/2, which speaks h2c with prior knowledge to
 * an {@code http} URL.
 */
final class JettyBulkClient implements BulkClient {
  private final HttpClient client;
  private String protocol = "none";

  JettyBulkClient(Settings settings) throws Exception {
    SslContextFactory.Client tls = new SslContextFactory.Client();
    tls.setSslContext(settings.sslContext());
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(tls);
    HttpClientTransport transport = settings.h2()
        ? new HttpClientTransportOverHTTP2(new HTTP2Client(connector))
        : new HttpClientTransportOverHTTP(connector);
    client = new HttpClient(transport);
    client.start();
  }

  @Override
  public long download(String url) throws Exception {
    InputStreamResponseListener listener = new InputStreamResponseListener();
    client.newRequest(url).send(listener);
    return read(listener);
  }

  @Override
  public void upload(String url, Path file) throws Exception {
    InputStreamResponseListener listener = new InputStreamResponseListener();
    client.newRequest(url).method(HttpMethod.PUT).body(new PathRequestContent("application/octet-stream", file)).send(listener);
    read(listener);
  }

  private long read(InputStreamResponseListener listener) throws Exception {
    Response response = listener.get(5, TimeUnit.MINUTES);
    try (InputStream body = listener.getInputStream()) {
      BulkClient.checkStatus("jetty-client", response.getStatus());
      protocol = response.getVersion().toString();
      long bytes = BulkClient.drain(body);
      // The response may come before the request body is all sent; the exchange ends with both.
      Result result = listener.await(5, TimeUnit.MINUTES);
      if (result.isFailed()) {
        throw new IOException("jetty-client: exchange failed", result.getFailure());
      }
      return bytes;
    }
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public void close() throws Exception {
    client.stop();
  }
}
