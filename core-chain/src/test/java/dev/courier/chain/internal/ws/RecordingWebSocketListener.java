package dev.courier.chain.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Response;
import dev.courier.WebSocket;
import dev.courier.WebSocketListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okio.ByteString;

/** Records a WebSocket's callbacks as events, and the threads they ran on. */
final class RecordingWebSocketListener extends WebSocketListener {
  /** One callback. Exactly one of the payload fields is set for a message. */
  record Event(String kind, String text, ByteString bytes, int code, String reason,
      Throwable failure, Response response) {}

  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  final Set<String> threadNames = ConcurrentHashMap.newKeySet();

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    add(new Event("open", null, null, response.code(), null, null, response));
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    add(new Event("text", text, null, 0, null, null, null));
  }

  @Override
  public void onMessage(WebSocket webSocket, ByteString bytes) {
    add(new Event("bytes", null, bytes, 0, null, null, null));
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    add(new Event("closing", null, null, code, reason, null, null));
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    add(new Event("closed", null, null, code, reason, null, null));
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
    add(new Event("failure", null, null, 0, null, failure, response));
  }

  private void add(Event event) {
    threadNames.add(Thread.currentThread().getName());
    events.add(event);
  }

  /** Returns the next event, waiting up to 10 seconds, and checks its kind. */
  Event next(String kind) throws InterruptedException {
    Event event = events.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("the next event, expected " + kind).isNotNull();
    assertThat(event.kind()).as(String.valueOf(event)).isEqualTo(kind);
    return event;
  }

  void expectOpen() throws InterruptedException {
    assertThat(next("open").code()).isEqualTo(101);
  }

  void expectText(String text) throws InterruptedException {
    assertThat(next("text").text()).isEqualTo(text);
  }

  void expectClosing(int code, String reason) throws InterruptedException {
    Event event = next("closing");
    assertThat(event.code()).isEqualTo(code);
    assertThat(event.reason()).isEqualTo(reason);
  }

  void expectClosed(int code, String reason) throws InterruptedException {
    Event event = next("closed");
    assertThat(event.code()).isEqualTo(code);
    assertThat(event.reason()).isEqualTo(reason);
  }

  Throwable expectFailure() throws InterruptedException {
    return next("failure").failure();
  }

  void expectNoMore() {
    assertThat(events).isEmpty();
  }
}
