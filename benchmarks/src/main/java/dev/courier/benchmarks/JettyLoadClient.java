package dev.courier.benchmarks;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Sends the benchmark's GETs with Jetty's HttpClient, blocking on {@code GET(url)}: the HTTP/1.1
 * transport, or the HTTP/2 transport for HTTP/2, which speaks h2c with prior knowledge to an
 * {@code http} URL.
 */
final class JettyLoadClient implements LoadClient {
  private final HttpClient client;

  JettyLoadClient(Settings settings) throws Exception {
    SslContextFactory.Client tls = new SslContextFactory.Client();
    tls.setSslContext(settings.authority().clientContext());
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(tls);
    HttpClientTransport transport = settings.h2()
        ? new HttpClientTransportOverHTTP2(new HTTP2Client(connector))
        : new HttpClientTransportOverHTTP(connector);
    client = new HttpClient(transport);
    client.setMaxConnectionsPerDestination(settings.threads());
    client.start();
  }

  @Override
  public Object get(String url) throws Exception {
    ContentResponse response = client.GET(url);
    LoadClient.checkResponse("jetty-client", response.getStatus(), response.getContent().length);
    return response.getVersion();
  }

  @Override
  public void close() throws Exception {
    client.stop();
  }
}
