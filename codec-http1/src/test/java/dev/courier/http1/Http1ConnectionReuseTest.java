package dev.courier.http1;

import static dev.courier.http1.Exchanges.execute;
import static dev.courier.http1.Exchanges.newCodec;
import static dev.courier.http1.Exchanges.readUtf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.ConnectionShutdownException;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.spi.ProtocolConnection;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests that an {@link Http1Connection} carries another exchange only when the previous response
 * ended exactly where its framing said, and that malformed heads leave it unusable.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class Http1ConnectionReuseTest {
  private static final String SMUGGLED = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled";

  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("TestServer");

  private Http1Connection connection;
  private String peer;

  @AfterEach
  void tearDown() {
    if (connection != null) {
      connection.close();
    }
  }

  private Http1Connection connect(String host, int port) throws IOException {
    connection = new Http1Connection(Transports.connect(host, port), ProtocolConnection.Listener.NONE);
    peer = host + ":" + port;
    return connection;
  }

  private Request request(String method) {
    return new Request.Builder().url("http://" + peer + "/").method(method, null).build();
  }

  private void assertRetired() {
    assertThat(connection.maxConcurrentExchanges()).isZero();
    assertThat(connection.isHealthy(false)).isFalse();
    assertThatThrownBy(() -> connection.newCodec(Exchanges.OPTIONS))
        .isInstanceOf(ConnectionShutdownException.class);
  }

  @Test
  void bodyLongerThanItsContentLengthRetiresTheConnection() throws Exception {
    try (RawServer server = RawServer.respondAndHold(
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" + SMUGGLED)) {
      connect(server.host(), server.port());

      Response response = execute(newCodec(connection), request("GET"));

      assertThat(response.body().string()).isEqualTo("hello");
      assertRetired();
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "GET  | HTTP/1.1 204 No Content\\r\\n\\r\\n",
      "GET  | HTTP/1.1 304 Not Modified\\r\\nContent-Length: 5\\r\\nContent-Encoding: gzip\\r\\n\\r\\nhello",
      "HEAD | HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n\\r\\nhello",
      "GET  | HTTP/1.1 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n"})
  void bytesAfterABodilessResponseRetireTheConnection(String method, String head) throws Exception {
    String wire = head.replace("\\r\\n", "\r\n");
    try (RawServer server = RawServer.respondAndHold(wire + SMUGGLED)) {
      connect(server.host(), server.port());

      Response response = execute(newCodec(connection), request(method));

      assertThat(response.body().string()).isEmpty();
      assertRetired();
    }
  }

  @Test
  void bytesArrivingAfterTheExchangeEndedMakeTheIdleConnectionUnhealthy() throws Exception {
    CountDownLatch bodyRead = new CountDownLatch(1);
    try (RawServer server = RawServer.serve((in, out) -> {
      RawServer.readHead(in);
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.UTF_8));
      out.flush();
      bodyRead.await(10, TimeUnit.SECONDS);
      out.write(SMUGGLED.getBytes(StandardCharsets.UTF_8));
      out.flush();
      RawServer.holdOpen();
    })) {
      connect(server.host(), server.port());
      assertThat(execute(newCodec(connection), request("GET")).body().string()).isEqualTo("ok");
      assertThat(connection.isHealthy(false)).isTrue();

      bodyRead.countDown();

      assertThat(pollUntilUnhealthy(false)).isTrue();
      assertThat(connection.isHealthy(true)).isFalse();
    }
  }

  @Test
  void extensiveHealthCheckCountsAnyByteNotOnlyTheEndOfStream() throws Exception {
    CountDownLatch bodyRead = new CountDownLatch(1);
    try (RawServer server = RawServer.serve((in, out) -> {
      RawServer.readHead(in);
      out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      bodyRead.await(10, TimeUnit.SECONDS);
      out.write('H');
      out.flush();
      RawServer.holdOpen();
    })) {
      connect(server.host(), server.port());
      execute(newCodec(connection), request("GET")).close();
      assertThat(connection.isHealthy(true)).isTrue();

      bodyRead.countDown();

      assertThat(pollUntilUnhealthy(true)).isTrue();
    }
  }

  @Test
  void wellBehavedServerKeepsOneConnectionForBodilessAndFramedResponses() throws Exception {
    try (TestServer server = new TestServer()) {
      server.enqueue(ScriptedResponse.builder().body("hello").build());
      server.enqueue(ScriptedResponse.builder().status(204).build());
      server.enqueue(ScriptedResponse.builder().status(304).header("ETag", "\"1\"").build());
      server.enqueue(ScriptedResponse.builder().body("ignored by HEAD").build());
      server.enqueue(ScriptedResponse.builder().chunkedBody("chunked", 3).build());
      server.start();
      connect("127.0.0.1", server.port());

      assertThat(execute(newCodec(connection), request("GET")).body().string()).isEqualTo("hello");
      assertThat(execute(newCodec(connection), request("GET")).body().string()).isEmpty();
      assertThat(execute(newCodec(connection), request("GET")).body().string()).isEmpty();
      assertThat(execute(newCodec(connection), request("HEAD")).body().string()).isEmpty();
      assertThat(connection.isHealthy(true)).isTrue();
      assertThat(execute(newCodec(connection), request("GET")).body().string()).isEqualTo("chunked");

      assertThat(connection.isHealthy(true)).isTrue();
      assertThat(connection.maxConcurrentExchanges()).isEqualTo(1);
      assertThat(server.connectionCount()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "HTTP/1.1 200 OK\r\nX-Evil: a\0b\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX-Evil: a\rContent-Length: 99\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX-E\rvil: a\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX-Folded: a\r\n \0b\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 O\0K\r\nContent-Length: 0\r\n\r\n"})
  void nulOrBareCrInTheHeadIsAProtocolError(String head) throws Exception {
    try (RawServer server = RawServer.respondAndHold(head)) {
      connect(server.host(), server.port());
      Http1ExchangeCodec codec = newCodec(connection);

      assertThatThrownBy(() -> Exchanges.send(codec, request("GET")))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining(peer)
          .hasMessageMatching(".*(a NUL|a bare CR).*");
      assertThat(connection.maxConcurrentExchanges()).isZero();
    }
  }

  @Test
  void nulInATrailerFailsTheBodyAndRetiresTheConnection() throws Exception {
    try (RawServer server = RawServer.respondAndHold("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "2\r\nok\r\n0\r\nX-Trailer: a\0b\r\n\r\n")) {
      connect(server.host(), server.port());
      Http1ExchangeCodec codec = newCodec(connection);
      Response head = Exchanges.send(codec, request("GET"));

      assertThatThrownBy(() -> readUtf8(codec.openResponseBodySource(head)))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("Trailer section from " + peer + " has a NUL");
      assertThat(connection.maxConcurrentExchanges()).isZero();
    }
  }

  /** Calls the health check until it fails, for at most 5 seconds; returns true if it failed. */
  private boolean pollUntilUnhealthy(boolean extensiveChecks) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      if (!connection.isHealthy(extensiveChecks)) {
        return true;
      }
      Thread.onSpinWait();
    }
    return false;
  }
}
