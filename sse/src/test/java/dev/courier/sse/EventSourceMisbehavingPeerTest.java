package dev.courier.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Protocol;
import dev.courier.Request;
import dev.courier.chain.CourierClient;
import dev.courier.testing.ThreadLeakExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs event sources against hand-driven HTTP/1.1 peers that stream slowly or misbehave. */
class EventSourceMisbehavingPeerTest {
  @RegisterExtension
  final ThreadLeakExtension threads = new ThreadLeakExtension("Courier");

  private final List<EventSource> sources = new ArrayList<>();
  private final CourierClient client = CourierClient.builder()
      .protocols(List.of(Protocol.HTTP_1_1))
      .readTimeout(Duration.ofSeconds(30))
      .build();
  private RawEventStreamPeer peer;

  @BeforeEach
  void setUp() throws IOException {
    peer = new RawEventStreamPeer();
  }

  @AfterEach
  void tearDown() throws IOException {
    sources.forEach(EventSource::close);
    client.connectionPool().evictAll();
    peer.close();
  }

  @Test
  void eachEventIsDeliveredAsSoonAsItsBlankLineArrives() throws Exception {
    RecordingListener listener = new RecordingListener();
    connect(factory().build(), listener);
    RawEventStreamPeer.Connection connection = peer.accept();
    connection.readRequestHead();

    connection.writeEventStreamHead();
    listener.expect("open 200 http/1.1");
    connection.write("data: one\n");
    connection.write("\n");
    // The stream is still open: the event arrived without waiting for more bytes.
    listener.expect("event id= type=message data=one");
    connection.write("data: two\r");
    connection.write("\r");
    listener.expect("event id= type=message data=two");
    connection.write("data: three\r\n\r\n");
    listener.expect("event id= type=message data=three");
  }

  @Test
  void garbageBytesAreIgnoredAsUnknownFields() throws Exception {
    RecordingListener listener = new RecordingListener();
    connect(factory().build(), listener);
    RawEventStreamPeer.Connection connection = peer.accept();
    connection.readRequestHead();
    connection.writeEventStreamHead();

    byte[] garbage = new byte[256];
    int length = 0;
    for (int b = 0; b < 256; b++) {
      if (b != '\r' && b != '\n' && b != ':') {
        garbage[length++] = (byte) b;
      }
    }
    connection.write(java.util.Arrays.copyOf(garbage, length));
    connection.write("\n\ndata: ok\n\n");

    listener.expect("open 200 http/1.1", "event id= type=message data=ok");
  }

  @Test
  void resetMidEventDiscardsItAndReconnectsWithLastEventId() throws Exception {
    RecordingListener listener = new RecordingListener();
    connect(factory().build(), listener);
    RawEventStreamPeer.Connection first = peer.accept();
    first.readRequestHead();
    first.writeEventStreamHead().write("id: 5\ndata: whole\n\nid: 6\ndata: partial");
    listener.expect("open 200 http/1.1", "event id=5 type=message data=whole");

    first.reset();

    RawEventStreamPeer.Connection second = peer.accept();
    assertThat(second.readRequestHead()).contains("Last-Event-ID: 5");
    second.write("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
    listener.expect("failure ProtocolException response 204");
    listener.expectNoMore();
    assertThat(peer.acceptedCount()).isEqualTo(2);
  }

  @Test
  void eventLargerThanTheLimitFailsWithoutReconnecting() throws Exception {
    RecordingListener listener = new RecordingListener();
    connect(factory().maxEventBytes(64).build(), listener);
    RawEventStreamPeer.Connection connection = peer.accept();
    connection.readRequestHead();

    connection.writeEventStreamHead().write("data: small\n\ndata: " + "x".repeat(1000) + "\n\n");

    listener.expect("open 200 http/1.1", "event id= type=message data=small", "failure EventTooLargeException");
    listener.expectNoMore();
    assertThat(listener.failure).hasMessageContaining(peer.hostAndPort()).hasMessageContaining("64");
    assertThat(peer.acceptedCount()).isEqualTo(1);
  }

  @Test
  void closeWhileTheServerHasNotAnsweredStopsPromptly() throws Exception {
    RecordingListener listener = new RecordingListener();
    EventSource source = connect(factory().build(), listener);
    RawEventStreamPeer.Connection connection = peer.accept();
    connection.readRequestHead();

    source.close();

    listener.expect("closed");
    listener.expectNoMore();
    connection.close();
  }

  @Test
  void firstConnectionFailureFailsAtOnce() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RecordingListener listener = new RecordingListener();
    Request request = new Request.Builder().url("http://127.0.0.1:" + closedPort + "/events").build();
    sources.add(factory().build().newEventSource(request, listener));

    String failure = listener.take();

    assertThat(failure).startsWith("failure ").doesNotContain("response");
    assertThat(listener.failure).isInstanceOf(IOException.class);
    listener.expectNoMore();
  }

  @Test
  void lastEventIdOfTheRequestIsSentOnTheFirstConnection() throws Exception {
    RecordingListener listener = new RecordingListener();
    Request request = new Request.Builder().url(peer.url()).header("Last-Event-ID", "41").build();
    EventSource source = factory().build().newEventSource(request, listener);
    sources.add(source);
    RawEventStreamPeer.Connection connection = peer.accept();

    assertThat(connection.readRequestHead()).contains("Last-Event-ID: 41");
    assertThat(source.lastEventId()).isEqualTo("41");
    connection.writeEventStreamHead().write("data: x\n\n");
    listener.expect("open 200 http/1.1", "event id=41 type=message data=x");
  }

  private EventSources.Factory.Builder factory() {
    return EventSources.factory(client).retryDelay(Duration.ofMillis(1));
  }

  private EventSource connect(EventSources.Factory factory, RecordingListener listener) {
    EventSource source = factory.newEventSource(new Request.Builder().url(peer.url()).build(), listener);
    sources.add(source);
    return source;
  }
}
