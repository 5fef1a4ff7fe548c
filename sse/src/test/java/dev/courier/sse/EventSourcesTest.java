package dev.courier.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.chain.CourierClient;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Checks the factory's settings and how a source runs on the thread it is given. */
class EventSourcesTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("Courier");

  private final CourierClient client = CourierClient.builder().protocols(List.of(Protocol.HTTP_1_1)).build();

  @Test
  void builderRejectsBadSettingsNamingThem() {
    EventSources.Factory.Builder builder = EventSources.factory(client);
    assertThatThrownBy(() -> builder.retryDelay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryDelay");
    assertThatThrownBy(() -> builder.maxFailedReconnects(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFailedReconnects");
    assertThatThrownBy(() -> builder.maxEventBytes(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxEventBytes");
    assertThatThrownBy(() -> builder.threadFactory(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void listenerThatThrowsEndsTheSourceOnTheGivenThread() throws Exception {
    try (TestServer server = new TestServer()) {
      server.start();
      server.enqueue(EventSourceTest.eventStream("data: a\n\ndata: b\n\n"));
      server.enqueue(EventSourceTest.eventStream("data: c\n\n"));
      CompletableFuture<Throwable> uncaught = new CompletableFuture<>();
      AtomicReference<Thread> sourceThread = new AtomicReference<>();
      EventSources.Factory factory = EventSources.factory(client)
          .retryDelay(Duration.ZERO)
          .threadFactory(runnable -> {
            Thread thread = new Thread(runnable, "Courier test event source");
            thread.setUncaughtExceptionHandler((t, e) -> uncaught.complete(e));
            sourceThread.set(thread);
            return thread;
          })
          .build();
      RecordingListener listener = new RecordingListener(source -> {
        throw new IllegalStateException("listener failed");
      });

      EventSource source = factory.newEventSource(new Request.Builder().url(server.url("/")).build(), listener);

      assertThat(uncaught.get(10, TimeUnit.SECONDS)).hasMessage("listener failed");
      sourceThread.get().join(10_000);
      assertThat(sourceThread.get().isAlive()).isFalse();
      listener.expect("open 200 http/1.1", "event id= type=message data=a");
      listener.expectNoMore();
      assertThat(server.requestCount()).isEqualTo(1);
      source.close();
      client.connectionPool().evictAll();
    }
  }

  @Test
  void newBuilderKeepsTheSettings() throws Exception {
    EventSources.Factory original = EventSources.factory(client).maxEventBytes(8).retryDelay(Duration.ZERO).build();
    try (TestServer server = new TestServer()) {
      server.start();
      server.enqueue(EventSourceTest.eventStream("data: 123456789\n\n"));
      RecordingListener listener = new RecordingListener();

      EventSource source = original.newBuilder().build()
          .newEventSource(new Request.Builder().url(server.url("/")).build(), listener);

      listener.expect("open 200 http/1.1", "failure EventTooLargeException");
      source.close();
      client.connectionPool().evictAll();
    }
  }
}
