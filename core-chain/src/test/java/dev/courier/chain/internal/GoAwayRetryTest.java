package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.MediaType;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.H2c;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drives two concurrent HTTP/2 calls through {@link CourierClient} onto one connection whose
 * server then sends GOAWAY naming the first stream as the last it processed, and checks the
 * second call is retried on a new connection without the caller noticing, while the first call
 * completes on the old connection, which the client then closes.
 */
@Timeout(30)
class GoAwayRetryTest {
  private static final long NO_ERROR = 0x0;
  private static final long INTERNAL_ERROR = 0x2;

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  private final ExecutorService callers = Executors.newFixedThreadPool(2);
  private GoAwayServer server;

  @AfterEach
  void stopServerAndCallers() throws InterruptedException {
    callers.shutdownNow();
    assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    if (server != null) {
      server.close();
    }
  }

  @Test
  void streamAboveLastStreamIdIsRetriedOnANewConnectionAndTheOldOneClosesWhenDrained() throws Exception {
    assertStreamThreeIsRetriedOnASecondConnection(NO_ERROR);
    // The server never closes a connection after a NO_ERROR GOAWAY: only the client can.
    assertThat(server.firstConnectionClosedByServer()).isFalse();
  }

  @Test
  void streamAboveLastStreamIdIsRetriedWhenGoAwayCarriesAnError() throws Exception {
    assertStreamThreeIsRetriedOnASecondConnection(INTERNAL_ERROR);
    // Netty closes a connection itself once it has written GOAWAY with an error code.
    assertThat(server.firstConnectionClosedByServer()).isTrue();
  }

  @Test
  void postAboveLastStreamIdIsResentSinceTheServerNeverProcessedIt() throws Exception {
    server = new GoAwayServer(NO_ERROR).start();
    CourierClient client = chain.client(H2c::priorKnowledge);
    Request post = new Request.Builder().url(server.url("/b"))
        .post(RequestBody.create("not idempotent", MediaType.get("text/plain"))).build();

    Future<String> first = callers.submit(() -> get(client, "/a"));
    assertThat(server.awaitFirstStream(10, TimeUnit.SECONDS)).isTrue();
    Future<String> second = callers.submit(() -> body(client, post));
    assertThat(server.awaitGoAwaySent(10, TimeUnit.SECONDS)).isTrue();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("connection 1: /a");
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("connection 2: /b");
    assertThat(server.receivedStreams()).containsExactly(
        "connection 1 stream 1 /a",
        "connection 1 stream 3 /b",
        "connection 2 stream 1 /b");
  }

  /**
   * Sends /a and /b as streams 1 and 3 of one connection, whose server answers stream 1 and then
   * sends GOAWAY with last stream 1 and {@code errorCode}; checks that /b was resent on a second
   * connection, /a was not, and the first connection closed.
   */
  private void assertStreamThreeIsRetriedOnASecondConnection(long errorCode) throws Exception {
    server = new GoAwayServer(errorCode).start();
    CourierClient client = chain.client(H2c::priorKnowledge);

    String[] bodies = callOnStreamsOneAndThree(client);

    assertThat(bodies[0]).isEqualTo("connection 1: /a");
    assertThat(bodies[1]).isEqualTo("connection 2: /b");
    assertThat(server.receivedStreams()).containsExactly(
        "connection 1 stream 1 /a",
        "connection 1 stream 3 /b",
        "connection 2 stream 1 /b");
    assertThat(server.acceptedConnections()).isEqualTo(2);
    assertThat(server.awaitFirstConnectionClosed(10, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * Starts a call to /a, and once the server holds its stream (1) starts a call to /b, which
   * shares the connection as stream 3; returns both bodies.
   */
  private String[] callOnStreamsOneAndThree(CourierClient client) throws Exception {
    Future<String> first = callers.submit(() -> get(client, "/a"));
    assertThat(server.awaitFirstStream(10, TimeUnit.SECONDS)).isTrue();
    Future<String> second = callers.submit(() -> get(client, "/b"));
    assertThat(server.awaitGoAwaySent(10, TimeUnit.SECONDS)).isTrue();
    return new String[] {first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS)};
  }

  private String get(CourierClient client, String path) throws Exception {
    return body(client, new Request.Builder().url(server.url(path)).build());
  }

  private static String body(CourierClient client, Request request) throws Exception {
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.code()).isEqualTo(200);
      return response.body().string();
    }
  }
}
