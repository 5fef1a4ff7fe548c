package dev.courier.http1.toolkit;

import dev.courier.Headers;
import java.util.ArrayList;
import java.util.List;

/** Records, in order and as text, what the body sources and sinks under test tell their listener. */
final class RecordingListener implements ExchangeStreamListener {
  final List<String> events = new ArrayList<>();

  @Override
  public void requestBodyClosed() {
    events.add("request closed");
  }

  @Override
  public void responseBodyEnded(Headers trailers) {
    events.add("ended " + trailers);
  }

  @Override
  public void requestBodyFailed() {
    events.add("request failed");
  }

  @Override
  public void responseBodyFailed() {
    events.add("response failed");
  }
}
