package dev.courier.chain.support;

import dev.courier.Call;
import dev.courier.chain.CourierClient;
import dev.courier.chain.Dispatcher;
import dev.courier.testing.TestServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test started {@link TestServer}s and clients that record their events, and after the
 * test checks that every call ended (so every response body was closed), then evicts the clients'
 * pools, stops their dispatcher threads and closes the servers.
 */
public final class ChainTestExtension implements AfterEachCallback {
  private final EventRecorder events = new EventRecorder();
  private final List<TestServer> servers = new ArrayList<>();
  private final List<CourierClient> clients = new ArrayList<>();
  private final List<ExecutorService> executors = new ArrayList<>();

  /** Returns the recorder every client of this extension reports to. */
  public EventRecorder events() {
    return events;
  }

  /** Returns a started cleartext HTTP/1.1 server, closed after the test. */
  public TestServer server() throws IOException {
    TestServer server = unstartedServer();
    server.start();
    return server;
  }

  /** Returns a server to configure and start, closed after the test. */
  public TestServer unstartedServer() {
    TestServer server = new TestServer();
    servers.add(server);
    return server;
  }

  /** Returns a client with the defaults, events recorded. */
  public CourierClient client() {
    return client(builder -> {});
  }

  /** Returns a client configured by {@code configure} on top of the recording defaults. */
  public CourierClient client(Consumer<CourierClient.Builder> configure) {
    ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "Courier test dispatcher");
      thread.setDaemon(true);
      return thread;
    });
    executors.add(executor);
    CourierClient.Builder builder = CourierClient.builder()
        .eventListener(events)
        .dispatcher(new Dispatcher(executor));
    configure.accept(builder);
    return track(builder.build());
  }

  /** Evicts {@code client}'s pool after the test; returns it. */
  public CourierClient track(CourierClient client) {
    clients.add(client);
    return client;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      awaitCallsEnded();
    } finally {
      for (CourierClient client : clients) {
        client.connectionPool().evictAll();
      }
      for (ExecutorService executor : executors) {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
      }
      for (TestServer server : servers) {
        server.close();
      }
    }
  }

  private void awaitCallsEnded() throws InterruptedException {
    try {
      Poll.until("every call ended", () -> events.unfinishedCalls().isEmpty());
    } catch (AssertionError e) {
      List<Call> unfinished = events.unfinishedCalls();
      throw new AssertionError("calls that never ended (response not closed?): " + unfinished, e);
    }
  }
}
