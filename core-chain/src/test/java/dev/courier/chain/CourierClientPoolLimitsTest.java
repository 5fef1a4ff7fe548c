package dev.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Call;
import dev.courier.HttpUrl;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.ConnectCounter;
import dev.courier.chain.support.H2c;
import dev.courier.pool.ConnectionLimitTimeoutException;
import dev.courier.pool.ConnectionPool;
import dev.courier.pool.IdleTimeEvictionPolicy;
import dev.courier.pool.PoolLimits;
import dev.courier.pool.internal.PoolAccess;
import dev.courier.pool.internal.RealConnectionPool;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs calls through a client whose pool has limits, and pre-warms connections for a client. */
@Timeout(30)
class CourierClientPoolLimitsTest {
  private static final long AWAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension();

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final ConnectCounter connects = new ConnectCounter();
  private final List<CourierClient> clients = new ArrayList<>();

  @AfterEach
  void tearDown() throws InterruptedException {
    callers.shutdownNow();
    assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    for (CourierClient client : clients) {
      client.close();
    }
  }

  private CourierClient client(PoolLimits limits, Consumer<CourierClient.Builder> configure) {
    ConnectionPool pool = new ConnectionPool(new IdleTimeEvictionPolicy(5, 5, TimeUnit.MINUTES), limits);
    CourierClient client = chain.client(builder -> {
      builder.connectionPool(pool).eventListener(connects);
      configure.accept(builder);
    });
    clients.add(client);
    return client;
  }

  private static RealConnectionPool realPool(CourierClient client) {
    return PoolAccess.realPool(client.connectionPool());
  }

  private Future<String> startGet(CourierClient client, String url) {
    return callers.submit(() -> {
      try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
        return response.code() + " " + response.body().string();
      }
    });
  }

  private void concurrentCallsStayWithinOneConnection(TestServer server, CourierClient client)
      throws Exception {
    List<Future<String>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(startGet(client, server.url("/" + i)));
    }
    for (Future<String> call : calls) {
      assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("200 ok");
    }
    assertThat(connects.connectStarts()).isEqualTo(1);
    assertThat(server.requestCount()).isEqualTo(8);
  }

  @Test
  void http1CallsBeyondTheLimitWaitForTheConnection() throws Exception {
    TestServer server = chain.server();
    // Slow answers keep the connection busy, so later calls must queue for it.
    server.dispatcher(request -> ScriptedResponse.builder().body("ok")
        .headersDelay(50, TimeUnit.MILLISECONDS).build());
    CourierClient client = client(PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(1), b -> {});

    concurrentCallsStayWithinOneConnection(server, client);
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void http2ConnectionCountsOnceForConcurrentCalls() throws Exception {
    TestServer server = H2c.server(chain);
    server.dispatcher(request -> ScriptedResponse.builder().body("ok")
        .headersDelay(50, TimeUnit.MILLISECONDS).build());
    CourierClient client = client(PoolLimits.UNLIMITED.withMaxConnections(1), H2c::priorKnowledge);

    concurrentCallsStayWithinOneConnection(server, client);
    assertThat(realPool(client).connectionCount()).isEqualTo(1);
  }

  @Test
  void callsBeyondTheServersStreamLimitWaitForAStreamOnTheOneConnection() throws Exception {
    TestServer server = chain.unstartedServer();
    server.protocols(List.of("h2c"));
    server.http2Settings(2, -1, -1); // Two streams at a time: without the limit, more connections.
    server.start();
    server.dispatcher(request -> ScriptedResponse.builder().body("ok")
        .headersDelay(50, TimeUnit.MILLISECONDS).build());
    CourierClient client = client(PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(1), H2c::priorKnowledge);
    // A first call lets the client learn the server's SETTINGS before the rush.
    assertThat(startGet(client, server.url("/first")).get(10, TimeUnit.SECONDS)).isEqualTo("200 ok");

    List<Future<String>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(startGet(client, server.url("/" + i)));
    }
    for (Future<String> call : calls) {
      assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("200 ok");
    }
    assertThat(connects.connectStarts()).isEqualTo(1);
    assertThat(server.requestCount()).isEqualTo(9);
  }

  @Test
  void callWaitingPastItsConnectTimeoutFailsNamingHostAndLimit() throws Exception {
    TestServer server = chain.server();
    server.dispatcher(request -> ScriptedResponse.builder().body("ok").build());
    CourierClient client = client(PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(1),
        b -> b.connectTimeout(200, TimeUnit.MILLISECONDS));

    try (Response holding = client.newCall(new Request.Builder().url(server.url("/a")).build()).execute()) {
      Call waiting = client.newCall(new Request.Builder().url(server.url("/b")).build());
      assertThatThrownBy(waiting::execute)
          .isInstanceOf(ConnectionLimitTimeoutException.class)
          .hasMessage("Timed out after 200 ms waiting for a connection to 127.0.0.1:" + server.port()
              + ": the limit of 1 connections per address is reached");
      assertThat(holding.body().string()).isEqualTo("ok");
    }
    assertThat(connects.connectStarts()).isEqualTo(1); // Not retried, nothing more opened.
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void cancelingACallEndsItsWaitAtOnce() throws Exception {
    TestServer server = chain.server();
    server.dispatcher(request -> ScriptedResponse.builder().body("ok").build());
    CourierClient client = client(PoolLimits.UNLIMITED.withMaxConnectionsPerAddress(1),
        b -> b.connectTimeout(0, TimeUnit.MILLISECONDS));

    try (Response holding = client.newCall(new Request.Builder().url(server.url("/a")).build()).execute()) {
      Call waiting = client.newCall(new Request.Builder().url(server.url("/b")).build());
      Future<Response> result = callers.submit(waiting::execute);
      assertThat(realPool(client).awaitLimitWaiterCount(1, AWAIT_NANOS)).isTrue();

      waiting.cancel();

      assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(IOException.class).hasMessage("Canceled");
      assertThat(realPool(client).limitWaiterCount()).isZero();
      assertThat(holding.body().string()).isEqualTo("ok");
    }
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void prewarmedConnectionsServeCallsWithoutConnecting() throws Exception {
    TestServer server = chain.server();
    server.dispatcher(request -> ScriptedResponse.builder().body("ok").build());
    CourierClient client = client(PoolLimits.UNLIMITED, b -> {});

    client.prewarm(HttpUrl.parse(server.url("/")), 2);

    assertThat(realPool(client).prewarmer().awaitCompletedRuns(1, AWAIT_NANOS)).isTrue();
    assertThat(client.connectionPool().idleConnectionCount()).isEqualTo(2);
    assertThat(startGet(client, server.url("/")).get(10, TimeUnit.SECONDS)).isEqualTo("200 ok");
    assertThat(connects.connectStarts()).isZero();
    assertThat(client.connectionPool().connectionCount()).isEqualTo(2);
  }

  @Test
  void prewarmRejectsNegativeMinimumAndAClosedClient() {
    CourierClient client = client(PoolLimits.UNLIMITED, b -> {});
    HttpUrl url = HttpUrl.parse("http://127.0.0.1:1/");
    assertThatThrownBy(() -> client.prewarm(url, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("minIdle < 0: -1");

    client.close();

    assertThatThrownBy(() -> client.prewarm(url, 1)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
