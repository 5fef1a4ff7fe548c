package dev.courier.cache;

import dev.courier.Call;
import dev.courier.EventListener;
import dev.courier.Response;
import java.util.ArrayList;
import java.util.List;

/** Records the cache events of calls, in order. Thread-safe. */
public final class RecordingEventListener extends EventListener {
  private final List<String> events = new ArrayList<>();

  /** Returns the events so far and forgets them. */
  public synchronized List<String> takeEvents() {
    List<String> result = new ArrayList<>(events);
    events.clear();
    return result;
  }

  private synchronized void record(String event) {
    events.add(event);
  }

  @Override
  public void cacheHit(Call call, Response response) {
    record("CacheHit");
  }

  @Override
  public void cacheMiss(Call call) {
    record("CacheMiss");
  }

  @Override
  public void cacheConditionalHit(Call call, Response cachedResponse) {
    record("CacheConditionalHit");
  }

  @Override
  public void satisfactionFailure(Call call, Response response) {
    record("SatisfactionFailure");
  }
}
