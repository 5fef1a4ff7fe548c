package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Call;
import dev.courier.Connection;
import dev.courier.EventListener;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.CallerThreads;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.H2c;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Holds 200 HTTP/2 calls open at once against one origin and counts, from connection events, how
 * many connections carried them: one when the server allows enough streams, else the fewest its
 * stream limit allows.
 */
@Timeout(60)
class Http2MultiplexingTest {
  private static final int CALLS = 200;

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  @RegisterExtension
  final CallerThreads callers = new CallerThreads(CALLS);

  /** Counts connections opened and the distinct connections calls acquired. */
  static final class ConnectionCounter extends EventListener {
    final AtomicInteger connectStarts = new AtomicInteger();
    final Set<Connection> acquired = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    @Override
    public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
      connectStarts.incrementAndGet();
    }

    @Override
    public void connectionAcquired(Call call, Connection connection) {
      acquired.add(connection);
    }
  }

  @Test
  void twoHundredConcurrentCallsShareOneConnection() throws Exception {
    TestServer server = H2c.server(chain);
    ConnectionCounter counter = runConcurrentCalls(server);
    assertThat(counter.acquired).hasSize(1);
    assertThat(counter.connectStarts).hasValue(1);
  }

  @Test
  void streamLimitSpreadsConcurrentCallsOverTheFewestConnections() throws Exception {
    TestServer server = chain.unstartedServer();
    server.protocols(List.of("h2c"));
    server.http2Settings(50, -1, -1);
    server.start();
    ConnectionCounter counter = runConcurrentCalls(server);
    // 200 streams held open at once, at most 50 per connection.
    assertThat(counter.acquired).hasSize(CALLS / 50);
  }

  private ConnectionCounter runConcurrentCalls(TestServer server) throws Exception {
    server.dispatcher(request -> ScriptedResponse.builder().body("hello " + request.path()).build());
    ConnectionCounter counter = new ConnectionCounter();
    CourierClient client = chain.client(builder -> {
      H2c.priorKnowledge(builder);
      builder.eventListener(counter);
    });
    // Open the first connection and learn the server's settings before the rush.
    try (Response warmUp = client.newCall(new Request.Builder().url(server.url("/warm-up")).build()).execute()) {
      assertThat(warmUp.body().string()).isEqualTo("hello /warm-up");
    }
    CountDownLatch allHaveHeaders = new CountDownLatch(CALLS);
    List<Future<String>> bodies = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      String path = "/" + i;
      bodies.add(callers.submit(() -> {
        try (Response response = client.newCall(new Request.Builder().url(server.url(path)).build()).execute()) {
          // Keep every stream open until all calls have their response headers.
          allHaveHeaders.countDown();
          assertThat(allHaveHeaders.await(30, TimeUnit.SECONDS)).isTrue();
          return response.body().string();
        }
      }));
    }
    for (int i = 0; i < CALLS; i++) {
      assertThat(bodies.get(i).get(45, TimeUnit.SECONDS)).isEqualTo("hello /" + i);
    }
    return counter;
  }
}
