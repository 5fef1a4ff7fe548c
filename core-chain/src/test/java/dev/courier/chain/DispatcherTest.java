package dev.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Call;
import dev.courier.Callback;
import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.Poll;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exercises the dispatcher with calls that an application interceptor holds until released, so
 * the number of running calls is under the test's control and no network is involved.
 */
@Timeout(10)
class DispatcherTest {
  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  private final CountDownLatch release = new CountDownLatch(1);
  private final List<String> started = new CopyOnWriteArrayList<>();
  private final List<String> outcomes = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Dispatcher dispatcher = new Dispatcher(executor);

  @AfterEach
  void tearDown() throws InterruptedException {
    release.countDown();
    executor.shutdown();
    assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  /** Returns a client whose calls block until {@link #release} opens, then answer 200. */
  private CourierClient heldClient() {
    return chain.client(b -> b.dispatcher(dispatcher).addInterceptor(c -> {
      started.add(c.request().url().host() + c.request().url().encodedPath());
      try {
        if (!release.await(5, TimeUnit.SECONDS)) {
          throw new IOException("never released");
        }
      } catch (InterruptedException e) {
        throw new InterruptedIOException("interrupted");
      }
      if (c.call().isCanceled()) {
        throw new IOException("Canceled");
      }
      return new Response.Builder().request(c.request()).protocol(Protocol.HTTP_1_1).code(200).build();
    }));
  }

  private Callback recording(String name) {
    return new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        outcomes.add(name + " failed: " + e.getMessage());
      }

      @Override
      public void onResponse(Call call, Response response) {
        response.close();
        outcomes.add(name + " " + response.code());
      }
    };
  }

  private static Request request(String url) {
    return new Request.Builder().url(url).build();
  }

  @Test
  void defaultsAre64CallsAnd5PerHost() {
    Dispatcher defaults = new Dispatcher();
    assertThat(defaults.maxRequests()).isEqualTo(64);
    assertThat(defaults.maxRequestsPerHost()).isEqualTo(5);
    assertThat(defaults.runningCallsCount()).isZero();
    assertThat(defaults.queuedCallsCount()).isZero();
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> dispatcher.setMaxRequests(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRequests");
    assertThatThrownBy(() -> dispatcher.setMaxRequestsPerHost(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRequestsPerHost");
  }

  @Test
  void callsBeyondTheLimitWaitInTheQueue() throws Exception {
    dispatcher.setMaxRequests(2);
    CourierClient client = heldClient();

    client.newCall(request("http://a.test/1")).enqueue(recording("1"));
    client.newCall(request("http://b.test/2")).enqueue(recording("2"));
    client.newCall(request("http://c.test/3")).enqueue(recording("3"));

    Poll.until("two calls started", () -> started.size() == 2);
    assertThat(dispatcher.runningCallsCount()).isEqualTo(2);
    assertThat(dispatcher.queuedCallsCount()).isEqualTo(1);
    assertThat(dispatcher.queuedCalls().get(0).request().url().host()).isEqualTo("c.test");

    release.countDown();
    Poll.until("all calls answered", () -> outcomes.size() == 3);
    assertThat(outcomes).containsExactlyInAnyOrder("1 200", "2 200", "3 200");
    assertThat(started.subList(0, 2)).containsExactlyInAnyOrder("a.test/1", "b.test/2");
    assertThat(started.get(2)).isEqualTo("c.test/3");
  }

  @Test
  void callsToOneHostShareThePerHostLimit() throws Exception {
    dispatcher.setMaxRequestsPerHost(2);
    CourierClient client = heldClient();

    client.newCall(request("http://a.test/1")).enqueue(recording("a1"));
    client.newCall(request("http://a.test/2")).enqueue(recording("a2"));
    client.newCall(request("http://a.test/3")).enqueue(recording("a3"));
    client.newCall(request("http://b.test/1")).enqueue(recording("b1"));

    Poll.until("three calls started", () -> started.size() == 3);
    assertThat(started).containsExactlyInAnyOrder("a.test/1", "a.test/2", "b.test/1");
    assertThat(dispatcher.runningCallsCount()).isEqualTo(3);
    assertThat(dispatcher.queuedCallsCount()).isEqualTo(1);

    release.countDown();
    Poll.until("all calls answered", () -> outcomes.size() == 4);
    assertThat(started).contains("a.test/3");
  }

  @Test
  void raisingTheLimitStartsQueuedCalls() throws Exception {
    dispatcher.setMaxRequests(1);
    CourierClient client = heldClient();
    client.newCall(request("http://a.test/1")).enqueue(recording("1"));
    client.newCall(request("http://b.test/2")).enqueue(recording("2"));
    Poll.until("one call started", () -> started.size() == 1);
    assertThat(dispatcher.queuedCallsCount()).isEqualTo(1);

    dispatcher.setMaxRequests(2);

    Poll.until("both calls started", () -> started.size() == 2);
    release.countDown();
    Poll.until("all calls answered", () -> outcomes.size() == 2);
  }

  @Test
  void synchronousCallsAreCountedAsRunning() throws Exception {
    CourierClient client = heldClient();
    Call call = client.newCall(request("http://a.test/sync"));
    executor.execute(() -> {
      try {
        call.execute().close();
        outcomes.add("sync done");
      } catch (IOException e) {
        outcomes.add("sync failed");
      }
    });

    Poll.until("the call started", () -> started.size() == 1);
    assertThat(dispatcher.runningCallsCount()).isEqualTo(1);
    assertThat(dispatcher.runningCalls()).containsExactly(call);
    release.countDown();
    // The outcome is recorded after execute() returned and the response closed, when the
    // dispatcher must already have counted the call finished.
    Poll.until("the call finished", () -> outcomes.size() == 1);
    assertThat(outcomes).containsExactly("sync done");
    assertThat(dispatcher.runningCallsCount()).isZero();
  }

  @Test
  void synchronousCallsFinishingInAnyOrderLeaveTheOthersRunningInStartOrder() throws Exception {
    Map<String, CountDownLatch> releases = new ConcurrentHashMap<>();
    AtomicInteger idle = new AtomicInteger();
    dispatcher.setIdleCallback(idle::incrementAndGet);
    CourierClient client = chain.client(b -> b.dispatcher(dispatcher).addInterceptor(c -> {
      String path = c.request().url().encodedPath();
      started.add(path);
      try {
        if (!releases.get(path).await(5, TimeUnit.SECONDS)) {
          throw new IOException("never released");
        }
      } catch (InterruptedException e) {
        throw new InterruptedIOException("interrupted");
      }
      return new Response.Builder().request(c.request()).protocol(Protocol.HTTP_1_1).code(200).build();
    }));
    Call[] calls = new Call[4];
    for (int i = 0; i < calls.length; i++) {
      String path = "/" + i;
      releases.put(path, new CountDownLatch(1));
      calls[i] = client.newCall(request("http://a.test" + path));
      Call call = calls[i];
      executor.execute(() -> {
        try {
          call.execute().close();
          outcomes.add(path + " done");
        } catch (IOException e) {
          outcomes.add(path + " failed");
        }
      });
      int count = i + 1;
      Poll.until("call " + i + " started", () -> started.size() == count);
    }
    assertThat(dispatcher.runningCalls()).containsExactly(calls);

    for (int i : new int[] {2, 0, 3}) {
      releases.get("/" + i).countDown();
      Poll.until("call " + i + " finished", () -> outcomes.contains("/" + i + " done"));
    }

    assertThat(dispatcher.runningCalls()).containsExactly(calls[1]);
    assertThat(dispatcher.runningCallsCount()).isEqualTo(1);
    assertThat(idle).hasValue(0);
    releases.get("/1").countDown();
    Poll.until("the dispatcher went idle", () -> idle.get() > 0);
    assertThat(dispatcher.runningCalls()).isEmpty();
    assertThat(idle).hasValue(1);
  }

  @Test
  void cancelAllCancelsRunningAndQueuedCalls() throws Exception {
    dispatcher.setMaxRequests(1);
    CourierClient client = heldClient();
    Call running = client.newCall(request("http://a.test/1"));
    Call queued = client.newCall(request("http://a.test/2"));
    running.enqueue(recording("running"));
    queued.enqueue(recording("queued"));
    Poll.until("one call started", () -> started.size() == 1);

    dispatcher.cancelAll();

    assertThat(running.isCanceled()).isTrue();
    assertThat(queued.isCanceled()).isTrue();
    release.countDown();
    Poll.until("both calls failed", () -> outcomes.size() == 2);
    assertThat(outcomes).containsExactlyInAnyOrder("running failed: Canceled", "queued failed: Canceled");
  }

  @Test
  void idleCallbackRunsWhenTheLastCallFinishes() throws Exception {
    AtomicInteger idle = new AtomicInteger();
    dispatcher.setIdleCallback(idle::incrementAndGet);
    CourierClient client = heldClient();
    client.newCall(request("http://a.test/1")).enqueue(recording("1"));
    client.newCall(request("http://a.test/2")).enqueue(recording("2"));
    Poll.until("both calls started", () -> started.size() == 2);
    assertThat(idle).hasValue(0);

    release.countDown();

    Poll.until("the dispatcher went idle", () -> idle.get() > 0);
    Poll.until("both calls answered", () -> outcomes.size() == 2);
    assertThat(idle).hasValue(1);
    assertThat(dispatcher.runningCallsCount()).isZero();
  }

  @Test
  void rejectedCallFailsWithInterruptedIoException() throws Exception {
    ExecutorService shutDown = Executors.newSingleThreadExecutor();
    shutDown.shutdown();
    CourierClient client = chain.client(b -> b.dispatcher(new Dispatcher(shutDown)));

    client.newCall(request("http://a.test/")).enqueue(recording("rejected"));

    assertThat(outcomes).containsExactly("rejected failed: executor rejected");
    assertThat(client.dispatcher().runningCallsCount()).isZero();
  }

  @Test
  void defaultExecutorUsesDaemonThreadsNamedCourierDispatcher() throws Exception {
    Dispatcher defaults = new Dispatcher();
    ExecutorService service = defaults.executorService();
    try {
      Thread thread = service.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
      assertThat(thread.getName()).isEqualTo("Courier Dispatcher");
      assertThat(thread.isDaemon()).isTrue();
    } finally {
      service.shutdown();
      assertThat(service.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }
}
