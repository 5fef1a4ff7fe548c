package dev.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.courier.Call;
import dev.courier.Callback;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs calls on virtual threads: asynchronous calls through a dispatcher whose executor starts a
 * virtual thread per task, and synchronous calls made from virtual threads, over HTTP/1.1 and
 * HTTP/2. Needs Java 21+; the build runs it on a newer JDK when the machine has one, and it
 * skips itself on older ones.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtualThreadDispatcherTest {
  private static final int CALLS = 200;

  private TestServer server;
  private ExecutorService virtualThreads;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21+");
    Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
    virtualThreads = (ExecutorService) factory.invoke(null);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (virtualThreads != null) {
      virtualThreads.shutdown();
      assertThat(virtualThreads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    if (server != null) {
      server.close();
    }
  }

  private static boolean isVirtual(Thread thread) {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private void startServer(String protocol) throws IOException {
    server = new TestServer();
    server.protocols(List.of(protocol));
    server.dispatcher(request -> ScriptedResponse.builder()
        .headersDelay(5, TimeUnit.MILLISECONDS)
        .body("hello " + request.path())
        .build());
    server.start();
  }

  @Test
  void asynchronousCallsRunOnVirtualThreadsOverHttp1() throws Exception {
    startServer("http/1.1");
    CourierClient client = CourierClient.builder()
        .protocols(List.of(Protocol.HTTP_1_1))
        .dispatcher(new Dispatcher(virtualThreads))
        .build();
    client.dispatcher().setMaxRequestsPerHost(CALLS);
    client.dispatcher().setMaxRequests(CALLS);
    assertAsynchronousCallsSucceedOnVirtualThreads(client);
  }

  @Test
  void asynchronousCallsRunOnVirtualThreadsOverHttp2() throws Exception {
    startServer("h2c");
    CourierClient client = CourierClient.builder()
        .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
        .dispatcher(new Dispatcher(virtualThreads))
        .build();
    client.dispatcher().setMaxRequestsPerHost(CALLS);
    client.dispatcher().setMaxRequests(CALLS);
    assertAsynchronousCallsSucceedOnVirtualThreads(client);
  }

  @Test
  void synchronousCallsFromVirtualThreadsShareThePool() throws Exception {
    startServer("h2c");
    CourierClient client = CourierClient.builder()
        .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
        .build();
    List<Future<String>> bodies = new java.util.ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      String path = "/" + i;
      bodies.add(virtualThreads.submit(() -> {
        assertThat(isVirtual(Thread.currentThread())).isTrue();
        try (Response response = client.newCall(new Request.Builder().url(server.url(path)).build()).execute()) {
          return response.body().string();
        }
      }));
    }
    for (int i = 0; i < CALLS; i++) {
      assertThat(bodies.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("hello /" + i);
    }
    assertThat(client.connectionPool().connectionCount()).isLessThanOrEqualTo(2);
  }

  private void assertAsynchronousCallsSucceedOnVirtualThreads(CourierClient client) throws Exception {
    CountDownLatch done = new CountDownLatch(CALLS);
    AtomicInteger successes = new AtomicInteger();
    Queue<String> problems = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < CALLS; i++) {
      String path = "/" + i;
      client.newCall(new Request.Builder().url(server.url(path)).build()).enqueue(new Callback() {
        @Override
        public void onFailure(Call call, IOException e) {
          problems.add(path + ": " + e);
          done.countDown();
        }

        @Override
        public void onResponse(Call call, Response response) throws IOException {
          try (response) {
            if (!isVirtual(Thread.currentThread())) {
              problems.add(path + " ran on platform thread " + Thread.currentThread().getName());
            } else if (response.body().string().equals("hello " + path)) {
              successes.incrementAndGet();
            } else {
              problems.add(path + ": unexpected body");
            }
          } finally {
            done.countDown();
          }
        }
      });
    }
    assertThat(done.await(45, TimeUnit.SECONDS)).isTrue();
    assertThat(problems).isEmpty();
    assertThat(successes).hasValue(CALLS);
  }
}
