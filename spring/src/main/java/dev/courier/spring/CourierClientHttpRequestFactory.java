package dev.courier.spring;

import dev.courier.chain.CourierClient;
import dev.courier.spring.internal.CourierClientHttpRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;

/**
 * Runs Spring Framework's {@code RestClient} and {@code RestTemplate} on Courier:
 * {@code RestClient.builder().requestFactory(new CourierClientHttpRequestFactory(client))}.
 *
 * <p>Requests go through the given {@link CourierClient}, with its pool, interceptors, cookies,
 * cache, TLS and protocols. Request bodies are streamed to the connection when Spring offers them
 * as a stream ({@code StreamingHttpOutputMessage}), and sent chunked unless Spring set {@code
 * Content-Length}; such a body is sent once (never replayed on a redirect or retry) unless Spring
 * says it is repeatable. Other bodies are collected in memory first. Response bodies stream from
 * the connection; closing the {@code ClientHttpResponse} releases it.
 *
 * <p>Failures surface as Courier's {@code IOException}s, which Spring wraps in {@code
 * ResourceAccessException}: a connect or read timeout is a {@link java.net.SocketTimeoutException},
 * as with Spring's own factories. Error statuses (4xx, 5xx) are ordinary responses, left to
 * Spring's error handlers.
 *
 * <p>Set the timeouts before the factory is used; they apply to requests created afterwards.
 * Creating requests is thread-safe.
 */
public final class CourierClientHttpRequestFactory implements ClientHttpRequestFactory, DisposableBean {
  private final boolean ownsClient;
  private volatile CourierClient client;

  /** Creates a factory on a new {@link CourierClient} with the default settings, closed by {@link #destroy()}. */
  public CourierClientHttpRequestFactory() {
    this.client = new CourierClient();
    this.ownsClient = true;
  }

  /**
   * Creates a factory sending requests through {@code client}. The caller keeps ownership of the
   * client: {@link #destroy()} does not close it.
   */
  public CourierClientHttpRequestFactory(CourierClient client) {
    this.client = Objects.requireNonNull(client, "client");
    this.ownsClient = false;
  }

  /**
   * Sets the connect timeout; zero means none. Default: the client's. The pool, dispatcher and
   * other settings stay shared with the client given.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public void setConnectTimeout(Duration timeout) {
    checkTimeout("connectTimeout", timeout);
    client = client.newBuilder().connectTimeout(timeout).build();
  }

  /**
   * Sets the connect timeout in milliseconds; zero means none.
   *
   * @throws IllegalArgumentException if {@code timeoutMillis} is negative
   */
  public void setConnectTimeout(int timeoutMillis) {
    setConnectTimeout(Duration.ofMillis(timeoutMillis));
  }

  /**
   * Sets the read timeout: the longest wait for the response headers or for any read of the body;
   * zero means none. Default: the client's.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public void setReadTimeout(Duration timeout) {
    checkTimeout("readTimeout", timeout);
    client = client.newBuilder().readTimeout(timeout).build();
  }

  /**
   * Sets the read timeout in milliseconds; zero means none.
   *
   * @throws IllegalArgumentException if {@code timeoutMillis} is negative
   */
  public void setReadTimeout(long timeoutMillis) {
    setReadTimeout(Duration.ofMillis(timeoutMillis));
  }

  private static void checkTimeout(String name, Duration timeout) {
    Objects.requireNonNull(timeout, name);
    if (timeout.isNegative()) {
      throw new IllegalArgumentException(name + " < 0: " + timeout);
    }
  }

  /** Returns the client requests are sent through, with this factory's timeouts applied. */
  public CourierClient client() {
    return client;
  }

  /**
   * Returns a request for {@code method} to {@code uri}; it is sent when Spring executes it.
   *
   * @throws IllegalArgumentException if {@code uri} is not an absolute http or https URI
   */
  @Override
  public ClientHttpRequest createRequest(URI uri, HttpMethod method) {
    return new CourierClientHttpRequest(client, uri, method);
  }

  /** Closes the client if this factory created it; a client given to the factory stays open. */
  @Override
  public void destroy() {
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "CourierClientHttpRequestFactory{connectTimeout=" + client.connectTimeoutMillis() + "ms, readTimeout="
        + client.readTimeoutMillis() + "ms}";
  }
}
