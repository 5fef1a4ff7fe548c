package dev.courier.http1;

import static dev.courier.http1.Exchanges.execute;
import static dev.courier.http1.Exchanges.newCodec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.ConnectionShutdownException;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.spi.ProtocolConnection;
import dev.courier.spi.Transport;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tests {@link Http1Connection}'s capacity, health checks and lifecycle over loopback sockets. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class Http1ConnectionTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("TestServer");

  private final AtomicInteger capacityChanges = new AtomicInteger();
  private final ProtocolConnection.Listener listener = new ProtocolConnection.Listener() {
    @Override
    public void capacityChanged(ProtocolConnection connection) {
      capacityChanges.incrementAndGet();
    }
  };
  private Http1Connection connection;

  @AfterEach
  void tearDown() {
    if (connection != null) {
      connection.close();
    }
  }

  private Http1Connection connect(String host, int port) throws IOException {
    connection = new Http1Connection(Transports.connect(host, port), listener);
    return connection;
  }

  private static Request get(String host, int port) {
    return new Request.Builder().url("http://" + host + ":" + port + "/").build();
  }

  @Test
  void carriesOneExchangeAtATimeUntilToldToStop() throws Exception {
    try (RawServer server = RawServer.serve((in, out) -> RawServer.holdOpen())) {
      connect(server.host(), server.port());

      assertThat(connection.protocol()).isEqualTo(Protocol.HTTP_1_1);
      assertThat(connection.isMultiplexed()).isFalse();
      assertThat(connection.maxConcurrentExchanges()).isEqualTo(1);
      assertThat(connection.isHealthy(false)).isTrue();

      connection.noNewExchanges();
      connection.noNewExchanges();

      assertThat(connection.maxConcurrentExchanges()).isZero();
      assertThat(connection.isHealthy(false)).isFalse();
      assertThat(capacityChanges.get()).isZero();
      assertThatThrownBy(() -> connection.newCodec(Exchanges.OPTIONS))
          .isInstanceOf(ConnectionShutdownException.class)
          .hasMessageContaining(server.host() + ":" + server.port());
    }
  }

  @Test
  void closeClosesTheSocketAndStopsExchanges() throws Exception {
    try (RawServer server = RawServer.serve((in, out) -> RawServer.holdOpen())) {
      Transport transport = connect(server.host(), server.port()).transport();

      connection.close();
      connection.close();

      assertThat(transport.socket().isClosed()).isTrue();
      assertThat(connection.maxConcurrentExchanges()).isZero();
      assertThat(connection.isHealthy(false)).isFalse();
      assertThat(connection.isHealthy(true)).isFalse();
    }
  }

  @Test
  void healthCheckSeesAnOpenIdleSocketAsHealthyAndLeavesItUsable() throws Exception {
    try (TestServer server = new TestServer()) {
      server.enqueue(ScriptedResponse.builder().body("a").build());
      server.enqueue(ScriptedResponse.builder().body("b").build());
      server.start();
      connect("127.0.0.1", server.port());
      int originalTimeout = connection.transport().socket().getSoTimeout();

      assertThat(execute(newCodec(connection), get("127.0.0.1", server.port())).body().string()).isEqualTo("a");
      assertThat(connection.isHealthy(true)).isTrue();
      assertThat(connection.isHealthy(true)).isTrue();
      assertThat(connection.transport().socket().getSoTimeout()).isEqualTo(originalTimeout);
      assertThat(execute(newCodec(connection), get("127.0.0.1", server.port())).body().string()).isEqualTo("b");
      assertThat(server.connectionCount()).isEqualTo(1);
    }
  }

  @Test
  void healthCheckDetectsThatTheServerClosedTheIdleSocket() throws Exception {
    try (RawServer server = RawServer.respond("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) {
      connect(server.host(), server.port());
      Response response = execute(newCodec(connection), get(server.host(), server.port()));
      assertThat(response.body().string()).isEqualTo("ok");
      assertThat(connection.maxConcurrentExchanges()).isEqualTo(1);
      assertThat(connection.isHealthy(false)).isTrue();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      boolean healthy = true;
      while (healthy && System.nanoTime() < deadline) {
        healthy = connection.isHealthy(true);
      }

      assertThat(healthy).isFalse();
    }
  }

  @Test
  void newCodecRefusesWhileThePreviousExchangeIsUnfinished() throws Exception {
    try (RawServer server = RawServer.respondAndHold("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")) {
      connect(server.host(), server.port());
      Http1ExchangeCodec first = newCodec(connection);
      first.openResponseBodySource(Exchanges.send(first, get(server.host(), server.port())));

      assertThatThrownBy(() -> connection.newCodec(Exchanges.OPTIONS))
          .isInstanceOf(ConnectionShutdownException.class)
          .hasMessageContaining("previous exchange did not end");
      assertThat(connection.maxConcurrentExchanges()).isZero();
      assertThat(capacityChanges.get()).isEqualTo(1);
    }
  }

  @Test
  void newCodecAppliesTheReadTimeoutToTheTransport() throws Exception {
    try (RawServer server = RawServer.serve((in, out) -> RawServer.holdOpen())) {
      connect(server.host(), server.port());

      connection.newCodec(new dev.courier.spi.ExchangeOptions(1_234, 5_678));

      assertThat(connection.transport().source().timeout().timeoutNanos())
          .isEqualTo(TimeUnit.MILLISECONDS.toNanos(1_234));
      assertThat(connection.transport().sink().timeout().timeoutNanos())
          .isEqualTo(TimeUnit.MILLISECONDS.toNanos(5_678));
    }
  }

  @Test
  void rejectsATransportForAnotherProtocol() throws Exception {
    try (RawServer server = RawServer.serve((in, out) -> RawServer.holdOpen())) {
      Transport http1 = Transports.connect(server.host(), server.port());
      try {
        Transport http2 = new Transport(http1.socket(), http1.source(), http1.sink(), http1.route(),
            null, Protocol.HTTP_2);

        assertThatThrownBy(() -> new Http1Connection(http2, ProtocolConnection.Listener.NONE))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("h2");
      } finally {
        http1.socket().close();
      }
    }
  }
}
