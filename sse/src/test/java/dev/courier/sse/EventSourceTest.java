package dev.courier.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.chain.CourierClient;
import dev.courier.testing.Fault;
import dev.courier.testing.RecordedRequest;
import dev.courier.testing.ScriptedResponse;
import dev.courier.testing.TestCertificateAuthority;
import dev.courier.testing.TestServer;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs event sources end to end against the Netty test server over HTTP/1.1 and h2c. */
class EventSourceTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("Courier");

  /** The protocol a test runs over. */
  enum Transport {
    HTTP_1_1("http/1.1", Protocol.HTTP_1_1),
    H2C("h2c", Protocol.H2_PRIOR_KNOWLEDGE);

    final String serverProtocol;
    final Protocol clientProtocol;

    Transport(String serverProtocol, Protocol clientProtocol) {
      this.serverProtocol = serverProtocol;
      this.clientProtocol = clientProtocol;
    }

    Protocol negotiated() {
      return this == HTTP_1_1 ? Protocol.HTTP_1_1 : Protocol.H2_PRIOR_KNOWLEDGE;
    }
  }

  private final List<EventSource> sources = new ArrayList<>();
  private TestServer server;
  private CourierClient client;

  @AfterEach
  void tearDown() {
    sources.forEach(EventSource::close);
    if (client != null) {
      client.connectionPool().evictAll();
    }
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void slowStreamDeliversEventsInOrderThenReconnectsWithLastEventId(Transport transport) throws Exception {
    start(transport);
    String body = "retry: 10\n: hello\nid: 1\ndata: one\n\nid: 2\nevent: update\ndata: two\ndata: lines\n\n";
    server.enqueue(eventStream(body).newBuilder().chunkedBody(body, 8).throttleBody(5, 5, TimeUnit.MILLISECONDS).build());
    server.enqueue(ScriptedResponse.builder().status(204).build());
    RecordingListener listener = new RecordingListener();

    // The default delay is an hour: reconnecting at all proves the server's retry field was used.
    connect(factory().retryDelay(Duration.ofHours(1)).build(), listener);

    listener.expect(
        "open 200 " + transport.negotiated(),
        "comment hello",
        "event id=1 type=message data=one",
        "event id=2 type=update data=two\nlines",
        "failure ProtocolException response 204");
    listener.expectNoMore();
    assertThat(listener.failure).hasMessageContaining(server.hostName() + ":" + server.port());
    RecordedRequest first = server.takeRequest();
    assertThat(first.header("Accept")).isEqualTo("text/event-stream");
    assertThat(first.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(first.header("Last-Event-ID")).isNull();
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo("2");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void serverClosingMidEventDiscardsItAndReconnectsWithLastEventId(Transport transport) throws Exception {
    start(transport);
    String body = "retry: 1\nid: 1\ndata: whole\n\nid: 2\ndata: " + "x".repeat(200) + "\n\n";
    server.enqueue(eventStream(body).newBuilder().fault(Fault.CLOSE_MID_BODY).build());
    server.enqueue(eventStream("id: 3\ndata: after\n\n"));
    server.enqueue(ScriptedResponse.builder().status(204).build());
    RecordingListener listener = new RecordingListener();

    EventSource source = connect(factory().build(), listener);

    listener.expect(
        "open 200 " + transport.negotiated(),
        "event id=1 type=message data=whole",
        "open 200 " + transport.negotiated(),
        "event id=3 type=message data=after",
        "failure ProtocolException response 204");
    listener.expectNoMore();
    assertThat(server.takeRequest().header("Last-Event-ID")).isNull();
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo("1");
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo("3");
    assertThat(source.lastEventId()).isEqualTo("3");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void noContentStopsWithoutReconnecting(Transport transport) throws Exception {
    start(transport);
    server.enqueue(ScriptedResponse.builder().status(204).build());
    server.enqueue(eventStream("data: never\n\n"));
    RecordingListener listener = new RecordingListener();

    connect(factory().build(), listener);

    listener.expect("failure ProtocolException response 204");
    listener.expectNoMore();
    assertThat(listener.failure).hasMessageContaining("204");
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void responseThatIsNotAnEventStreamFails(Transport transport) throws Exception {
    start(transport);
    server.enqueue(ScriptedResponse.builder().setHeader("Content-Type", "text/plain").body("data: no\n\n").build());
    RecordingListener listener = new RecordingListener();

    connect(factory().build(), listener);

    listener.expect("failure ProtocolException response 200");
    listener.expectNoMore();
    assertThat(listener.failure)
        .hasMessageContaining("text/plain")
        .hasMessageContaining(server.hostName() + ":" + server.port());
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void errorStatusFails(Transport transport) throws Exception {
    start(transport);
    server.enqueue(eventStream("data: no\n\n").newBuilder().status(503).build());
    RecordingListener listener = new RecordingListener();

    connect(factory().build(), listener);

    listener.expect("failure ProtocolException response 503");
    assertThat(listener.failure).isInstanceOf(ProtocolException.class).hasMessageContaining("503");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void closeWhileWaitingForEventsStopsAndReleasesTheConnection(Transport transport) throws Exception {
    start(transport);
    server.enqueue(eventStream("").newBuilder().fault(Fault.STALL).build());
    RecordingListener listener = new RecordingListener();
    EventSource source = connect(factory().build(), listener);
    listener.expect("open 200 " + transport.negotiated());

    source.close();

    listener.expect("closed");
    listener.expectNoMore();
    assertThat(server.requestCount()).isEqualTo(1);
    if (transport == Transport.HTTP_1_1) {
      assertThat(client.connectionPool().idleConnectionCount())
          .as("a connection with an unread body never goes back to the pool")
          .isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void closeWhileWaitingToReconnectStops(Transport transport) throws Exception {
    start(transport);
    server.enqueue(eventStream("data: a\n\n"));
    RecordingListener listener = new RecordingListener();
    EventSource source = connect(factory().retryDelay(Duration.ofHours(1)).build(), listener);
    listener.expect("open 200 " + transport.negotiated(), "event id= type=message data=a");

    source.close();

    listener.expect("closed");
    listener.expectNoMore();
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void closeFromTheListenerStopsFurtherEvents(Transport transport) throws Exception {
    start(transport);
    server.enqueue(eventStream("data: a\n\ndata: b\n\ndata: c\n\n"));
    RecordingListener listener = new RecordingListener(EventSource::close);

    connect(factory().build(), listener);

    listener.expect("open 200 " + transport.negotiated(), "event id= type=message data=a", "closed");
    listener.expectNoMore();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void givesUpAfterConsecutiveFailedReconnects(Transport transport) throws Exception {
    start(transport);
    AtomicInteger requests = new AtomicInteger();
    server.dispatcher(request -> requests.getAndIncrement() == 0
        ? eventStream("retry: 1\ndata: a\n\n")
        : ScriptedResponse.builder().fault(Fault.CLOSE_AFTER_REQUEST).build());
    RecordingListener listener = new RecordingListener();

    connect(factory().maxFailedReconnects(2).build(), listener);

    listener.expect("open 200 " + transport.negotiated(), "event id= type=message data=a");
    String failure = listener.take();
    assertThat(failure).startsWith("failure ").doesNotContain("response");
    assertThat(listener.failure).isInstanceOf(IOException.class);
    listener.expectNoMore();
    assertThat(requests.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void eventsArriveOverHttp2WithTls() throws Exception {
    TestCertificateAuthority authority = TestCertificateAuthority.create("Courier sse test CA");
    server = new TestServer();
    server.useHttps(authority.serverContext(authority.issue("localhost", "127.0.0.1")));
    server.protocols(List.of("h2", "http/1.1"));
    server.start();
    client = CourierClient.builder()
        .sslSocketFactory(authority.clientSocketFactory(), authority.trustManager())
        .build();
    server.enqueue(eventStream("id: 1\ndata: secure\n\n"));
    server.enqueue(ScriptedResponse.builder().status(204).build());
    RecordingListener listener = new RecordingListener();

    connect(factory().build(), listener);

    listener.expect(
        "open 200 " + Protocol.HTTP_2,
        "event id=1 type=message data=secure",
        "failure ProtocolException response 204");
    listener.expectNoMore();
    assertThat(server.takeRequest().tlsVersion()).isNotNull();
    assertThat(server.takeRequest().header("Last-Event-ID")).isEqualTo("1");
  }

  private void start(Transport transport) throws IOException {
    server = new TestServer();
    server.protocols(List.of(transport.serverProtocol));
    server.start();
    client = CourierClient.builder().protocols(List.of(transport.clientProtocol)).build();
  }

  private EventSources.Factory.Builder factory() {
    return EventSources.factory(client).retryDelay(Duration.ofMillis(1));
  }

  private EventSource connect(EventSources.Factory factory, RecordingListener listener) {
    Request request = new Request.Builder().url(server.url("/events")).build();
    EventSource source = factory.newEventSource(request, listener);
    sources.add(source);
    return source;
  }

  static ScriptedResponse eventStream(String body) {
    return ScriptedResponse.builder().setHeader("Content-Type", "text/event-stream").body(body).build();
  }
}
