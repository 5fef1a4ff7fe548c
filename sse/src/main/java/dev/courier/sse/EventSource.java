package dev.courier.sse;

import dev.courier.Request;

/**
 * Represents one Server-Sent Events subscription: a request that is sent again, with {@code
 * Last-Event-ID}, each time the server ends the stream, until {@link #close()} is called or the
 * source fails.
 *
 * <p>Create one with {@link EventSources}. Every callback of a source runs on that source's own
 * thread, one after another in the order the events arrived. Implementations are thread-safe.
 */
public interface EventSource extends AutoCloseable {
  /** Returns the request as given by the caller, without the headers the source adds. */
  Request request();

  /**
   * Returns the last event ID seen on the stream, the value sent as {@code Last-Event-ID} on the
   * next reconnection; the empty string when there is none.
   */
  String lastEventId();

  /**
   * Stops the source: cancels the call in flight, ends any wait to reconnect, and releases the
   * connection. No event is delivered after this method returns unless a callback is already
   * running on the source's thread. The listener then receives {@link
   * EventSourceListener#onClosed} once, unless the source had already failed. Callable from any
   * thread, including from a callback; idempotent.
   */
  @Override
  void close();

  /** Closes the source; the same as {@link #close()}. */
  default void cancel() {
    close();
  }
}
