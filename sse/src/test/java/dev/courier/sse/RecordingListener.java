package dev.courier.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.Response;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Records an event source's callbacks as lines of text, in order, for tests to take one by one. */
final class RecordingListener extends EventSourceListener {
  private final BlockingQueue<String> callbacks = new LinkedBlockingQueue<>();
  private final Consumer<EventSource> onEventAction;
  private final Thread[] callbackThread = new Thread[1];
  volatile Throwable failure;
  volatile boolean callbacksOnOneThread = true;

  RecordingListener() {
    this(source -> {});
  }

  /** Creates a listener that runs {@code onEventAction} after recording each event. */
  RecordingListener(Consumer<EventSource> onEventAction) {
    this.onEventAction = onEventAction;
  }

  @Override
  public void onOpen(EventSource eventSource, Response response) {
    record("open " + response.code() + " " + response.protocol());
  }

  @Override
  public void onEvent(EventSource eventSource, String id, String type, String data) {
    record("event id=" + id + " type=" + type + " data=" + data);
    onEventAction.accept(eventSource);
  }

  @Override
  public void onComment(EventSource eventSource, String comment) {
    record("comment " + comment);
  }

  @Override
  public void onFailure(EventSource eventSource, Throwable t, Response response) {
    failure = t;
    record("failure " + t.getClass().getSimpleName() + (response != null ? " response " + response.code() : ""));
  }

  @Override
  public void onClosed(EventSource eventSource) {
    record("closed");
  }

  private void record(String line) {
    synchronized (callbackThread) {
      if (callbackThread[0] == null) {
        callbackThread[0] = Thread.currentThread();
      } else if (callbackThread[0] != Thread.currentThread()) {
        callbacksOnOneThread = false;
      }
    }
    callbacks.add(line);
  }

  /** Returns the next callback, waiting up to 10 seconds. */
  String take() throws InterruptedException {
    String next = callbacks.poll(10, TimeUnit.SECONDS);
    assertThat(next).as("next event source callback").isNotNull();
    return next;
  }

  /** Asserts that the next callbacks are exactly {@code expected}, in order. */
  void expect(String... expected) throws InterruptedException {
    for (String line : expected) {
      assertThat(take()).isEqualTo(line);
    }
  }

  /** Asserts that no callback is waiting to be taken. */
  void expectNoMore() {
    assertThat(callbacks).isEmpty();
    assertThat(callbacksOnOneThread).as("all callbacks on the source's thread").isTrue();
  }
}
