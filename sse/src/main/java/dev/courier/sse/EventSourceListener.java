package dev.courier.sse;

import dev.courier.Response;

/**
 * Receives what an {@link EventSource} reads. Every method does nothing by default; override
 * those you need.
 *
 * <p>All callbacks of one source run on that source's thread, in order: {@link #onOpen} for each
 * connection, then the events and comments read on it; after the last connection, exactly one
 * of {@link #onClosed} (the caller closed the source) or {@link #onFailure} (the source gave up).
 * A callback that throws ends the source without a further callback; the exception goes to the
 * thread's uncaught-exception handler.
 */
public abstract class EventSourceListener {
  /** Creates a listener that ignores every callback. */
  protected EventSourceListener() {}

  /**
   * Reports that the server accepted a connection: a {@code 200} response with a {@code
   * text/event-stream} body. Called again after each successful reconnection. The body belongs to
   * the source; do not read or close it.
   */
  public void onOpen(EventSource eventSource, Response response) {}

  /**
   * Reports one dispatched event.
   *
   * @param id the last event ID at the time of dispatch, the empty string when there is none
   * @param type the event type, {@code "message"} when the event named none
   * @param data the data lines joined with {@code "\n"}, possibly empty
   */
  public void onEvent(EventSource eventSource, String id, String type, String data) {}

  /**
   * Reports a comment line (one that starts with a colon), without the colon and without one
   * leading space. Servers send comments to keep idle connections alive.
   */
  public void onComment(EventSource eventSource, String comment) {}

  /**
   * Reports that the source gave up; no reconnection follows. {@code t} is a {@link
   * java.net.ProtocolException} when the server answered with anything but {@code 200} and a
   * {@code text/event-stream} body (including {@code 204 No Content}, by which a server asks
   * the client to stop) and an {@link EventTooLargeException} for an oversized event; otherwise
   * it is the I/O failure of the first connection or of the last failed reconnection.
   *
   * @param response the refused response, readable only during this callback; null when no
   *     response was refused
   */
  public void onFailure(EventSource eventSource, Throwable t, Response response) {}

  /** Reports that the source stopped because {@link EventSource#close()} was called. */
  public void onClosed(EventSource eventSource) {}
}
