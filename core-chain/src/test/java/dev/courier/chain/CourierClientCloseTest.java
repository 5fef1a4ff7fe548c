package dev.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Call;
import dev.courier.Callback;
import dev.courier.HttpCache;
import dev.courier.Interceptor;
import dev.courier.Request;
import dev.courier.Response;
import dev.courier.chain.support.CallerThreads;
import dev.courier.chain.support.ChainTestExtension;
import dev.courier.chain.support.Poll;
import dev.courier.chain.support.TestTls;
import dev.courier.pool.ConnectionPool;
import dev.courier.testing.Fault;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import dev.courier.testing.UnconnectedSocketFactory;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class CourierClientCloseTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension();

  @RegisterExtension
  final ChainTestExtension chain = new ChainTestExtension();

  @RegisterExtension
  final CallerThreads callers = new CallerThreads();

  /** Returns a builder for a client with the default dispatcher, reporting to the test's recorder. */
  private CourierClient.Builder builder() {
    return CourierClient.builder().eventListener(chain.events());
  }

  private static Request get(String url) {
    return new Request.Builder().url(url).build();
  }

  @Test
  void noThreadOrSocketOfTheClientOutlivesClose() throws Exception {
    TestServer http1 = chain.server();
    http1.dispatcher(request -> ScriptedResponse.builder().body("hello").build());
    TestServer h2 = chain.unstartedServer();
    TestTls.useHttps(h2);
    h2.protocols(List.of("h2"));
    h2.start();
    h2.dispatcher(request -> ScriptedResponse.builder().body("hello").build());
    // A first client loads every class and opens every jar the traffic needs, so that the file
    // descriptors counted below are the second client's alone.
    List<Thread> warmUpThreads = runTrafficAndClose(http1, h2, new RecordingSocketFactory());
    Poll.until("the first client's threads ended", () -> warmUpThreads.stream().noneMatch(Thread::isAlive));
    int fdsBefore = openFileDescriptors();
    RecordingSocketFactory sockets = new RecordingSocketFactory();

    List<Thread> started = runTrafficAndClose(http1, h2, sockets);

    // Every socket the client made is closed by the time close() returns.
    assertThat(sockets.created).hasSizeGreaterThanOrEqualTo(2);
    for (Socket socket : sockets.created) {
      assertThat(socket.isClosed()).as("socket %s", socket).isTrue();
    }
    assertThat(started).extracting(Thread::getName).contains("Courier Dispatcher", "Courier ConnectionPool")
        .anyMatch(name -> name.startsWith("Courier h2 reader"))
        .anyMatch(name -> name.startsWith("Courier h2 pinger"));
    Poll.until("every thread the client started has ended", () -> started.stream().noneMatch(Thread::isAlive));
    if (fdsBefore >= 0) {
      // The servers close their ends of the connections on their own threads, a moment later.
      Poll.until("the file descriptors are back to " + fdsBefore, () -> openFileDescriptors() <= fdsBefore);
    }
  }

  /**
   * Makes HTTP/1.1, HTTP/2 and asynchronous calls, keeps one HTTP/2 response open, closes the
   * client, and returns the threads named Courier that the client started and that were alive
   * just before the close.
   */
  private List<Thread> runTrafficAndClose(TestServer http1, TestServer h2, SocketFactory sockets)
      throws Exception {
    Set<Thread> threadsBefore = Set.copyOf(Thread.getAllStackTraces().keySet());
    CourierClient.Builder builder = builder()
        .socketFactory(sockets)
        .dns(TestTls.LOOPBACK_DNS)
        .pingInterval(Duration.ofSeconds(30));
    TestTls.trustTestAuthority(builder);
    CourierClient client = chain.track(builder.build());
    try (Response response = client.newCall(get(http1.url("/sync"))).execute()) {
      assertThat(response.body().string()).isEqualTo("hello");
    }
    String h2Url = "https://localhost:" + h2.port() + "/";
    try (Response response = client.newCall(get(h2Url)).execute()) {
      assertThat(response.body().string()).isEqualTo("hello");
      assertThat(response.protocol().toString()).isEqualTo("h2");
    }
    CompletableFuture<String> async = new CompletableFuture<>();
    client.newCall(get(http1.url("/async"))).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        async.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) throws IOException {
        try (response) {
          async.complete(response.body().string());
        }
      }
    });
    assertThat(async.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
    Response open = client.newCall(get(h2Url)).execute();
    List<Thread> alive = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("Courier") && thread.isAlive() && !threadsBefore.contains(thread)) {
        alive.add(thread);
      }
    }

    client.close();

    // The response left open lost its connection; closing it ends the call.
    open.close();
    return alive;
  }

  @Test
  void callsAfterCloseAreRefusedAndCloseIsIdempotent() throws Exception {
    TestServer server = chain.server();
    CourierClient client = chain.track(builder().build());

    client.close();
    client.close();

    assertThatThrownBy(() -> client.newCall(get(server.url("/"))).execute())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    Call enqueued = client.newCall(get(server.url("/")));
    assertThatThrownBy(() -> enqueued.enqueue(new FailingCallback()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThat(server.requestCount()).isZero();
    assertThat(chain.events().eventNames()).doesNotContain("callStart");
  }

  @Test
  void closeCancelsRunningCallsAndFailsQueuedOnes() throws Exception {
    TestServer server = chain.server();
    server.dispatcher(request -> ScriptedResponse.builder().fault(Fault.NO_RESPONSE).build());
    CourierClient client = chain.track(builder().build());
    client.dispatcher().setMaxRequests(1);
    RecordingCallback running = new RecordingCallback();
    RecordingCallback queued = new RecordingCallback();
    client.newCall(get(server.url("/running"))).enqueue(running);
    client.newCall(get(server.url("/queued"))).enqueue(queued);
    Future<Response> synchronous = callers.submit(() -> client.newCall(get(server.url("/sync"))).execute());
    server.takeRequest();
    server.takeRequest();
    assertThat(client.dispatcher().queuedCallsCount()).isEqualTo(1);

    client.close();

    assertThat(queued.failure.get(10, TimeUnit.SECONDS))
        .hasMessage("Canceled: the client was closed before the call started");
    assertThat(running.failure.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> synchronous.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IOException.class);
    assertThat(server.requestCount()).isEqualTo(2);
    assertThat(queued.responses).hasValue(0);
    assertThat(running.responses).hasValue(0);
  }

  @Test
  void closeClosesACloseableCache() {
    ClosingCache cache = new ClosingCache(null);
    CourierClient client = chain.track(builder().cache(cache).build());

    client.close();
    client.close();

    assertThat(cache.closes).hasValue(1);
  }

  @Test
  void cacheCloseFailureIsReportedAfterEverythingElseClosed() throws Exception {
    TestServer server = chain.server();
    CourierClient client = chain.track(builder().cache(new ClosingCache(new IOException("disk gone"))).build());

    assertThatThrownBy(client::close).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("disk gone");

    assertThatThrownBy(() -> client.newCall(get(server.url("/"))).execute())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void clientsSharingTheDispatcherOrPoolAreClosedWithIt() throws Exception {
    TestServer server = chain.server();
    CourierClient original = chain.track(builder().build());
    CourierClient derived = chain.track(original.newBuilder().readTimeout(Duration.ofSeconds(3)).build());
    CourierClient poolOnly = chain.track(builder().connectionPool(original.connectionPool()).build());

    original.close();

    assertThatThrownBy(() -> derived.newCall(get(server.url("/"))).execute())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("CourierClient is closed");
    assertThatThrownBy(() -> poolOnly.newCall(get(server.url("/"))).execute())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("ConnectionPool is closed");
    poolOnly.close();
  }

  @Test
  void givenExecutorIsLeftRunning() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      CourierClient client = chain.track(builder().dispatcher(new Dispatcher(executor)).build());

      client.close();

      assertThat(executor.isShutdown()).isFalse();
    } finally {
      executor.shutdownNow();
    }
  }

  /** Returns how many file descriptors this process has open, or -1 if the system does not say. */
  private static int openFileDescriptors() {
    String[] fds = new File("/proc/self/fd").list();
    return fds != null ? fds.length : -1;
  }

  /** Makes plain sockets and remembers them. */
  static final class RecordingSocketFactory extends UnconnectedSocketFactory {
    final List<Socket> created = new CopyOnWriteArrayList<>();

    @Override
    public Socket createSocket() {
      Socket socket = new Socket();
      created.add(socket);
      return socket;
    }
  }

  /** A cache slot that passes every request on, and records being closed. */
  static final class ClosingCache implements HttpCache, Closeable {
    final AtomicInteger closes = new AtomicInteger();
    private final IOException closeFailure;

    ClosingCache(IOException closeFailure) {
      this.closeFailure = closeFailure;
    }

    @Override
    public Interceptor interceptor() {
      return chain -> chain.proceed(chain.request());
    }

    @Override
    public void close() throws IOException {
      closes.incrementAndGet();
      if (closeFailure != null) {
        throw closeFailure;
      }
    }
  }

  /** Records the outcome of an asynchronous call. */
  static final class RecordingCallback implements Callback {
    final CompletableFuture<IOException> failure = new CompletableFuture<>();
    final AtomicInteger responses = new AtomicInteger();

    @Override
    public void onFailure(Call call, IOException e) {
      failure.complete(e);
    }

    @Override
    public void onResponse(Call call, Response response) {
      responses.incrementAndGet();
      response.close();
    }
  }

  /** A callback for calls that must never start. */
  static final class FailingCallback implements Callback {
    @Override
    public void onFailure(Call call, IOException e) {
      throw new AssertionError("the call started", e);
    }

    @Override
    public void onResponse(Call call, Response response) {
      throw new AssertionError("the call started");
    }
  }
}
