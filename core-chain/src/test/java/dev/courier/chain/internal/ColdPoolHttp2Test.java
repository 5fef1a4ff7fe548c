package dev.courier.chain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Call;
import dev.courier.EventListener;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.CourierClient;
import dev.courier.chain.support.CallerThreads;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.H2c;
import dev.courier.chain.support.Poll;
import dev.courier.chain.support.TestTls;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Starts many calls at once to an origin no connection exists to yet, and counts the connections
 * opened, from connect events on the client and accepted sockets on the server: calls that can
 * share an HTTP/2 connection wait for the one connect in flight instead of opening their own.
 */
@Timeout(60)
class ColdPoolHttp2Test {
  private static final int CALLS = 200;

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  @RegisterExtension
  final CallerThreads callers = new CallerThreads(CALLS);

  /** Counts connects started. */
  static final class ConnectCounter extends EventListener {
    final AtomicInteger connectStarts = new AtomicInteger();

    @Override
    public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
      connectStarts.incrementAndGet();
    }
  }

  @Test
  void simultaneousFirstCallsOverH2WithTlsOpenOneConnection() throws Exception {
    TestServer server = chain.unstartedServer();
    TestTls.useHttps(server);
    server.protocols(List.of("h2", "http/1.1"));
    server.start();
    answerHello(server);
    ConnectCounter counter = new ConnectCounter();
    CourierClient client = chain.client(builder -> {
      TestTls.trustTestAuthority(builder);
      builder.dns(TestTls.LOOPBACK_DNS).eventListener(counter);
    });

    List<String> protocols = runSimultaneousCalls(client, "https://localhost:" + server.port(), null);

    assertThat(protocols).containsOnly("h2");
    assertThat(counter.connectStarts).hasValue(1);
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void simultaneousFirstCallsOverH2cPriorKnowledgeOpenOneConnection() throws Exception {
    TestServer server = H2c.server(chain);
    answerHello(server);
    ConnectCounter counter = new ConnectCounter();
    CourierClient client = chain.client(builder -> {
      H2c.priorKnowledge(builder);
      builder.eventListener(counter);
    });

    List<String> protocols = runSimultaneousCalls(client, server.url("").replaceAll("/$", ""), null);

    assertThat(protocols).containsOnly("h2_prior_knowledge");
    assertThat(counter.connectStarts).hasValue(1);
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void callsToAnOriginThatChoosesHttp1AllConnectAndComplete() throws Exception {
    int calls = 20;
    TestServer server = chain.unstartedServer();
    TestTls.useHttps(server);
    server.protocols(List.of("http/1.1"));
    server.start();
    answerHello(server);
    ConnectCounter counter = new ConnectCounter();
    CourierClient client = chain.client(builder -> {
      TestTls.trustTestAuthority(builder);
      builder.dns(TestTls.LOOPBACK_DNS).eventListener(counter);
    });
    // Each call keeps its connection until all have their response headers, which takes one
    // HTTP/1.1 connection per call: the waiters must have connected on their own.
    CountDownLatch allHaveHeaders = new CountDownLatch(calls);

    List<String> protocols = runSimultaneousCalls(client, "https://localhost:" + server.port(),
        allHaveHeaders, calls);

    assertThat(protocols).hasSize(calls).containsOnly("http/1.1");
    assertThat(counter.connectStarts).hasValue(calls);
    assertThat(server.connectionCount()).isEqualTo(calls);
  }

  @Test
  void callTimeoutEndsTheWaitForAConnectInFlight() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // TCP connects complete in the backlog, and the TLS handshake then waits for ever.
      CourierClient slow = chain.client(builder -> {
        TestTls.trustTestAuthority(builder);
        builder.dns(TestTls.LOOPBACK_DNS).readTimeout(Duration.ZERO);
      });
      CourierClient impatient = chain.track(slow.newBuilder().callTimeout(Duration.ofMillis(300)).build());
      Request request = new Request.Builder().url("https://localhost:" + silent.getLocalPort() + "/").build();
      Call leader = slow.newCall(request);
      Future<?> leading = callers.submit(() -> {
        leader.execute().close();
        return null;
      });
      Poll.until("the leader is connecting", () -> chain.events().events("secureConnectStart").size() == 1);

      Call waiter = impatient.newCall(request);
      Future<?> waiting = callers.submit(() -> {
        waiter.execute().close();
        return null;
      });

      assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(InterruptedIOException.class).hasMessage("timeout");

      assertThat(chain.events().eventNames(waiter)).doesNotContain("connectStart");
      assertThat(leading.isDone()).isFalse();
      leader.cancel();
      assertThatThrownBy(() -> leading.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IOException.class);
    }
  }

  @Test
  void canceledWaiterFailsAtOnceAndTheLeaderGoesOn() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CourierClient client = chain.client(builder -> {
        TestTls.trustTestAuthority(builder);
        builder.dns(TestTls.LOOPBACK_DNS).readTimeout(Duration.ZERO).connectTimeout(Duration.ZERO);
      });
      Request request = new Request.Builder().url("https://localhost:" + silent.getLocalPort() + "/").build();
      Call leader = client.newCall(request);
      Future<?> leading = callers.submit(() -> {
        leader.execute().close();
        return null;
      });
      Poll.until("the leader is connecting", () -> chain.events().events("secureConnectStart").size() == 1);
      Call waiter = client.newCall(request);
      CountDownLatch threadKnown = new CountDownLatch(1);
      Thread[] waiterThread = new Thread[1];
      Future<?> waiting = callers.submit(() -> {
        waiterThread[0] = Thread.currentThread();
        threadKnown.countDown();
        waiter.execute().close();
        return null;
      });
      assertThat(threadKnown.await(10, TimeUnit.SECONDS)).isTrue();
      // Neither a connect timeout nor a call timeout bounds this wait: only the cancel ends it.
      awaitWaitingForConnect(waiterThread[0]);

      waiter.cancel();

      assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IOException.class).hasMessageContaining("Canceled");
      assertThat(chain.events().eventNames(waiter)).doesNotContain("connectStart");
      assertThat(leading.isDone()).isFalse();
      leader.cancel();
      assertThatThrownBy(() -> leading.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }
  }

  private List<String> runSimultaneousCalls(CourierClient client, String origin,
      CountDownLatch holdUntil) throws Exception {
    return runSimultaneousCalls(client, origin, holdUntil, CALLS);
  }

  /**
   * Releases {@code calls} calls to {@code origin} at once and returns the protocol each used;
   * with {@code holdUntil}, each keeps its response open until the latch opens.
   */
  private List<String> runSimultaneousCalls(CourierClient client, String origin,
      CountDownLatch holdUntil, int calls) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      String path = "/" + i;
      results.add(callers.submit(() -> {
        start.await();
        Request request = new Request.Builder().url(origin + path).build();
        try (Response response = client.newCall(request).execute()) {
          if (holdUntil != null) {
            holdUntil.countDown();
            assertThat(holdUntil.await(30, TimeUnit.SECONDS)).isTrue();
          }
          assertThat(response.body().string()).isEqualTo("hello " + path);
          return response.protocol().toString();
        }
      }));
    }
    start.countDown();
    List<String> protocols = new ArrayList<>();
    for (Future<String> result : results) {
      protocols.add(result.get(45, TimeUnit.SECONDS));
    }
    return protocols;
  }

  private static void answerHello(TestServer server) {
    server.dispatcher(request -> ScriptedResponse.builder().body("hello " + request.path()).build());
  }

  /** Waits until {@code thread} waits for another call's connect. */
  private static void awaitWaitingForConnect(Thread thread) throws InterruptedException {
    Poll.until(thread.getName() + " waits for the connect in flight", () -> {
      if (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
        return false;
      }
      for (StackTraceElement frame : thread.getStackTrace()) {
        if (frame.getClassName().endsWith("PendingConnects") && frame.getMethodName().equals("awaitTurn")) {
          return true;
        }
      }
      return false;
    });
  }
}
